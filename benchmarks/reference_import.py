#!/usr/bin/env python
"""Time the reference import of a whole library: preview, then import, as staff do it.

    .venv/bin/python benchmarks/reference_import.py [--entries 2000] [--runs 3]

Starts the topology of deploy/check-topology (nginx, two gunicorn servers with two sync
workers each, PostgreSQL, Redis), signs in, and for each run uploads a generated
Mendeley-style BibTeX file (tests/references/library.py; 2,000 entries make it about
2 MB, the most the import takes) to the import page of one app server, then presses
Import on the other: the previewed batch must be found through the database alone.
It prints the seconds each step took from request to answer, checks that every entry
was stored, and times the background worker's formatting of them (format_pending).
The imported references are deleted between runs. Loopback only; stops everything it
started and drops its database.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT))

from topology import Browser, Topology, stop_on_signals  # noqa: E402

from tests.references.library import NEAR_TWO_MB, mendeley_library  # noqa: E402

IMPORT = "/admin/references/reference/import/"
GENERATED = "10.5555/atma.gen."


def csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def one_run(topology, browser, library, entries):
    preview_server, import_server = topology.app_urls[0], topology.app_urls[1]
    page = browser.get(preview_server + IMPORT, via_proxy=True)
    started = time.perf_counter()
    previewed = browser.post(
        preview_server + IMPORT,
        {"csrfmiddlewaretoken": csrf_token(page.text), "text_format": "auto", "preview": "1"},
        files={"upload": ("library.bib", library)},
        via_proxy=True,
    )
    preview_seconds = time.perf_counter() - started
    if previewed.status != 200 or f"Import {entries} new references" not in previewed.text:
        raise RuntimeError(f"the preview answered {previewed.status} without {entries} new")
    token = re.search(r'name="batch" value="([^"]+)"', previewed.text).group(1)
    started = time.perf_counter()
    imported = browser.post(
        import_server + IMPORT,
        {"csrfmiddlewaretoken": csrf_token(previewed.text), "batch": token, "confirm": "1"},
        via_proxy=True,
    )
    import_seconds = time.perf_counter() - started
    if imported.status != 302:
        raise RuntimeError(f"the import answered {imported.status}")
    stored = int(
        topology.python(
            "from references.models import Reference; "
            f"print(Reference.objects.filter(doi__startswith={GENERATED!r}).count())"
        )
    )
    if stored != entries:
        raise RuntimeError(f"{stored} of {entries} entries were stored")
    formatted, format_seconds = topology.python(
        "import time\n"
        "from references.formatting import format_pending\n"
        "started, count = time.perf_counter(), 0\n"
        "while done := format_pending():\n"
        "    count += done\n"
        "print(count, time.perf_counter() - started)"
    ).split()
    topology.python(
        "from references.models import Reference; "
        f"print(Reference.objects.filter(doi__startswith={GENERATED!r}).delete()[0])"
    )
    return preview_seconds, import_seconds, int(formatted), float(format_seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    entries, runs = max(1, min(args.entries, 5000)), max(1, min(args.runs, 10))
    stop_on_signals()
    target = NEAR_TWO_MB if entries == 2000 else None
    library = mendeley_library(entries, target_bytes=target).encode()
    rows = []
    with Topology(servers=2, workers_per_server=2, access_logs=False) as topology:
        browser = Browser()
        browser.sign_in(topology.nginx_url)
        for _run in range(runs):
            rows.append(one_run(topology, browser, library, entries))
    print(
        f"{time.strftime('%Y-%m-%d')}, {entries:,} BibTeX entries ({len(library):,} bytes), "
        f"preview on one gunicorn server, import on another, PostgreSQL, {os.cpu_count()} cores"
    )
    print(f"{'run':>3}  {'preview s':>9}  {'import s':>8}  {'worker formats':>22}")
    for number, (preview, imported, formatted, seconds) in enumerate(rows, 1):
        print(
            f"{number:>3}  {preview:>9.2f}  {imported:>8.2f}  {formatted:>6,} in {seconds:>8.2f} s"
        )


if __name__ == "__main__":
    main()
