"""Each public page's cost in CPU instructions, counted by valgrind (callgrind).

    .venv/bin/python bench/instructions.py [--requests 20] [--quick]
                                           [--modes cold,uncached] [--pages page,toc]

Requests per second on this shared machine drift by half within minutes
(bench/run.py measures the bare view 36 times for that reason), so a change
worth 5 % cannot be seen in them. The number of instructions a worker runs
for a request does not drift: callgrind counts them the same whatever else
the machine does. This builds the same site as ``make bench`` and, in one
process per mode (cold, uncached, cached with Redis) under callgrind with
its instrumentation off, calls the WSGI application for the bare view and
each page: a few requests to warm it, then ``requests`` with the counting
on (``callgrind_control``), and prints millions of instructions per request
and each page's ratio to the bare view (bare ÷ page, as bench/run.py's
ratios are). What it leaves out is what the worker does not run itself:
gunicorn's HTTP handling, PostgreSQL's and Redis's work, the kernel; the
ratios are therefore lower than bench/run.py's. Writes
bench/out/instructions.json.
"""

import argparse
import glob
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import PAGES
from bench.serving import PROJECT, PYTHON, build_site, ensure_tool, environment

DB = "magazine_bench_instructions"
MODES = {
    "cold": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "0"},
    "uncached": {"PAGE_CACHE": "0"},
    "cached": {"PAGE_CACHE": "1", "REDIS_URL": "redis://127.0.0.1:6379/13"},
}


def wsgi_get(app, path):
    """GET ``path`` from the WSGI application as gunicorn would; the status line."""
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8091",
        "HTTP_HOST": "127.0.0.1:8091",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    for _ in app(environ, lambda line, headers, exc_info=None: status.append(line)):
        pass
    return status[0]


def count(dumps, pid, step):
    """Run ``step``, counting its instructions: callgrind's counters zeroed before
    (a dump zeroes them) and read from the dump after."""
    dump = ["callgrind_control", "-d", str(pid)]
    subprocess.run(dump, capture_output=True, check=True)
    before = set(glob.glob(f"{dumps}/*"))
    step()
    subprocess.run(dump, capture_output=True, check=True)
    total = 0
    for name in set(glob.glob(f"{dumps}/*")) - before:
        with open(name) as dump:
            total += sum(int(line.split()[1]) for line in dump if line.startswith("summary:"))
    if not 0 < total < 2**63:  # a counter read across a toggle of the instrumentation
        raise SystemExit(f"callgrind gave no usable count ({total})")
    return total


def child(mode, requests, urls_file, dumps, pages):
    """Inside callgrind: warm, then count each address's requests."""
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    urls = json.loads(Path(urls_file).read_text())
    pid = os.getpid()
    control = ["callgrind_control", "-i"]
    counts = {}
    for name in ["bare", *pages]:
        path = urls[name]
        for _ in range(4):  # the caches, the prepared statements, the lazy imports
            status = wsgi_get(app, path)
            if not status.startswith("200"):
                raise SystemExit(f"{path} answered {status} ({mode})")
        # Counting is on only around each page (it runs fifty times slower), and
        # one request more goes by before the count, through the counting itself.
        subprocess.run([*control, "on", str(pid)], capture_output=True, check=True)
        wsgi_get(app, path)
        # What answering callgrind_control costs the process itself, taken off.
        idle = count(dumps, pid, lambda: None)
        total = count(dumps, pid, lambda path=path: [wsgi_get(app, path) for _ in range(requests)])
        subprocess.run([*control, "off", str(pid)], capture_output=True, check=True)
        counts[name] = (total - idle) / requests
    print(json.dumps(counts))


def measure(mode, requests, urls_file, pages):
    with tempfile.TemporaryDirectory() as dumps:
        env = environment(DB, **MODES[mode], PYTHONHASHSEED="0")
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={dumps}/callgrind.%p",
                PYTHON,
                __file__,
                "--child",
                mode,
                "--requests",
                str(requests),
                "--urls",
                urls_file,
                "--dumps",
                dumps,
                "--pages",
                ",".join(pages),
            ],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode:
        print(result.stderr[-3000:])
        raise SystemExit(f"the {mode} run under callgrind failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def chosen(names, known, parser, option):
    """The comma-separated ``names``, each one of ``known``."""
    wanted = names.split(",")
    unknown = [name for name in wanted if name not in known]
    if unknown:
        parser.error(f"{option}: unknown {', '.join(unknown)} (known: {', '.join(known)})")
    return wanted


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--modes", help="some of cold,uncached,cached (all by default)")
    parser.add_argument("--pages", help="some of the pages (all by default)")
    parser.add_argument("--child", choices=MODES)
    parser.add_argument("--urls")
    parser.add_argument("--dumps")
    args = parser.parse_args()
    pages = chosen(args.pages, PAGES, parser, "--pages") if args.pages else PAGES
    if args.child:
        return child(args.child, args.requests, args.urls, args.dumps, pages)
    requests = 2 if args.quick else args.requests
    if args.modes:
        modes = chosen(args.modes, MODES, parser, "--modes")
    else:
        modes = ["uncached"] if args.quick else list(MODES)  # --quick: for CI, that it works
    ensure_tool("valgrind", "valgrind")
    print("building the site…")
    urls = build_site(DB)
    subprocess.run(["redis-cli", "-n", "13", "FLUSHDB"], capture_output=True)
    results = {"requests": requests, "unit": "instructions per request"}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as urls_file:
        json.dump(urls, urls_file)
        urls_file.flush()
        for mode in modes:
            print(f"counting {mode}…")
            counts = measure(mode, requests, urls_file.name, pages)
            results[mode] = {
                name: {
                    "instructions": round(counts[name]),
                    "ratio": round(counts["bare"] / counts[name], 3),
                }
                for name in ["bare", *pages]
            }
    print(f"\nmillions of instructions per request ({requests} requests each), ratio to bare:")
    print(f"{'page':<14}" + "".join(f"{mode:>18}" for mode in modes))
    for name in ["bare", *pages]:
        cells = (results[mode][name] for mode in modes)
        print(
            f"{name:<14}"
            + "".join(f"{c['instructions'] / 1e6:>11.2f} {c['ratio']:>6.3f}" for c in cells)
        )
    if args.modes or args.pages:  # a developer's look at some pages: kept apart
        out = PROJECT / "bench/out/instructions-some.json"
    elif args.quick:
        out = PROJECT / "bench/out/instructions-quick.json"
    else:
        out = PROJECT / "bench/out/instructions.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
