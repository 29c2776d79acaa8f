"""The benchmark suite (`make bench`): throughput of every public page, side by side.

    .venv/bin/python bench/run.py [--duration 20] [--connections 64] [--quick]

On one PostgreSQL database it builds a site (an issue of 70 pages and 300
articles among 12 issues), then runs gunicorn (gunicorn.conf.py, production
settings) and wrk against: a bare view returning a constant through the same
middleware (the framework's ceiling), the home page, the table of contents,
a page (with a scan and 30 article areas), an article (in Simplified and in
Traditional Chinese), a search, the authors index and the API, each
cold (the page cache and the fragment caches off: every byte rendered),
uncached (the page cache off, the fragment caches of an issue's page list and
contents on) and cached (Redis, shared by the workers; and local memory per
worker).
The bare view is measured before every page on the same server, and the
ratios are to the median of those runs: the machine is shared and its
speed drifts. Each page's ratio to the bare run just before it is kept too
(``ratio_paired``).
It adds the import benchmark (files/s, peak memory), the search benchmark
(p95), the admin import's (bench/jobs_bench.py), the print PDF's
(bench/print_bench.py: pages/s, peak memory, a magazine's areas found), how
well areas are found (bench/areas_bench.py), how well articles are drafted
from a PDF alone (bench/drafting_bench.py), the proofing checks
(bench/proofing_bench.py), each page's instructions per request
(bench/instructions.py: callgrind's counts, which the machine's drift does
not touch) and the queries each page runs, prints a table and
writes bench/results.json. --quick runs everything short (for CI: it checks
that the suite works, its figures mean little) and writes
bench/out/results-quick.json.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.serving import PROJECT, PYTHON, build_site, ensure_wrk, start_gunicorn, stop, wrk

DB = "magazine_bench_site"
PAGES = [
    "home",
    "toc",
    "page",
    "article",
    "article_hant",
    "search",
    "authors",
    "api_issue",
    "api_article",
]


MEASURED_BY_COUNT = ("cold", "uncached", "cached")


def count_queries(urls):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    counts = {}
    # Cold, as the tests count them: no page cache, no fragment served from a cache.
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=False):
        for name in PAGES:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(urls[name], HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(captured)
    return counts


def run_child_bench(args):
    result = subprocess.run([PYTHON, *args], cwd=PROJECT, capture_output=True, text=True)
    if result.returncode:
        print(result.stdout[-2000:], result.stderr[-2000:])
        raise SystemExit(f"{args[0]} failed")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    duration = 1 if args.quick else args.duration
    connections = args.connections
    started = time.time()
    ensure_wrk()

    print("building the site…")
    urls = build_site(DB)
    queries = count_queries(urls)

    runs = {}
    modes = {
        "cold": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "0"},
        "uncached": {"PAGE_CACHE": "0"},
        "cached": {"PAGE_CACHE": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"},
        "cached_locmem": {"PAGE_CACHE": "1", "DJANGO_CACHE_DIR": "/tmp/magazine-bench-cache"},
    }
    subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], capture_output=True)
    # This machine's speed drifts (it is shared): the bare view is measured
    # before every page, and the ratios are to the median of those runs.
    bare_duration = 1 if args.quick else max(2, duration * 2 // 5)
    for mode, env in modes.items():
        server = start_gunicorn(DB, **env)
        try:
            for name in PAGES:
                bare = runs[("bare", mode, name)] = wrk(urls["bare"], bare_duration, connections)
                page = runs[(name, mode)] = wrk(urls[name], duration, connections)
                print(f"  {mode:<14}{name:<8}{page['rps']:>10} req/s (bare {bare['rps']})")
        finally:
            stop(server)

    print("import benchmark…")
    files = "1000" if args.quick else "10000"
    run_child_bench(["bench/import_bench.py", "--files", files, "--databases", "postgresql"])
    imported = json.loads((PROJECT / "bench/out/import.json").read_text())["postgresql"]
    print("search benchmark…")
    run_child_bench(
        ["bench/search_bench.py", "--articles", "2000" if args.quick else "10000", "--runs", "20"]
    )
    searched = json.loads((PROJECT / "bench/out/search-postgresql.json").read_text())
    print("admin import benchmark…")
    run_child_bench(
        [
            "bench/jobs_bench.py",
            "--files",
            "100" if args.quick else "1000",
            "--memory-files",
            "200" if args.quick else "10000",
        ]
    )
    jobs = json.loads((PROJECT / "bench/out/jobs.json").read_text())
    print("print PDF benchmark…")
    run_child_bench(
        [
            "bench/print_bench.py",
            *(["--pages", "12", "--small", "4", "--articles", "30"] if args.quick else []),
        ]
    )
    printed = json.loads((PROJECT / "bench/out/print.json").read_text())
    print("articles' areas found in print PDFs (bench/areas_bench.py)…")
    run_child_bench(["bench/areas_bench.py", *(["--quick"] if args.quick else [])])
    areas_found = json.loads((PROJECT / "bench/out/areas.json").read_text())
    print("articles drafted from print PDFs alone (bench/drafting_bench.py)…")
    run_child_bench(["bench/drafting_bench.py", *(["--quick"] if args.quick else [])])
    drafted = json.loads((PROJECT / "bench/out/drafting.json").read_text())
    print("proofing checks: known errors, clean text, an issue's time (bench/proofing_bench.py)…")
    run_child_bench(["bench/proofing_bench.py", *(["--quick"] if args.quick else [])])
    proofed = json.loads((PROJECT / "bench/out/proofing.json").read_text())
    print("Lighthouse on the reader's pages, mobile (bench/lighthouse_bench.py)…")
    run_child_bench(["bench/lighthouse_bench.py", *(["--quick"] if args.quick else [])])
    scored = json.loads((PROJECT / "bench/out/lighthouse.json").read_text())
    print("instruction counts (callgrind)…")
    run_child_bench(["bench/instructions.py", *(["--quick"] if args.quick else [])])
    counted = json.loads(
        (PROJECT / "bench/out" / f"instructions{'-quick' if args.quick else ''}.json").read_text()
    )
    print("the editor's month, in Chromium (bench/editors_month.py)…")
    run_child_bench(["bench/editors_month.py", *(["--quick"] if args.quick else [])])
    month = json.loads((PROJECT / "bench/out/editors-month.json").read_text())

    bare_runs = sorted(r["rps"] for key, r in runs.items() if key[0] == "bare")
    bare = bare_runs[len(bare_runs) // 2]
    results = {"bare_rps": bare, "bare_rps_runs": bare_runs}

    def ratio(name, mode):
        return round(runs[(name, mode)]["rps"] / bare, 3)

    def paired(name, mode):
        # Against the bare run just before the page: less touched by drift.
        return round(runs[(name, mode)]["rps"] / runs[("bare", mode, name)]["rps"], 3)

    for name in PAGES:
        results[name] = {
            "rps_cold": runs[(name, "cold")]["rps"],
            "rps_uncached": runs[(name, "uncached")]["rps"],
            "rps_cached": runs[(name, "cached")]["rps"],
            "rps_cached_locmem": runs[(name, "cached_locmem")]["rps"],
            "ratio_cold": ratio(name, "cold"),
            "ratio_uncached": ratio(name, "uncached"),
            "ratio_cached": ratio(name, "cached"),
            "ratio_cached_locmem": ratio(name, "cached_locmem"),
            "ratio_paired": {mode: paired(name, mode) for mode in modes},
            "queries": queries[name],
        }
    # Traditional Chinese against the same article in Simplified (target ≥ 0.6 uncached).
    results["article_hant_vs_article"] = {
        mode: round(runs[("article_hant", mode)]["rps"] / runs[("article", mode)]["rps"], 3)
        for mode in modes
    }
    results["import_files_per_s"] = imported["files_per_s"]
    results["import_peak_rss_mb"] = imported["peak_rss_mb"]
    results["search_p95_ms"] = searched["search_p95_ms"]
    results["admin_import"] = jobs
    results["print_pdf"] = printed
    results["areas_found"] = areas_found
    results["drafting"] = drafted
    results["proofing"] = proofed
    results["lighthouse"] = scored
    results["instructions"] = counted
    results["editors_month"] = month
    results["errors"] = {
        "/".join(key): r for key, r in runs.items() if r["non_2xx"] or r["socket_errors"]
    }
    results["seconds"] = round(time.time() - started)
    results["duration_s"] = duration
    results["connections"] = connections

    print(
        f"\nbare view: median {bare} req/s of {len(bare_runs)} runs ({bare_runs[0]}-"
        f"{bare_runs[-1]}); wrk, {connections} connections, {duration} s a page;"
        " ratios are to the median"
    )
    print(
        f"{'page':<12}{'cold':>7}{'ratio':>7}{'uncached':>10}{'ratio':>7}{'Redis':>9}{'ratio':>7}"
        f"{'memory':>9}{'ratio':>7}{'queries':>9}"
    )
    for name in PAGES:
        r = results[name]
        print(
            f"{name:<12}{r['rps_cold']:>7}{r['ratio_cold']:>7}"
            f"{r['rps_uncached']:>10}{r['ratio_uncached']:>7}{r['rps_cached']:>9}"
            f"{r['ratio_cached']:>7}{r['rps_cached_locmem']:>9}{r['ratio_cached_locmem']:>7}"
            f"{r['queries']:>9}"
        )
    print("ratios to the bare run just before each page (cold, uncached, Redis, memory):")
    for name in PAGES:
        print(f"  {name:<12}" + "".join(f"{v:>7}" for v in results[name]["ratio_paired"].values()))
    print(
        "article in zh-hant / in zh-hans (cold, uncached, Redis, memory):"
        + "".join(f"{v:>7}" for v in results["article_hant_vs_article"].values())
    )
    print(
        f"import: {results['import_files_per_s']} files/s, {results['import_peak_rss_mb']} MB;"
        f" search p95 {results['search_p95_ms']} ms; {results['seconds']} s in all"
    )
    print(
        f"admin import of {jobs['files']} files: {jobs['admin']['total_s']} s end to end against"
        f" {jobs['command_dry_run_and_import_s']} s of import_text --dry-run and import_text"
        f" ({jobs['ratio_whole_path']}x), the import job {jobs['ratio_import_job']}x the command;"
        f" worker peak {jobs['worker_peak_rss_mb']} MB"
    )
    for run in (printed["small"], printed["large"]):
        print(
            f"print PDF of {run['pages']} pages ({run['pdf_mb']} MB): {run['seconds']} s,"
            f" {run['pages_per_s']} pages/s, peak {run['peak_rss_mb']} MB"
        )
    magazine = printed["magazine"]
    print(
        f"print PDF of a magazine ({magazine['pages']} pages, {magazine['articles']} articles):"
        f" {magazine['seconds']} s with its areas found, peak {magazine['peak_rss_mb']} MB;"
        f" finding {magazine['find_seconds_a_page']} s a page"
    )
    for name, figures in areas_found["overall"].items():
        print(
            f"areas found ({name}): {figures['found_right']} of {figures['printed_areas']} printed"
            f" (recall {figures['recall']}), {figures['areas_made']} made"
            f" (precision {figures['precision']})"
        )
    run = printed["drafted"]
    print(
        f"the magazine's PDF alone, drafted: {run['seconds']} s, {run['pages_per_s']} pages/s,"
        f" peak {run['peak_rss_mb']} MB, {run['articles_made']} articles made"
    )
    for figures in drafted["overall"].values():
        print(
            f"drafted ({figures['source']}): made {figures['made_share']}, extra"
            f" {figures['extra_share']}, bodies {figures['bodies_equal']}, paragraphs"
            f" {figures['paragraphs_kept']}, bylines {figures['bylines_exact']}, heads"
            f" {figures['kickers_subtitles_exact']}, placed {figures['placed_on_title_page']},"
            f" parts with area {figures['parts_with_area']}"
        )
    for name, figures in scored["pages"].items():
        print(
            f"Lighthouse, mobile, {name}: performance {figures['performance']}, accessibility"
            f" {figures['accessibility']}, best practices {figures['best-practices']},"
            f" {figures['transfer_kb']} KB"
        )
    print("instructions per request, ratio to bare (cold, uncached, Redis; bench/instructions.py):")
    for name in PAGES:
        print(
            f"  {name:<12}"
            + "".join(f"{counted[m][name]['ratio']:>7}" for m in MEASURED_BY_COUNT if m in counted)
        )
    print(
        f"the editor's month ({month['pages']} pages, {month['articles']} articles): "
        f"{month['actions']} clicks, drags and typed fields"
    )
    out = PROJECT / "bench" / ("out/results-quick.json" if args.quick else "results.json")
    out.parent.mkdir(exist_ok=True)
    # Figures this run does not make (measurements of changes, of earlier code) stay.
    kept = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**kept, **results}, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
