"""`make pagetime`: where a page's time goes, measured inside one Python process.

`make bench` says how many requests a second the server answers; this says why. It builds
the same throwaway site as the bench (seed content plus 2,000 synthetic foods, production
settings, page cache off), then asks for each bench page through Django's test client, with
no server and no network: the best of 7 rounds of 40 requests, in milliseconds a request.
The machine's noise only ever adds time, so the best round is the steadiest figure.

    make pagetime                                        # every bench page
    make pagetime PAGETIME_ARGS="--profile /foods/"      # and cProfile's top functions for one page
    make pagetime PAGETIME_ARGS="--profile /foods/ --htmx"
    make pagetime PAGETIME_ARGS="--page-cache"           # what a cache hit costs

Compare a page with `/healthz` (no template, one `SELECT 1`): the bench's ratios follow these
figures plus about 0.6 ms a request for gunicorn and wrk on the same 2 cores.
"""

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from bench import BROWSER, HTMX, build_site, production_env

ROUNDS, PER_ROUND = 7, 40


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", metavar="PATH", help="also profile this path (e.g. /foods/)")
    parser.add_argument("--htmx", action="store_true", help="profile the path as an htmx request")
    parser.add_argument("--page-cache", action="store_true", help="page cache on: what a cache hit costs")
    parser.add_argument("--top", type=int, default=30, help="functions to list in the profile (default 30)")
    return parser.parse_args()


def best_ms(client, path, headers):
    """The fastest of ROUNDS rounds, in ms a request."""
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(PER_ROUND):
            client.get(path, headers=headers)
        rounds.append((time.perf_counter() - started) / PER_ROUND * 1000)
    return min(rounds)


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="site-pagetime-"))
    try:
        print(f"Building a throwaway site in {workdir}...")
        pages, counts = build_site(production_env(workdir, page_cache=args.page_cache))
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")
        cache_state = "on" if args.page_cache else "off"
        print(f"{counts}; page cache {cache_state}; best of {ROUNDS} rounds of {PER_ROUND} requests\n")
        print(f"{'ms':>7}  {'KiB':>5}  page")
        # The foods page with no row to show: what the page around the table costs.
        pages.append(("foods, nothing matches", "/foods/?q=nothing-matches-this", {}))
        for label, path, headers in pages:
            if path is None:
                continue
            headers = {**BROWSER, **headers}  # gzip too, as in the bench
            response = client.get(path, headers=headers)
            if response.status_code != 200:
                print(f"{'-':>7}  {'-':>5}  {label}: answers {response.status_code}, skipped")
                continue
            ms = best_ms(client, path, headers)
            print(f"{ms:7.2f}  {len(response.content) / 1024:5.1f}  {label} {path}")  # KiB as sent, gzipped
        if args.profile:
            headers = {**BROWSER, **(HTMX if args.htmx else {})}
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(PER_ROUND * 5):
                client.get(args.profile, headers=headers)
            profiler.disable()
            print(f"\ncProfile, {PER_ROUND * 5} requests for {args.profile} (profiling slows Python code about 2x):")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
