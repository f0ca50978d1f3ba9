#!/usr/bin/env python
"""Measure how fast the public pages answer a running server, under concurrent readers.

Bounded and local: loopback targets only, at most --requests GETs (capped at 20000),
stopping after --time-limit seconds.

    python benchmarks/page_latency.py --url http://127.0.0.1:8000 --requests 2000 --concurrency 8

Reports, per page, the count, throughput and latency percentiles, and fails (exit 1)
on any answer other than 200.
"""

import argparse
import concurrent.futures
import ipaddress
import socket
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections import defaultdict

PAGES = [
    "/",
    "/articles/ketamine-therapy-for-depression-guide/",
    "/articles/who-can-benefit-from-ketamine-therapy/",
    "/treatments/",
    "/treatments/iv-ketamine-infusion/",
    "/candidacy/",
    "/safety/",
    "/enquire/",
]
MAX_REQUESTS = 20000


def loopback_only(url):
    host = urllib.parse.urlsplit(url).hostname
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    if not all(ipaddress.ip_address(address).is_loopback for address in addresses):
        sys.exit(f"refusing to load {host}: this script only targets this machine (loopback)")


def fetch(url):
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=300)
    args = parser.parse_args()
    base = args.url.rstrip("/")
    loopback_only(base)
    count = min(args.requests, MAX_REQUESTS)
    for page in PAGES:  # warm each worker's caches before measuring
        fetch(base + page)

    results = defaultdict(list)
    failures = []
    deadline = time.monotonic() + args.time_limit
    wall = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=max(1, min(args.concurrency, 64))
    ) as pool:
        futures = {
            pool.submit(fetch, base + PAGES[n % len(PAGES)]): PAGES[n % len(PAGES)]
            for n in range(count)
        }
        for future in concurrent.futures.as_completed(
            futures, timeout=max(1, deadline - time.monotonic())
        ):
            status, elapsed = future.result()
            results[futures[future]].append(elapsed * 1000)
            if status != 200:
                failures.append((futures[future], status))
    wall = time.perf_counter() - wall

    total = sum(len(v) for v in results.values())
    print(
        f"{total} requests, concurrency {args.concurrency}, {wall:.1f} s, {total / wall:.0f} requests/s overall"
    )
    print(f"{'page':<52}{'count':>6}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}")
    for page in PAGES:
        ms = results[page]
        print(
            f"{page:<52}{len(ms):>6}{statistics.median(ms):>8.0f}{percentile(ms, 0.9):>8.0f}{percentile(ms, 0.99):>8.0f}"
        )
    if failures:
        print(f"FAIL: {len(failures)} answers other than 200, e.g. {failures[:3]}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
