"""Lighthouse (npm, on Debian's Chromium, its mobile preset: a mid-range phone on a
slow 4G link) on the home page, a page view (版面, with its scan, areas and zoom)
and an article of the demo site, served as in production: gunicorn with
``gunicorn.conf.py``, DEBUG off, static files compressed by WhiteNoise, the
page cache on.

    .venv/bin/python bench/lighthouse_bench.py [--runs 3] [--quick]

(``--quick``: one run of the page view only.)

Prints, per page, the median of ``--runs`` runs of the performance, accessibility
and best-practices scores (0-100), the bytes the first load transferred, and
the largest contentful paint, total blocking time and layout shift; writes
bench/out/lighthouse.json. Needs ``npm ci`` (lighthouse is a dev dependency).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.serving import PROJECT, PYTHON, environment, recreate_database, start_gunicorn, stop

DB = "magazine_bench_lighthouse"
PORT = 8093
LIGHTHOUSE = PROJECT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices")
OUT = PROJECT / "bench" / "out" / "lighthouse.json"


def demo_site(media):
    """The demo content on a fresh database; the addresses measured."""
    recreate_database(DB)
    env = environment(DB, MEDIA_ROOT=str(media))
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo", "--no-accounts"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=PROJECT, env=env, check=True, capture_output=True
        )
    find = (
        "import django; django.setup()\n"
        "from magazine.models import Issue\n"
        "issue = Issue.objects.published().latest_first().first()\n"
        "page = issue.sections.get(code='03')\n"
        "print(page.get_absolute_url(), page.articles.order_by('position').first()"
        ".get_absolute_url())\n"
    )
    page, article = subprocess.run(
        [PYTHON, "-c", find], cwd=PROJECT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return {"home": "/", "page": page, "article": article}


def lighthouse(url, folder, attempts=3):
    """One Lighthouse run's figures; a run that fails (Chromium now and then does not
    come up on a loaded machine) is tried again, and the last failure says why."""
    for attempt in range(1, attempts + 1):
        try:
            return _lighthouse(url, folder)
        except RuntimeError as failure:
            if attempt == attempts:
                raise SystemExit(str(failure)) from None
            print(f"  {failure}; trying again", file=sys.stderr)
    return None


def _lighthouse(url, folder):
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    run = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--output=json",
            f"--output-path={report}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
    )
    if run.returncode or not report.exists():
        raise RuntimeError(f"lighthouse {url} failed ({run.returncode}): {run.stderr[-1500:]}")
    result = json.loads(report.read_text())
    audits = result["audits"]
    return {
        **{name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES},
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1024),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "failed": sorted(
            name
            for category in CATEGORIES
            for ref in result["categories"][category]["auditRefs"]
            if ref["weight"] and (audits[ref["id"]]["score"] or 0) < 0.9
            for name in [ref["id"]]
        ),
    }


def median_run(runs):
    figures = {
        key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "failed"
    }
    figures["failed"] = sorted({name for run in runs for name in run["failed"]})
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} not found: run npm ci")
    runs = 1 if args.quick else args.runs
    results = {}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        folder = Path(folder)
        pages = demo_site(folder / "media")
        if args.quick:  # CI: that it runs, on the page with the most in it
            pages = {"page": pages["page"]}
        server = start_gunicorn(
            DB, port=PORT, MEDIA_ROOT=str(folder / "media"), DJANGO_SERVE_MEDIA="1"
        )
        try:
            for name, path in pages.items():
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30).read()  # warm
                measured = [
                    lighthouse(f"http://127.0.0.1:{PORT}{path}", folder) for _ in range(runs)
                ]
                results[name] = {"path": path, **median_run(measured)}
                figures = results[name]
                print(
                    f"{name:<8} performance {figures['performance']:>3}, accessibility "
                    f"{figures['accessibility']:>3}, best practices {figures['best-practices']:>3};"
                    f" {figures['transfer_kb']} KB, LCP {figures['lcp_s']} s, TBT"
                    f" {figures['tbt_ms']} ms, CLS {figures['cls']}"
                    + (f"; below 90: {', '.join(figures['failed'])}" if figures["failed"] else "")
                )
        finally:
            stop(server)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"runs": runs, "pages": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
