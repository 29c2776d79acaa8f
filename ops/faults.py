"""Load and fault scripts: gunicorn + PostgreSQL on loopback, each bounded in time.

    .venv/bin/python ops/faults.py [--quick] [SCENARIO ...]

    load                  wrk, 64 connections, 60 s, a mix of every public page
    db-restart            PostgreSQL restarted under load: how soon the site answers again
    worker-kill           a gunicorn worker killed with SIGKILL under load: errors after it
    import-kill           import_text of 10,000 files killed with SIGKILL half-way, then rerun
    import-while-reading  readers' p99 latency idle, and while 10,000 files are imported

With no name, all of them. --quick runs each for a few seconds on a few
hundred files (CI runs it so that the scripts cannot rot); the figures are
printed and written to ops/out/faults.json. Exits 1 if a check fails: an
error under plain load, a request that hung past gunicorn's timeout, no
answer within 30 s of a database restart, errors after a worker was
replaced, a partial or duplicated article after a killed import.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.import_bench import generate
from bench.serving import (
    PORT,
    PROJECT,
    PYTHON,
    build_site,
    ensure_wrk,
    environment,
    recreate_database,
    start_gunicorn,
    stop,
    wrk,
)

SITE_DB = "magazine_faults_site"
IMPORT_DB = "magazine_faults_import"
REDIS = "redis://127.0.0.1:6379/13"
GUNICORN_TIMEOUT_MS = 30_000
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"  FAILED: {message}")


def errors(run):
    socket = run["socket_errors"]
    counted = sum(int(n) for n in socket.replace(",", " ").split() if n.isdigit())
    return run["non_2xx"] + counted


def served(mix, duration, **env):
    """gunicorn on the site, wrk on the mix; returns wrk's figures."""
    server = start_gunicorn(SITE_DB, **env)
    try:
        return wrk("/", duration, 64, mix=mix)
    finally:
        stop(server)


def load(mix, quick):
    duration = 3 if quick else 60
    print(f"load: wrk, 64 connections, {duration} s, {len(mix)} addresses in turn")
    run = served(mix, duration, PAGE_CACHE="1", REDIS_URL=REDIS)
    print(f"  {run}")
    check(errors(run) == 0, f"load: {errors(run)} errors or non-2xx/3xx answers")
    return run


class HealthWatch(threading.Thread):
    """Polls /healthz every 50 ms, remembering when it answered and how."""

    def __init__(self):
        super().__init__(daemon=True)
        self.answers, self.done = [], threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{PORT}/healthz", timeout=5
                ) as answer:
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = None
            self.answers.append((time.monotonic(), status))
            time.sleep(0.05)


def restart_postgresql():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )


def db_restart(mix, quick):
    duration = 6 if quick else 20
    print(f"db-restart: PostgreSQL restarted 2 s into {duration} s of load (page cache off)")
    server = start_gunicorn(SITE_DB, PAGE_CACHE="0")
    watch = HealthWatch()
    try:
        watch.start()
        result = {}

        def restart_soon():
            time.sleep(2)
            result["began"] = time.monotonic()
            restart_postgresql()
            result["ended"] = time.monotonic()

        restarter = threading.Thread(target=restart_soon)
        restarter.start()
        during = wrk("/", duration, 64, mix=mix, warm=False)
        restarter.join()
        after = wrk("/", 3 if quick else 10, 64, mix=mix, warm=False)
    finally:
        watch.done.set()
        stop(server)
    back = next((t for t, status in watch.answers if t > result["ended"] and status == 200), None)
    figures = {
        "restart_s": round(result["ended"] - result["began"], 2),
        "answering_again_s_after_restart": round(back - result["ended"], 2) if back else None,
        "failed_during": errors(during),
        "requests_during": during["requests"],
        "slowest_ms": during["max_ms"],
        "errors_after": errors(after),
        "requests_after": after["requests"],
    }
    print(f"  {figures}")
    check(back is not None and back - result["ended"] < 30, "db-restart: no answer within 30 s")
    check(during["max_ms"] < GUNICORN_TIMEOUT_MS, "db-restart: a request hung past the timeout")
    check(errors(after) == 0, "db-restart: errors after the database was back")
    return figures


def gunicorn_workers(master):
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def worker_kill(mix, quick):
    print("worker-kill: a worker killed with SIGKILL 1 s into the load (page cache off)")
    server = start_gunicorn(SITE_DB, PAGE_CACHE="0")
    try:
        before = gunicorn_workers(server.pid)
        victim = before[0]

        def kill_soon():
            time.sleep(1)
            os.kill(victim, signal.SIGKILL)

        killer = threading.Thread(target=kill_soon)
        killer.start()
        during = wrk("/", 3 if quick else 5, 64, mix=mix, warm=False)
        killer.join()
        after = wrk("/", 3 if quick else 15, 64, mix=mix, warm=False)
        replaced = gunicorn_workers(server.pid)
    finally:
        stop(server)
    figures = {
        "workers_before": len(before),
        "workers_after": len(replaced),
        "victim_replaced": victim not in replaced and len(replaced) == len(before),
        "errors_while_killed": errors(during),
        "errors_after": errors(after),
        "requests_after": after["requests"],
    }
    print(f"  {figures}")
    check(figures["victim_replaced"], "worker-kill: the master did not replace the worker")
    check(errors(after) == 0, "worker-kill: errors after the worker was replaced")
    return figures


