#!/usr/bin/env python
"""Uncached search latency at 16 concurrent readers, beside nginx serving a static file in the
same run: the patients' question list (tests/front/patient_questions.py), every request a
page-cache miss.

    .venv/bin/python benchmarks/search_latency.py [--duration 10] [--connections 16]

Starts the topology of deploy/check-topology (nginx with TLS in front of two gunicorn
servers, PostgreSQL, Redis) and `make run` (gunicorn on SQLite), copies a search results
page into a directory nginx serves, then runs wrk against each in turn after a warm-up: the
static file over HTTPS, search through nginx and the topology, the static file over plain
HTTP, and search on `make run`. Each search request asks one of the patients' questions
with a tail of punctuation no other request has: search reads only the words, so the work is
the question's, but the page cache has never stored that address. (Issue #20 stops storing
search pages altogether; until then every answer is still written to the cache, which this
measures too.) The script counts cache hits from the `X-Page-Cache` header and fails if any
request was answered from the cache, was not a 200, or if search's p99 is over the target.
Loopback only; each wrk run is bounded by --duration (at most 60 s). Stops everything it
started. Needs wrk and what deploy/check-topology needs.
"""

import json
import os
import shutil
import signal
import ssl
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT))

from page_throughput import start_make_run, wrk, wrk_arguments  # noqa: E402
from topology import Topology, _terminate, free_port  # noqa: E402

from tests.front.patient_questions import QUESTIONS  # noqa: E402

TARGET_P99_MS = 50

# wrk's Lua: each thread walks the questions from its own offset (the time, the thread),
# adding a tail of "." and "!" that spells the request's number in binary, so no two
# requests share a cache key.
LUA = """
local questions = %(questions)s
local threads = {}
local counter = 0

function setup(thread)
  -- Apart per thread and per run (the warm-up's addresses must not be met again).
  thread:set("offset", os.time() * 1000 + #threads * 100000000000000)
  table.insert(threads, thread)
end

function init(args)
  hits, misses, bad = 0, 0, 0
end

function request()
  counter = counter + 1
  local n, tail = offset + counter, ""
  while n > 0 do
    tail = tail .. ((n %% 2 == 1) and "!" or ".")
    n = math.floor(n / 2)
  end
  local q = questions[(counter %% #questions) + 1]
  return wrk.format("GET", "/search/?q=" .. q .. "+" .. tail)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 else misses = misses + 1 end
end

function done(summary, latency, requests)
  local h, m, b = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    b = b + thread:get("bad")
  end
  io.write(string.format("cache hits %%d misses %%d bad %%d\\n", h, m, b))
end
"""


def lua_script(directory):
    encoded = [urllib.parse.quote_plus(question) for question, _ in QUESTIONS]
    path = Path(directory) / "search.lua"
    path.write_text(LUA % {"questions": "{" + ", ".join(json.dumps(q) for q in encoded) + "}"})
    return path


def main():
    args, duration = wrk_arguments(__doc__)

    work = Path(tempfile.mkdtemp(prefix="atma-search-bench-"))
    script = lua_script(work)
    make_run_port = free_port()
    make_run = start_make_run(make_run_port)
    rows = []
    try:
        make_run_url = f"http://127.0.0.1:{make_run_port}"
        sample = "/search/?q=" + urllib.parse.quote_plus(QUESTIONS[0][0])
        body = urllib.request.urlopen(make_run_url + sample, timeout=30).read()
        with Topology(servers=2, workers_per_server=2, access_logs=False) as topology:
            (topology.static_copy_dir / "search.html").write_bytes(body)
            insecure = ssl.create_default_context()
            insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
            urllib.request.urlopen(topology.nginx_url + sample, timeout=30, context=insecure)
            measure = [
                (
                    "nginx, static file (HTTPS)",
                    f"https://127.0.0.1:{topology.static_port}/search.html",
                    None,
                ),
                ("search, topology (HTTPS, PostgreSQL)", topology.nginx_url + "/", script),
                (
                    "nginx, static file (HTTP)",
                    f"http://127.0.0.1:{topology.static_http_port}/search.html",
                    None,
                ),
                ("search, make run (SQLite)", make_run_url + "/", script),
            ]
            for name, url, lua in measure:
                # Every process warm (imports, templates, the search lexicon) before measuring.
                wrk(url, duration=2, connections=args.connections, script=lua)
                time.sleep(1)
                result = wrk(url, duration=duration, connections=args.connections, script=lua)
                rows.append((name, result))
            # One reader at a time: what one search costs, without waiting for others.
            result = wrk(topology.nginx_url + "/", duration=duration, connections=1, script=script)
            rows.append(("search, topology, 1 connection", result))
    finally:
        _terminate(make_run)
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"{time.strftime('%Y-%m-%d')}, {len(QUESTIONS)} patient questions, uncached "
        f"(search page {len(body):,} bytes), wrk -t2 -c{args.connections} -d{duration}s, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'server':<38}{'requests/s':>11}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}"
        f"{'errors':>7}{'cache hits':>11}"
    )
    failed = False
    for name, result in rows:
        hits = (
            ""
            if result["hits"] is None
            else f"{result['hits']}/{result['hits'] + result['misses']}"
        )
        print(
            f"{name:<38}{result['rps']:>11,.0f}{result['p50']:>8.2f}{result['p90']:>8.2f}"
            f"{result['p99']:>8.2f}{result['errors']:>7}{hits:>11}"
        )
        failed |= bool(result["errors"]) or bool(result["hits"])
        if (
            name.startswith("search")
            and "1 connection" not in name
            and result["p99"] > TARGET_P99_MS
        ):
            print(f"  over the target: p99 {result['p99']:.1f} ms > {TARGET_P99_MS} ms")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
