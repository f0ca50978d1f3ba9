#!/usr/bin/env python
"""Post many enquiries concurrently to a running server and check that none is lost.

Bounded and local: it only targets loopback addresses, sends at most --requests
posts (capped at 2000) and stops after --time-limit seconds.

    python benchmarks/enquiry_load.py --url http://127.0.0.1:8000 --requests 200 --concurrency 8

Each simulated person loads the form (for its CSRF cookie and hidden fields),
waits as long as a person must, then posts; some posts are deliberately invalid
and some are sent twice (a double click). It reports, per outcome, the count and
latency percentiles, then checks the database the server uses (run it with the
server's DATABASE_URL and SECRET_KEY): every accepted enquiry is stored exactly
once, and no request got a 5xx. Exit status 1 if any check fails.
"""

import argparse
import concurrent.futures
import http.cookiejar
import ipaddress
import os
import re
import socket
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

MAX_REQUESTS = 2000
HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|started|submission_token)" value="([^"]*)"')
REFERENCE = re.compile(r'class="reference-number">(ENQ-[A-Z0-9]{8})<')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def loopback_only(url):
    host = urllib.parse.urlsplit(url).hostname
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    if not all(ipaddress.ip_address(address).is_loopback for address in addresses):
        sys.exit(f"refusing to load {host}: this script only targets this machine (loopback)")


def person(base_url, number, invalid, double):
    """One visitor: load the form, wait like a person, post (maybe twice). Returns outcomes."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form_url = base_url + "/enquire/"
    page = opener.open(form_url, timeout=30).read().decode()
    fields = dict(HIDDEN.findall(page))
    data = {
        **fields,
        "name": f"Load Test {number}",
        "email": f"load{number}@example.org",
        "preferred_contact": "email",
        "topic": "other",
        "message": "" if invalid else f"Load test message {number}.",
        "consent": "on",
        "website": "",
    }
    body = urllib.parse.urlencode(data).encode()
    time.sleep(3.2)  # the form refuses posts faster than a person could write one
    results = []
    for _ in range(2 if double else 1):
        request = urllib.request.Request(form_url, data=body, headers={"Referer": form_url})
        started = time.perf_counter()
        try:
            response = opener.open(request, timeout=30)
            status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        elapsed = time.perf_counter() - started
        reference = None
        if status == 302:
            thanks = opener.open(base_url + "/enquire/thanks/", timeout=30).read().decode()
            match = REFERENCE.search(thanks)
            reference = match.group(1) if match else None
        results.append((classify(status, text), elapsed, reference, fields.get("submission_token")))
    return results


def classify(status, text):
    if status == 302:
        return "accepted"
    if status == 429:
        return "rate_limited"
    if status == 200 and 'id="error-summary"' in text:
        return "validation"
    if status >= 500:
        return "server_error"
    return f"other_{status}"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def verify(accepted):
    """Every accepted post's enquiry is in the database exactly once."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atma_site.settings")
    import django

    django.setup()
    from enquiries.models import Enquiry

    problems = []
    by_token = defaultdict(set)
    for reference, token in accepted:
        by_token[token].add(reference)
    for token, references in by_token.items():
        stored = list(
            Enquiry.objects.filter(submission_token=token).values_list("reference", flat=True)
        )
        if len(stored) != 1:
            problems.append(f"token {token}: {len(stored)} enquiries stored")
        elif references - {stored[0]}:
            problems.append(f"token {token}: thanked with {references}, stored {stored[0]}")
    return problems, len(by_token)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--requests", type=int, default=100, help="visitors (each posts once or twice)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--invalid-every", type=int, default=5, help="every Nth visitor leaves out the message"
    )
    parser.add_argument("--double-every", type=int, default=7, help="every Nth visitor posts twice")
    parser.add_argument("--time-limit", type=float, default=300)
    parser.add_argument("--no-verify", action="store_true", help="skip the database check")
    args = parser.parse_args()
    base_url = args.url.rstrip("/")
    loopback_only(base_url)
    count = min(args.requests, MAX_REQUESTS)
    concurrency = max(1, min(args.concurrency, 64))

    outcomes = defaultdict(list)
    accepted = []
    deadline = time.monotonic() + args.time_limit
    wall = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [
            pool.submit(
                person,
                base_url,
                number,
                invalid=args.invalid_every and number % args.invalid_every == 0,
                double=args.double_every and number % args.double_every == 0,
            )
            for number in range(count)
        ]
        for future in concurrent.futures.as_completed(
            futures, timeout=max(1, deadline - time.monotonic())
        ):
            for outcome, elapsed, reference, token in future.result():
                outcomes[outcome].append(elapsed)
                if outcome == "accepted":
                    accepted.append((reference, token))
    wall = time.perf_counter() - wall

    posts = sum(len(values) for values in outcomes.values())
    print(f"{count} visitors, {posts} posts, concurrency {concurrency}, {wall:.1f} s wall time")
    print(f"{'outcome':<14}{'count':>7}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for outcome, values in sorted(outcomes.items()):
        ms = [value * 1000 for value in values]
        print(
            f"{outcome:<14}{len(ms):>7}{statistics.median(ms):>9.0f}{percentile(ms, 0.9):>9.0f}"
            f"{percentile(ms, 0.99):>9.0f}{max(ms):>9.0f}"
        )
    failures = [name for name in outcomes if name == "server_error" or name.startswith("other_")]
    if failures:
        print(f"FAIL: unexpected responses: {', '.join(failures)}")
    if not args.no_verify:
        problems, distinct = verify(accepted)
        print(f"database: {distinct} distinct accepted enquiries checked, {len(problems)} problems")
        for problem in problems[:20]:
            print("  " + problem)
        failures += problems
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
