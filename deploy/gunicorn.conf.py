"""gunicorn settings for `make run` and for each production app server.

Every value can be overridden from the environment (or on the command line, as
`make run` and the systemd unit do with --bind).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a public page is answered from the cache in well under a millisecond,
# so a few processes per core keep up, and a slow request cannot starve the others
# of a thread. The usual 2 × cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request taking longer than this is stuck: the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On HUP (systemctl reload) or shutdown, requests in flight get this long to finish.
graceful_timeout = 30
# No max_requests: recycling workers by request count restarts them in the middle of
# a spike, when Django's start-up (about a second) hurts most.
# nginx logs every request; gunicorn's own access log would cost about a third of the
# throughput of cached pages. Set GUNICORN_ACCESS_LOG=- to have it anyway.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Only nginx may set X-Forwarded-* headers that gunicorn trusts: on this machine, or at
# the addresses FORWARDED_ALLOW_IPS lists when the app servers run on other hosts.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "atma-site"
