#!/usr/bin/env python
"""An SMTP server that accepts connections and never answers, for the enquiry benchmark.

    python benchmarks/hung_smtp_server.py --port 8026 --time-limit 600

Loopback only; stops by itself after --time-limit seconds.
"""

import argparse
import contextlib
import socket
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--port", type=int, default=8026)
parser.add_argument("--time-limit", type=float, default=600)
args = parser.parse_args()
with socket.socket() as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(1024)  # the kernel completes each handshake; nothing is ever said
    held, deadline = [], time.monotonic() + args.time_limit
    server.settimeout(1)
    while time.monotonic() < deadline:
        with contextlib.suppress(TimeoutError):
            held.append(server.accept()[0])
