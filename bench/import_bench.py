"""Benchmark import_text: files per second and peak memory, on SQLite and PostgreSQL.

    .venv/bin/python bench/import_bench.py [--files 10000] [--databases sqlite,postgresql]

Generates N article files for one issue (1-5k characters each, a 70-page list,
half of them in page subfolders), then runs the real command in a child
process against a fresh database of each kind and reports wall time, files/s
and the child's peak RSS. Figures go to stdout and bench/out/import.json.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from articles.textformat import format_article  # noqa: E402

CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
)
PAGE_NAMES = [
    "卷首语",
    "目录",
    "本期策划",
    "基层来信",
    "文化视窗",
    "博览 · 读书",
    "乡村振兴",
    "科技前沿",
]


def page_list():
    pages = [("0001", "封面"), ("0002", "封二")]
    pages += [(f"{n:02d}", PAGE_NAMES[(n // 4) % len(PAGE_NAMES)]) for n in range(1, 67)]
    return [*pages, ("9901", "封三"), ("9902", "封底")]


def sentence(rng):
    return "".join(rng.choices(CHARS, k=rng.randint(8, 30))) + rng.choice("，。；。！")


def generate(folder, count, seed=1, start=0):
    rng = random.Random(seed)
    pages = page_list()
    # A magazine's writers recur: 400 names for the whole archive.
    authors = ["".join(rng.choices(CHARS, k=rng.choice([2, 3, 3]))) for _ in range(400)]
    for index in range(start, start + count):
        target = rng.randint(1000, 5000)
        paragraphs, size = [], 0
        while size < target:
            paragraph = "".join(sentence(rng) for _ in range(rng.randint(3, 8)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        code = pages[rng.randrange(len(pages))][0] if index % 2 else "unplaced"
        text = format_article(
            title=f"基准文章第{index}号：" + "".join(rng.choices(CHARS, k=rng.randint(4, 16))),
            pages=pages,
            kicker="系列报道" if index % 5 == 0 else "",
            subtitle="——副题" if index % 7 == 0 else "",
            byline=f"本刊记者 {rng.choice(authors)}" if index % 3 else f"文/{rng.choice(authors)}",
            paragraphs=paragraphs,
        )
        path = folder / code / f"{index:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run_child(args, env):
    """Run a child; return (seconds, peak RSS in MB, exit status)."""
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        child = subprocess.Popen(args, env=env, cwd=PROJECT, stdout=devnull, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.stderr.write(child.stderr.read().decode()[-2000:])
    return seconds, usage.ru_maxrss / 1024, child.returncode


def database_url(kind, workdir):
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    name = "magazine_bench_import"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--jobs", type=int, default=2, help="import_text --jobs on PostgreSQL (default 2)"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        files = workdir / "files"
        started = time.perf_counter()
        generate(files, args.files)
        megabytes = sum(p.stat().st_size for p in files.rglob("*.txt")) / 1e6
        print(
            f"generated {args.files} files, {megabytes:.1f} MB, "
            f"in {time.perf_counter() - started:.1f} s"
        )
        results = {}
        for kind in args.databases.split(","):
            env = {
                **os.environ,
                "DJANGO_SECRET_KEY": "benchmark-only",
                "DJANGO_DEBUG": "0",
                "DJANGO_HTTPS": "0",  # plain HTTP on loopback
                "DATABASE_URL": database_url(kind, workdir),
            }
            manage = [sys.executable, "manage.py"]
            subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=PROJECT, check=True)
            jobs = args.jobs if kind == "postgresql" else 1
            seconds, rss, status = run_child(
                [*manage, "import_text", str(files), "--issue", "2026-12", "--jobs", str(jobs)], env
            )
            if status:
                raise SystemExit(f"import_text failed on {kind} (exit {status})")
            results[kind] = {
                "files": args.files,
                "jobs": jobs,
                "seconds": round(seconds, 2),
                "files_per_s": round(args.files / seconds, 1),
                "peak_rss_mb": round(rss, 1),
            }
        print(f"{'database':<12}{'files':>8}{'seconds':>10}{'files/s':>10}{'peak RSS MB':>13}")
        for kind, r in results.items():
            print(
                f"{kind:<12}{r['files']:>8}{r['seconds']:>10}{r['files_per_s']:>10}"
                f"{r['peak_rss_mb']:>13}"
            )
        out = PROJECT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "import.json").write_text(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
