"""gunicorn's worker recycling against the bare view and an uncached page, back to back.

    .venv/bin/python bench/recycling_bench.py [--seconds 10]

Runs on the site `make bench` builds (run that first: it leaves the
database). Workers that start together and share the load evenly reach
the same `max_requests` together; with a narrow jitter they restart in
the same second and the server stalls while they boot. Prints requests/s
of the bare view and the page under each setting, twice each.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import DB
from bench.serving import start_gunicorn, stop, wrk

SETTINGS = [("2,000 ± 200 (the old default)", "2000", "200"), ("20,000-40,000", "20000", "20000")]
PAGE = "/issues/2026/12/pages/0002/"  # the page of bench.serving.build_site, scan and areas


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    for label, limit, jitter in SETTINGS * 2:
        server = start_gunicorn(
            DB, PAGE_CACHE="0", GUNICORN_MAX_REQUESTS=limit, GUNICORN_MAX_REQUESTS_JITTER=jitter
        )
        try:
            runs = [wrk(path, args.seconds, 64) for path in ("/bench/bare/", PAGE)]
        finally:
            stop(server)
        if any(run["non_2xx"] for run in runs):  # a site built otherwise: not the page meant
            raise SystemExit(f"{PAGE} or the bare view answered errors: run `make bench` first")
        bare, page = (run["rps"] for run in runs)
        ratio = page / bare
        print(f"{label:<32} bare {bare:>8} req/s  uncached page {page:>7} req/s  ({ratio:.3f})")


if __name__ == "__main__":
    main()
