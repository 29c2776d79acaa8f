"""The benchmark suite (`make bench`): throughput of every public page, side by side.

    .venv/bin/python bench/run.py [--duration 20] [--connections 64] [--quick]

On one PostgreSQL database it builds a site (an issue of 70 pages and 300
articles among 12 issues), then runs gunicorn (gunicorn.conf.py, production
settings) and wrk against: a bare view returning a constant through the same
middleware (the framework's ceiling), the home page, the table of contents,
a page, an article and a search, each with the page cache off (every request
renders) and on (Redis, shared by the workers; and local memory per worker).
It adds the import benchmark (files/s, peak memory), the search benchmark
(p95) and the queries each page runs, prints a table and writes
bench/results.json. --quick runs everything short (for CI: it checks that the
suite works, its figures mean little).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
PYTHON = sys.executable
DB = "magazine_bench_site"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8091
PAGES = ["home", "toc", "page", "article", "search"]


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("installing wrk (Debian package)")
    sh("apt-get", "update", "-qq")
    sh(
        "apt-get",
        "install",
        "-y",
        "-qq",
        "wrk",
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def environment(**extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": URL,
        "DJANGO_DEBUG": "0",
        **extra,
    }


def build_site():
    """A fresh database with 12 issues; the newest has 70 pages and 300 articles."""
    sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", DB)
    os.environ.update(environment())
    import django

    django.setup()
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article
    from articles.search import rebuild
    from magazine.models import Issue
    from sections.models import Section

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    rng = random.Random(5)
    words = (
        "基层 干部 群众 服务 乡村 振兴 数字 经济 社区 治理 文化 教育 医疗 老街 茶园 护林".split()
    )
    names = "王芳 陈晓 林一帆 沈嘉禾 吴子墨 许静怡 李向东 周明远".split()
    for number in range(1, 13):
        issue = Issue.objects.create(year=2026, number=number, published_at=timezone.now())
        pages = [("0001", "封面"), ("0002", "封二")]
        pages += [
            (f"{n:02d}", rng.choice(["本期策划", "基层来信", "文化视窗", "博览 · 读书"]))
            for n in range(1, 67)
        ]
        pages += [("9901", "封三"), ("9902", "封底")]
        sections = Section.objects.bulk_create(
            Section(issue=issue, code=c, name=n, position=i) for i, (c, n) in enumerate(pages)
        )
        count = 300 if number == 12 else 40
        articles = []
        for n in range(count):
            body = "\n".join(
                "".join(rng.choice(words) + rng.choice("的了和是在") for _ in range(40)) + "。"
                for _ in range(rng.randint(3, 8))
            )
            articles.append(
                Article(
                    issue=issue,
                    section=sections[n % len(sections)] if n % 10 else None,
                    position=n,
                    title=f"第{number}期{''.join(rng.sample(words, 3))}{n}",
                    byline=f"文/{rng.choice(names)}",
                    body=body,
                )
            )
        Article.objects.bulk_create(articles)
    rebuild()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a live site
    issue = Issue.objects.get(year=2026, number=12)
    article = issue.articles.filter(section__isnull=False).order_by("section__position").first()
    return {
        "bare": "/bench/bare/",
        "home": "/",
        "toc": issue.get_absolute_url(),
        "page": article.section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": "/search/?q=%E5%B9%B2%E9%83%A8",  # 干部
    }


def count_queries(urls):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    counts = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name in PAGES:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(urls[name], HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(captured)
    return counts


def start_gunicorn(**env):
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=PROJECT,
        env=environment(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def wrk(path, duration, connections):
    url = f"http://127.0.0.1:{PORT}{path}"
    for _ in range(2):  # warm-up: the cache, the connections, the workers
        urllib.request.urlopen(url, timeout=10).read()
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": round(rps, 1),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


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
    duration = 2 if args.quick else args.duration
    started = time.time()
    ensure_wrk()

    print("building the site…")
    urls = build_site()
    queries = count_queries(urls)

    runs = {}
    modes = {
        "uncached": {"PAGE_CACHE": "0"},
        "cached": {"PAGE_CACHE": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"},
        "cached_locmem": {"PAGE_CACHE": "1", "DJANGO_CACHE_DIR": "/tmp/magazine-bench-cache"},
    }
    subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], capture_output=True)
    for mode, env in modes.items():
        server = start_gunicorn(**env)
        try:
            names = ["bare", *PAGES] if mode == "uncached" else PAGES
            for name in names:
                runs[(name, mode)] = wrk(urls[name], duration, args.connections)
                print(f"  {mode:<14}{name:<8}{runs[(name, mode)]['rps']:>10} req/s")
        finally:
            stop(server)

    print("import benchmark…")
    run_child_bench(["bench/import_bench.py", "--files", "1000" if args.quick else "10000"])
    imported = json.loads((PROJECT / "bench/out/import.json").read_text())["postgresql"]
    print("search benchmark…")
    run_child_bench(
        ["bench/search_bench.py", "--articles", "2000" if args.quick else "20000", "--runs", "20"]
    )
    searched = json.loads((PROJECT / "bench/out/search-postgresql.json").read_text())

    bare = runs[("bare", "uncached")]["rps"]
    results = {"bare_rps": bare}
    for name in PAGES:
        uncached, cached = runs[(name, "uncached")]["rps"], runs[(name, "cached")]["rps"]
        results[name] = {
            "rps_uncached": uncached,
            "rps_cached": cached,
            "rps_cached_locmem": runs[(name, "cached_locmem")]["rps"],
            "ratio_uncached": round(uncached / bare, 3),
            "ratio_cached": round(cached / bare, 3),
            "queries": queries[name],
        }
    results["import_files_per_s"] = imported["files_per_s"]
    results["import_peak_rss_mb"] = imported["peak_rss_mb"]
    results["search_p95_ms"] = searched["search_p95_ms"]
    results["errors"] = {
        f"{n}/{m}": r for (n, m), r in runs.items() if r["non_2xx"] or r["socket_errors"]
    }
    results["seconds"] = round(time.time() - started)
    results["duration_s"] = duration
    results["connections"] = args.connections

    print(f"\nbare view: {bare} req/s (wrk, {args.connections} connections, {duration} s)")
    print(
        f"{'page':<9}{'uncached':>10}{'ratio':>8}{'cached':>10}{'ratio':>8}{'locmem':>10}{'queries':>9}"
    )
    for name in PAGES:
        r = results[name]
        print(
            f"{name:<9}{r['rps_uncached']:>10}{r['ratio_uncached']:>8}{r['rps_cached']:>10}"
            f"{r['ratio_cached']:>8}{r['rps_cached_locmem']:>10}{r['queries']:>9}"
        )
    print(
        f"import: {results['import_files_per_s']} files/s, {results['import_peak_rss_mb']} MB;"
        f" search p95 {results['search_p95_ms']} ms; {results['seconds']} s in all"
    )
    (PROJECT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