def count(sql):
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", IMPORT_DB, "-tAc", sql],
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip() or 0) if result.returncode == 0 else 0


def import_command(folder, issue):
    return [PYTHON, "manage.py", "import_text", str(folder), "--issue", issue, "--verbosity", "0"]


def import_kill(quick):
    files = 400 if quick else 10_000
    print(f"import-kill: import_text of {files} files killed with SIGKILL half-way, then rerun")
    recreate_database(IMPORT_DB)
    env = environment(IMPORT_DB)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), files)
        child = subprocess.Popen(
            import_command(folder, "2030-1"), cwd=PROJECT, env=env, start_new_session=True
        )
        while count("SELECT count(*) FROM articles_article") < files // 2:
            if child.poll() is not None:
                break
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        articles = count("SELECT count(*) FROM articles_article")
        indexed = count("SELECT count(*) FROM articles_articlesearch")
        historied = count(
            "SELECT count(DISTINCT id) FROM articles_historicalarticle WHERE history_type = '+'"
        )
        empty = count("SELECT count(*) FROM articles_article WHERE body = '' OR title = ''")
        started = time.monotonic()
        rerun = subprocess.run(
            import_command(folder, "2030-1"), cwd=PROJECT, env=env, capture_output=True, text=True
        )
        rerun_s = time.monotonic() - started
    final = count("SELECT count(*) FROM articles_article")
    distinct = count("SELECT count(DISTINCT (issue_id, title)) FROM articles_article")
    figures = {
        "files": files,
        "articles_when_killed": articles,
        "with_search_row": indexed,
        "with_history": historied,
        "empty_articles": empty,
        "rerun_exit": rerun.returncode,
        "rerun_s": round(rerun_s, 1),
        "articles_after_rerun": final,
        "distinct_after_rerun": distinct,
    }
    print(f"  {figures}")
    check(0 < articles < files, "import-kill: not killed half-way")
    check(articles == indexed == historied, "import-kill: an article without its index or history")
    check(empty == 0, "import-kill: a partial article")
    check(rerun.returncode == 0, f"import-kill: the rerun failed: {rerun.stderr[-500:]}")
    check(final == distinct == files, "import-kill: missing or duplicated articles after rerun")
    return figures


def import_while_reading(mix, quick):
    files = 300 if quick else 10_000
    duration = 4 if quick else 20
    print(f"import-while-reading: readers' latency idle, then while {files} files are imported")
    server = start_gunicorn(SITE_DB, PAGE_CACHE="1", REDIS_URL=REDIS)
    env = environment(SITE_DB)
    try:
        wrk("/", 2, 64, mix=mix)  # every page once into the cache, as on a live site
        idle = wrk("/", duration, 64, mix=mix, warm=False)
        with tempfile.TemporaryDirectory() as folder:
            generate(Path(folder), files, seed=7)
            importer = subprocess.Popen(
                import_command(folder, "2031-1"), cwd=PROJECT, env=env, start_new_session=True
            )
            time.sleep(1)
            busy = wrk("/", duration, 64, mix=mix, warm=False)
            still_importing = importer.poll() is None
            importer.wait()
    finally:
        stop(server)
    ratio = busy["latency_ms"]["p99"] / max(idle["latency_ms"]["p99"], 0.001)
    figures = {
        "files": files,
        "idle": idle,
        "while_importing": busy,
        "import_ran_throughout": still_importing,
        "import_exit": importer.returncode,
        "p99_ratio": round(ratio, 2),
    }
    print(
        f"  idle p99 {idle['latency_ms']['p99']} ms, while importing p99 "
        f"{busy['latency_ms']['p99']} ms: {ratio:.2f}x"
    )
    check(importer.returncode == 0, "import-while-reading: the import failed")
    check(errors(busy) == 0, "import-while-reading: readers got errors")
    if not quick:  # a few seconds' figures are noise
        check(ratio <= 3, f"import-while-reading: p99 {ratio:.2f}x idle, more than 3x")
    return figures


SCENARIOS = ["load", "db-restart", "worker-kill", "import-kill", "import-while-reading"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=", ".join(SCENARIOS))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    chosen = args.scenarios or SCENARIOS
    ensure_wrk()
    started = time.monotonic()
    print("building the site…")
    mix = build_site(SITE_DB)["all"]
    subprocess.run(["redis-cli", "-n", "13", "FLUSHDB"], capture_output=True)
    results = {}
    for name in chosen:
        if name == "load":
            results[name] = load(mix, args.quick)
        elif name == "db-restart":
            results[name] = db_restart(mix, args.quick)
        elif name == "worker-kill":
            results[name] = worker_kill(mix, args.quick)
        elif name == "import-kill":
            results[name] = import_kill(args.quick)
        else:
            results[name] = import_while_reading(mix, args.quick)
    results["seconds"] = round(time.monotonic() - started)
    results["failures"] = failures
    out = PROJECT / "ops" / "out"
    out.mkdir(exist_ok=True)
    (out / "faults.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"{len(failures)} check(s) failed; {results['seconds']} s in all")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
