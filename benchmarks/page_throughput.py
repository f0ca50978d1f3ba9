#!/usr/bin/env python
"""Throughput of one article page: nginx serving its bytes from a file, `make run`, and the
deploy/ topology, measured in one run so that the ratios hold whatever the machine.

    .venv/bin/python benchmarks/page_throughput.py [--duration 10] [--connections 16]

Starts `make run` on a free port and the topology of deploy/check-topology (nginx in
front of two gunicorn servers, PostgreSQL, Redis), copies the page's bytes into a
directory nginx serves, then runs wrk against each in turn: the static file over
HTTP beside `make run`, and over HTTPS beside the topology (which serves HTTPS only).
Each server's rate is printed as a share of the static file over the same scheme, and
of the static file over plain HTTP, the machine's physical limit.
Loopback only; each wrk run is bounded by --duration (at most 60 s). Stops everything
it started. Needs wrk (apt-get install wrk) and what deploy/check-topology needs.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from topology import Topology, _terminate, _wait_for_port, free_port, stop_on_signals  # noqa: E402

PAGE = "/articles/who-can-benefit-from-ketamine-therapy/"


def wrk(url, *, duration, connections, script=None):
    """One wrk run: requests/s, p50, p90 and p99 in ms, errors (any non-2xx or 3xx too), and
    what a Lua `script` printed as "cache hits N misses N bad N" (bad ones count as errors)."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout

    def milliseconds(label):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    errors += int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1])
    cache = re.search(r"cache hits (\d+) misses (\d+) bad (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": milliseconds("50%"),
        "p90": milliseconds("90%"),
        "p99": milliseconds("99%"),
        "errors": errors + (int(cache[3]) if cache else 0),
        "hits": int(cache[1]) if cache else None,
        "misses": int(cache[2]) if cache else None,
    }


def start_make_run(port):
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    _wait_for_port(port, timeout=180)
    return process


def wrk_arguments(doc):
    """--duration (bounded to 60 s) and --connections, once wrk is known to be there."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    stop_on_signals()
    return args, max(1, min(args.duration, 60))


def main():
    args, duration = wrk_arguments(__doc__)

    make_run_port = free_port()
    make_run = start_make_run(make_run_port)
    rows = []
    try:
        make_run_url = f"http://127.0.0.1:{make_run_port}{PAGE}"
        body = urllib.request.urlopen(make_run_url, timeout=30).read()
        with Topology(servers=2, workers_per_server=2, access_logs=False) as topology:
            (topology.static_copy_dir / "page.html").write_bytes(body)
            topology_url = topology.nginx_url + PAGE
            measure = [
                (
                    "nginx, static file (HTTP)",
                    f"http://127.0.0.1:{topology.static_http_port}/page.html",
                    None,
                ),
                ("make run (gunicorn, SQLite)", make_run_url, "nginx, static file (HTTP)"),
                (
                    "nginx, static file (HTTPS)",
                    f"https://127.0.0.1:{topology.static_port}/page.html",
                    None,
                ),
                ("deploy/ topology (HTTPS)", topology_url, "nginx, static file (HTTPS)"),
            ]
            for name, url, baseline in measure:
                # Every process warm (imports, templates, caches) before it is measured.
                wrk(url, duration=2, connections=args.connections)
                time.sleep(1)
                rows.append(
                    (name, wrk(url, duration=duration, connections=args.connections), baseline)
                )
    finally:
        _terminate(make_run)

    print(
        f"{time.strftime('%Y-%m-%d')}, {PAGE} ({len(body):,} bytes), "
        f"wrk -t2 -c{args.connections} -d{duration}s, {os.cpu_count()} cores"
    )
    print(
        f"{'server':<30}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'of static':>11}"
    )
    results = {name: result for name, result, _ in rows}
    for name, result, baseline in rows:
        ratio = f"{100 * result['rps'] / results[baseline]['rps']:.1f} %" if baseline else ""
        print(
            f"{name:<30}{result['rps']:>12,.0f}{result['p50']:>9.2f}{result['p99']:>9.2f}"
            f"{result['errors']:>8}{ratio:>11}"
        )
    return 1 if any(result["errors"] for result in results.values()) else 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
