"""This code against an earlier commit's, served side by side and measured in turns.

    .venv/bin/python bench/versus.py COMMIT [--rounds 2] [--duration 10]
                                           [--pages home,toc,page,article,search]

``make bench`` gives each page's ratio to a bare view on the same server,
which drifts with the machine and moved when worker recycling was fixed
(the bare view went from about 1,000 to 2,000-2,700 requests/s while the
pages went up far less). This answers the other question: is a page as
fast as it was at COMMIT, on this machine, now?

It checks COMMIT out in a temporary worktree, builds each tree's own
benchmark site (its ``bench/serving.build_site``: the same issues, pages
and articles; this tree's adds a scan with 30 areas and 2,000 authors) on a
database of its own and serves each with gunicorn at the same settings
(this tree's ``gunicorn.conf.py``, worker recycling included). Servers:

* ``then``: COMMIT with its page cache off;
* ``cold``: this code with the page cache and the fragment caches off
  (every byte rendered, as COMMIT renders it);
* ``uncached``: this code with the page cache off and the fragment caches on.

Each round measures, page by page, the bare view and then the page on
every server, the servers' order turned each round. Prints requests/s, each
server's ratio to its own bare view, and this code ÷ COMMIT's per page
(medians over the rounds); writes bench/out/versus.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.serving import PROJECT, PYTHON, ensure_wrk, start_gunicorn, stop, wrk

SERVERS = {
    "then": {"PAGE_CACHE": "0"},
    "cold": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "0"},
    "uncached": {"PAGE_CACHE": "0"},
}
PORTS = {"then": 8093, "cold": 8094, "uncached": 8095}
DATABASES = {"then": "magazine_bench_then", "now": "magazine_bench_now"}
BUILD = (
    "import json, sys; from bench.serving import build_site;"
    " print(json.dumps(build_site(sys.argv[1])))"
)


def build(tree, db):
    """The tree's own site on ``db``, built by the tree's own code: its addresses."""
    result = subprocess.run(
        [PYTHON, "-c", BUILD, db],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"building the site of {tree} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--pages", default="home,toc,page,article,search")
    args = parser.parse_args()
    pages = args.pages.split(",")
    ensure_wrk()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", args.commit],
        cwd=PROJECT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="versus-") as folder:
        worktree = Path(folder) / commit
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(worktree), commit],
            cwd=PROJECT,
            check=True,
        )
        try:
            runs = measure(args, pages, {"then": worktree, "now": PROJECT})
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=PROJECT)
    report(commit, args, pages, runs)


def measure(args, pages, trees):
    """Each tree's site built and served; the rounds' requests/s by server and page."""
    servers = {}
    try:
        urls = {side: build(tree, DATABASES[side]) for side, tree in trees.items()}
        for name, extra in SERVERS.items():
            side = "then" if name == "then" else "now"
            servers[name] = start_gunicorn(DATABASES[side], PORTS[name], trees[side], **extra)
        runs = {name: {page: [] for page in ["bare", *pages]} for name in SERVERS}
        order = list(SERVERS)
        for round_number in range(args.rounds):
            for page in pages:
                for name in order:
                    site = urls["then" if name == "then" else "now"]
                    for measured in ("bare", page):
                        answer = wrk(site[measured], args.duration, args.connections, PORTS[name])
                        if answer["non_2xx"] or answer["socket_errors"]:
                            raise SystemExit(f"{name} {measured}: {answer}")
                        runs[name][measured].append(answer["rps"])
                    print(
                        f"round {round_number + 1} {page:8} {name:8}"
                        f" bare {runs[name]['bare'][-1]:7.1f}  page {runs[name][page][-1]:7.1f}",
                        flush=True,
                    )
            order.reverse()
    finally:
        for process in servers.values():
            stop(process)
    return runs


def report(commit, args, pages, runs):
    median = {
        name: {page: statistics.median(values) for page, values in by_page.items()}
        for name, by_page in runs.items()
    }
    table = {}
    print(f"\nmedians of {args.rounds} rounds, {args.duration} s each; requests/s (ratio to bare)")
    heads = "".join(f"{name:>16}" for name in SERVERS)
    print(f"{'page':8}{heads} {'cold÷then':>10} {'unc÷then':>9}")
    for page in ["bare", *pages]:
        row = {name: median[name][page] for name in SERVERS}
        ratios = {name: round(row[name] / median[name]["bare"], 3) for name in SERVERS}
        table[page] = {
            "rps": row,
            "ratio_to_bare": ratios,
            "cold_over_then": round(row["cold"] / row["then"], 3),
            "uncached_over_then": round(row["uncached"] / row["then"], 3),
        }
        cells = " ".join(f"{row[name]:7.1f} ({ratios[name]:.2f})" for name in SERVERS)
        print(
            f"{page:8} {cells} {table[page]['cold_over_then']:>10.2f}"
            f" {table[page]['uncached_over_then']:>9.2f}"
        )
    out = PROJECT / "bench" / "out"
    out.mkdir(exist_ok=True)
    result = {
        "commit": commit,
        "rounds": args.rounds,
        "duration_s": args.duration,
        "connections": args.connections,
        "pages": table,
        "runs": runs,
    }
    (out / "versus.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
