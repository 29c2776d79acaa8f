"""The scale-out topology started on loopback, tried under load and faults, stopped.

    .venv/bin/python ops/scale.py [--quick]      (make scale [SCALE_ARGS=--quick])

Starts (ops/topology.py): a PostgreSQL primary and its streaming replica
(clusters of their own), Redis, an S3 server (moto), two app servers
(`make serve`) behind HAProxy, two job workers in two working folders;
fills the site (`load_demo`: its scans and PDFs go to the bucket) and a
chief editor (`create_staff`). Then, in order:

    shared     log in through one app server, publish through the other, read
               through the first: the session, the publication and the page
               cache are shared
    load       wrk, 64 connections, 60 s, every page of the sitemap and some
               searches, through HAProxy; at 20 s one app server is SIGKILLed,
               at 30 s Redis restarted, at 40 s the replica stopped, at 50 s
               started again. HAProxy's log (accept time, status, time taken)
               gives each window's figures
    worker     a 1,000-file import uploaded through HAProxy; the worker that
               runs it is SIGKILLed half-way; the other takes it over
    store      the object store stopped: readers' pages, and an upload

Writes ops/out/scale.json (for each scenario requests, errors, p50_ms,
p99_ms, and recovery_s where it applies) and exits 1 if a check failed.
--quick (CI) runs the same with 20 s of load and 400 files.
"""

import argparse
import io
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import zipfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import itertools

from bench.import_bench import generate, page_list
from bench.serving import MIX_SCRIPT, ensure_wrk, parse_wrk
from ops.topology import (
    PROJECT,
    AppServer,
    Cluster,
    JobWorker,
    LoadBalancer,
    ObjectStore,
    Redis,
    private_folder,
)

DB = "magazine"
PASSWORD = "scale-chief-7a1c94d2e"  # a throwaway account of a throwaway database
failures = []
BEGAN = time.monotonic()


def say(message):
    print(f"[{time.monotonic() - BEGAN:4.0f} s] {message}", flush=True)


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"  FAILED: {message}")


def ensure_haproxy():
    if shutil.which("haproxy"):
        return
    say("installing haproxy (Debian package)")
    subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=True)


class Topology:
    def __init__(self, folder, quick):
        self.folder, self.quick = folder, quick
        self.logs = folder / "logs"
        self.logs.mkdir()
        self.started = []

    def keep(self, part):
        self.started.append(part)
        return part

    def start(self):
        say("starting PostgreSQL (primary and streaming replica), Redis, S3…")
        self.primary = self.keep(Cluster(self.folder / "primary"))
        self.primary.create()
        self.primary.psql(f"CREATE DATABASE {DB}")
        self.redis = self.keep(Redis(self.logs).start())
        self.store = self.keep(ObjectStore(self.logs).start())
        self.variables = {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "scale-run-only-not-a-secret-0b1e5c7d9f2a4e6c8b0d",
            "DJANGO_HTTPS": "0",  # plain HTTP on loopback; HAProxy would end TLS
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.primary.url(DB),
            "REDIS_URL": self.redis.url,
            "REPLICA_CHECK_SECONDS": "1",
            "JOBS_HEARTBEAT_SECONDS": "1",
            "JOBS_LEASE_SECONDS": "6",
            **self.store.variables(),
        }
        self.manage("migrate", "--noinput", "-v0")
        say("filling the site (load_demo: scans and PDFs into the bucket)…")
        self.manage("load_demo", "--no-accounts", "-v0")
        self.manage(
            "create_staff", "chief", "--role", "chief", "--password-from-env", "SCALE_PASSWORD",
            SCALE_PASSWORD=PASSWORD,
        )  # fmt: skip
        self.replica = self.keep(Cluster(self.folder / "replica"))
        self.replica.replicate(self.primary)
        self.variables["DATABASE_REPLICA_URLS"] = self.replica.url(DB)
        say("starting two app servers (make serve), HAProxy, two job workers…")
        self.apps = [
            self.keep(AppServer(self.logs, name, self.variables).start(seconds=120))
            for name in ("app1", "app2")
        ]  # one after the other: each runs migrate and collectstatic first
        self.balancer = self.keep(LoadBalancer(self.logs, self.apps).start())
        self.workers = [
            self.keep(JobWorker(self.logs, name, self.variables, self.folder / name).start())
            for name in ("worker-1", "worker-2")
        ]

    def manage(self, *args, **variables):
        import os

        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=PROJECT, capture_output=True, text=True,
            env={**os.environ, **self.variables, **variables},
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]}: {result.stderr[-2000:]}")
        return result.stdout

    def stop(self):
        for part in reversed(self.started):
            try:
                part.stop()
            except Exception as error:  # stop the rest whatever one did
                print(f"  stopping {type(part).__name__}: {error}")

    def sql(self, query):
        return self.primary.psql(query, DB)


def editor_session(base):
    """A logged-in chief editor's session (cookies) through ``base``."""
    session = requests.Session()
    page = session.get(f"{base}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = session.post(
        f"{base}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "chief", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    if done.status_code != 302:
        raise RuntimeError(f"login through {base}: {done.status_code}")
    return session


def csrf(session, url):
    if "csrftoken" in session.cookies:  # the cookie's secret is a valid token
        return session.cookies["csrftoken"]
    page = session.get(url, timeout=10)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def draft_issue(topology, year, number, reviewed=False):
    """A draft issue with the demo's page list; ``reviewed``: every level before the
    last has signed it off (as their holders would), so the chief editor may
    publish it."""
    codes = ", ".join(f"({code!r}, {name!r})" for code, name in page_list())
    review = (
        "from magazine.models import ReviewLevel, ReviewStep; chain = ReviewLevel.chain(); "
        "[ReviewStep.objects.create(issue=issue, kind='signed', level=level, "
        "level_name=level.name) for level in chain[:-1]]; "
        "Issue.objects.filter(pk=issue.pk).update(review='submitted', review_level=chain[-1])"
        if reviewed
        else "pass"
    )
    topology.manage(
        "shell", "-c",
        "from magazine.models import Issue; from sections.models import Section; "
        f"issue = Issue.objects.create(year={year}, number={number}); "
        f"Section.objects.merge(issue, [{codes}]); {review}",
    )  # fmt: skip
    return int(topology.sql(f"SELECT id FROM magazine_issue WHERE year={year} AND number={number}"))


def shared(topology):
    say("shared: log in through app1, publish through app2, read through app1")
    one, two = (f"http://127.0.0.1:{app.port}" for app in topology.apps)
    pk = draft_issue(topology, 2030, 1, reviewed=True)
    address = f"{one}/issues/2030/1/"
    before = requests.get(address, timeout=10).status_code
    session = editor_session(one)
    admin_through_two = session.get(f"{two}/admin/", allow_redirects=False, timeout=10)
    published = session.post(
        f"{two}/admin/magazine/issue/",
        data={
            "csrfmiddlewaretoken": csrf(session, f"{two}/admin/magazine/issue/"),
            "action": "publish_now",
            "_selected_action": [str(pk)],
        },
        allow_redirects=False,
        timeout=10,
    )
    answered = time.monotonic()
    after = requests.get(address, timeout=10)
    seen_ms = (time.monotonic() - answered) * 1000
    # As HAProxy forwards them: the same Host to either server.
    host = {"Host": urllib.parse.urlsplit(topology.balancer.url).netloc}
    requests.get(f"{one}/", headers=host, timeout=10)
    cached_one = requests.get(f"{one}/", headers=host, timeout=10).headers.get("X-Page-Cache")
    cached_two = requests.get(f"{two}/", headers=host, timeout=10).headers.get("X-Page-Cache")
    figures = {
        "draft_status_before": before,
        "session_through_other_server": admin_through_two.status_code,
        "publish_status": published.status_code,
        "published_status_through_first": after.status_code,
        "published_seen_ms": round(seen_ms, 1),
        "home_cache_first": cached_one,
        "home_cache_other": cached_two,
    }
    print(f"  {figures}")
    check(before == 404, "shared: the draft was visible before publication")
    check(admin_through_two.status_code == 200, "shared: the session was not seen by app2")
    check(published.status_code == 302, "shared: publishing through app2 failed")
    check(after.status_code == 200, "shared: the publication was not seen at once through app1")
    check(cached_one == cached_two == "hit", "shared: the page cache was not shared")
    return figures


def reader_mix(base):
    """Every address of the sitemap (both scripts) and a few searches, as paths."""
    found, sitemaps = [], [f"{base}/sitemap.xml"]
    while sitemaps:
        body = requests.get(sitemaps.pop(), timeout=10).text
        for loc in re.findall(r"<loc>([^<]+)</loc>", body):
            (sitemaps if loc.endswith(".xml") or "sitemap" in loc else found).append(loc)
    paths = sorted({urllib.parse.urlsplit(url).path for url in found})
    words = ["护林员", "乡村", "茶园", "社区"]
    return paths + [f"/search/?q={urllib.parse.quote(w)}" for w in words]


def run_wrk(url, mix, seconds, connections=64):
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as made:
        made.write(MIX_SCRIPT % ", ".join(f'"{p}"' for p in mix))
    script = Path(made.name)
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "35s",
             "-s", str(script), url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        script.unlink()
    return parse_wrk(output)


def wrk_errors(run):
    counted = sum(int(n) for n in run["socket_errors"].replace(",", " ").split() if n.isdigit())
    return run["non_2xx"] + counted


class Watch(threading.Thread):
    """Every 0.25 s: a reader page through HAProxy (status, cache), a search no
    cache has (so that it reads a database), and how many transactions each
    database has run (which one serves the readers)."""

    def __init__(self, topology, path):
        super().__init__(daemon=True)
        self.topology, self.url = topology, topology.balancer.url + path
        self.samples, self.done = [], threading.Event()

    def run(self):
        query = f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{DB}'"
        search = f"{self.topology.balancer.url}/search/?q=%E4%B9%A1%E6%9D%91&watch="
        count = 0
        while not self.done.is_set():
            count += 1
            try:
                answer = requests.get(self.url, timeout=5)
                status, cache = answer.status_code, answer.headers.get("X-Page-Cache")
                fresh = requests.get(f"{search}{count}", timeout=5).status_code
            except requests.RequestException:
                status, cache, fresh = None, None, None
            replica = self.topology.replica.psql(query)
            primary = self.topology.primary.psql(query)
            self.samples.append(
                {
                    "t": time.time(),
                    "status": status,
                    "cache": cache,
                    "fresh": fresh,
                    "replica": int(replica) if replica else None,
                    "primary": int(primary) if primary else None,
                }
            )
            self.done.wait(0.25)

    def grew(self, name, start, end):
        """How much the database's counter grew between two moments (None: it was down)."""
        values = [s[name] for s in self.samples if start <= s["t"] <= end and s[name] is not None]
        if len(values) < 2:
            return 0
        return sum(max(b - a, 0) if b >= a else b for a, b in itertools.pairwise(values))


def percentile(values, pct):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def done_at(line):
    return line[0] + line[2] / 1000


def failed(line):
    """An error page, no answer, or an answer the server broke off (HAProxy's
    termination state S…: a 200 whose body was cut when its server died)."""
    return line[1] >= 500 or line[1] < 0 or line[4].startswith("S")


def window(lines, start, end):
    """HAProxy's figures for the requests accepted in [start, end)."""
    inside = [line for line in lines if start <= line[0] < end]
    failed_ones = [line for line in inside if failed(line)]
    took = [line[2] for line in inside if line[2] >= 0]
    return {
        "requests": len(inside),
        "errors": len(failed_ones),
        "p50_ms": percentile(took, 50),
        "p99_ms": percentile(took, 99),
    }, failed_ones


def load(topology, mix):
    quick = topology.quick
    seconds = 20 if quick else 60
    at = {"kill": 5, "redis": 9, "replica_stop": 12, "replica_start": 16} if quick else {
        "kill": 20, "redis": 30, "replica_stop": 40, "replica_start": 50}  # fmt: skip
    say(
        f"load: wrk, 64 connections, {seconds} s, {len(mix)} addresses; app1 SIGKILLed at "
        f"{at['kill']} s, Redis restarted at {at['redis']} s, the replica stopped at "
        f"{at['replica_stop']} s and started at {at['replica_start']} s"
    )
    for path in mix:  # every page once into the cache, as on a live site
        requests.get(topology.balancer.url + path, timeout=30)
    watch = Watch(topology, mix[0])
    events = {}

    def faults(began):
        def at_second(name):
            time.sleep(max(0, began + at[name] - time.time()))
            events[name] = time.time()

        at_second("kill")
        topology.apps[0].kill()
        at_second("redis")
        topology.redis.kill()
        time.sleep(0.5)
        topology.redis.start()
        events["redis_back"] = time.time()
        at_second("replica_stop")
        topology.replica.stop()
        at_second("replica_start")
        topology.replica.start()
        events["replica_back"] = time.time()

    watch.start()
    began = time.time()
    injector = threading.Thread(target=faults, args=(began,))
    injector.start()
    run = run_wrk(topology.balancer.url + "/", mix, seconds)
    injector.join()
    time.sleep(2)
    watch.done.set()
    watch.join()
    ended = time.time()
    lines = topology.balancer.log_lines()

    overall = {
        "requests": run["requests"],
        "errors": wrk_errors(run),
        "p50_ms": run["latency_ms"].get("p50"),
        "p99_ms": run["latency_ms"].get("p99"),
        "rps": run["rps"],
        "non_2xx_3xx": run["non_2xx"],
        "socket_errors": run["socket_errors"],
    }
    before, _ = window([line for line in lines if done_at(line) < events["kill"]], began,
                       events["kill"])  # fmt: skip
    killed, failures_then = window(lines, events["kill"], events["redis"])
    in_flight = [line for line in lines if line[0] < events["kill"] and failed(line)]
    after_kill = [line for line in failures_then if line[0] >= events["kill"]]
    last_failure = max((line[0] + line[2] / 1000 for line in in_flight + after_kill), default=None)
    killed.update(
        in_flight_failed=len(in_flight),
        # What each lost request was, as HAProxy ended it: its status and
        # termination state (SD: the server's answer broken off mid-body).
        in_flight_kinds=sorted({f"{line[1]} {line[4]}" for line in in_flight}),
        failed_after_kill=len(after_kill),
        errors=len(in_flight) + len(after_kill),
        recovery_s=round(max(0, last_failure - events["kill"]), 2) if last_failure else 0,
        served_by_app1_after_kill=sum(1 for line in lines
                                      if line[0] > events["kill"] + 1 and line[3] == "app1"),
    )  # fmt: skip
    redis, _ = window(lines, events["redis"], events["replica_stop"])
    first_hit = next(
        (s["t"] for s in watch.samples if s["t"] > events["redis_back"] and s["cache"] == "hit"),
        None,
    )
    redis.update(
        recovery_s=round(first_hit - events["redis_back"], 2) if first_hit else None,
        rendered_while_away=sum(
            1 for s in watch.samples
            if events["redis"] <= s["t"] <= events["redis_back"] and s["status"] == 200
        ),
    )  # fmt: skip
    replica, _ = window(lines, events["replica_stop"], events["replica_start"])
    back_at = None
    samples = [s for s in watch.samples if s["t"] > events["replica_back"] and s["replica"]]
    for a, b in itertools.pairwise(samples):
        if b["replica"] > a["replica"]:
            back_at = b["t"]
            break
    replica.update(
        replica_reads_before=watch.grew("replica", began, events["replica_stop"]),
        # Pages no cache holds, each reading the database: with the replica
        # stopped, from the primary.
        uncached_pages_while_stopped=[
            s["fresh"]
            for s in watch.samples
            if events["replica_stop"] <= s["t"] <= events["replica_start"]
        ],
        replica_reads_after=watch.grew("replica", events["replica_back"], ended),
        recovery_s=round(back_at - events["replica_back"], 2) if back_at else None,
    )
    after, _ = window(lines, events["replica_start"], ended)
    figures = {
        "load": overall,
        "before_faults": before,
        "app_server_killed": killed,
        "redis_restarted": redis,
        "replica_stopped": replica,
        "after_replica_back": after,
    }
    for name, each in figures.items():
        print(f"  {name}: {each}")
    check(before["errors"] == 0, "load: errors before any fault")
    check(after_kill == [], f"load: {len(after_kill)} requests failed after app1 was killed")
    check(killed["served_by_app1_after_kill"] == 0, "load: HAProxy sent requests to a dead app1")
    check(redis["errors"] == 0, "load: error pages while Redis restarted")
    check(redis["recovery_s"] is not None, "load: the page cache did not refill after Redis")
    check(replica["errors"] == 0, "load: error pages while the replica was stopped")
    check(replica["replica_reads_before"] > 0, "load: readers' pages did not use the replica")
    fresh = replica.pop("uncached_pages_while_stopped")
    replica["uncached_pages_while_stopped"] = len(fresh)
    replica["uncached_pages_while_stopped_ok"] = fresh.count(200)
    check(fresh and set(fresh) == {200}, "load: uncached pages failed with the replica stopped")
    check(replica["recovery_s"] is not None, "load: reads did not come back to the replica")
    check(after["errors"] == 0, "load: errors after the replica was back")
    # wrk's count (error answers and broken connections) against HAProxy's
    # log: what failed is what app1 held when it was killed, nothing more.
    check(overall["errors"] == len(in_flight), "load: errors beyond app1's in-flight requests")
    say("  starting app1 again…")
    topology.apps[0].start(seconds=120)
    rejoined = time.time()
    deadline = rejoined + 20
    while time.time() < deadline:
        requests.get(topology.balancer.url + "/", timeout=10)
        if any(line[3] == "app1" and line[0] > rejoined for line in topology.balancer.log_lines()):
            break
        time.sleep(0.2)
    figures["app_server_killed"]["rejoined_s"] = round(time.time() - rejoined, 2)
    check(time.time() < deadline, "load: app1 was not used again after it came back")
    return figures


def text_batch(count):
    """``count`` generated article files, zipped as an editor uploads them."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), count, seed=11)
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as made:
            for path in sorted(Path(folder).rglob("*.txt")):
                made.write(path, path.name)
        return data.getvalue()


def job_row(topology, pk):
    row = topology.sql(f"SELECT state, worker_id, done, attempts FROM jobs_job WHERE id = {pk}")
    state, worker, done, attempts = row.split("|")
    return state, worker, int(done), int(attempts)


def wait_job(topology, pk, until, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        row = job_row(topology, pk)
        if until(*row):
            return row
        time.sleep(0.1)
    raise RuntimeError(f"job {pk}: still {job_row(topology, pk)} after {seconds} s")


def newest_job(topology, kind):
    return int(topology.sql(f"SELECT max(id) FROM jobs_job WHERE kind = '{kind}'"))


def upload_batch(session, base, pk, data):
    url = f"{base}/admin/magazine/issue/{pk}/import/"
    return session.post(
        url,
        data={"csrfmiddlewaretoken": csrf(session, url), "page": ""},
        files={"files": ("articles.zip", data, "application/zip")},
        allow_redirects=False,
        timeout=120,
    )


def worker(topology):
    # Each file of an upload is its own PUT to the bucket, within the request:
    # 2,000 took longer than gunicorn's 30 s here (README, "Measured scale-out").
    files = 400 if topology.quick else 1000
    say(f"worker: an import of {files} files through HAProxy; its worker SIGKILLed half-way")
    base = topology.balancer.url
    pk = draft_issue(topology, 2030, 2)
    session = editor_session(base)
    batch = text_batch(files)
    started = time.monotonic()
    uploaded = upload_batch(session, base, pk, batch)
    upload_s = time.monotonic() - started
    check(uploaded.status_code == 302, f"worker: the upload answered {uploaded.status_code}")
    waiting = int(topology.sql("SELECT count(*) FROM jobs_job") or 0)
    in_bucket = len(bucket_keys(topology, "jobs/"))
    check_job = newest_job(topology, "import_check")
    wait_job(topology, check_job, lambda state, *rest: state == "done")
    confirm = f"{base}/admin/jobs/job/{check_job}/confirm/"
    token = csrf(session, f"{base}/admin/jobs/job/{check_job}/change/")
    session.post(confirm, data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=30)
    job = newest_job(topology, "import")
    state, victim, done, _ = wait_job(
        topology, job, lambda state, w, done, a: state == "running" and done >= files // 3
    )
    by_name = {w.name: w for w in topology.workers}
    killed_at = time.time()
    by_name[victim].kill()
    state, taker, _, attempts = wait_job(
        topology, job, lambda state, w, done, a: a >= 2 and state in ("running", "done")
    )
    taken_over_s = time.time() - killed_at
    state, _, _, attempts = wait_job(topology, job, lambda s, *rest: s in ("done", "failed"))
    total_s = time.time() - killed_at
    articles = int(topology.sql(f"SELECT count(*) FROM articles_article WHERE issue_id = {pk}"))
    distinct = int(topology.sql(
        f"SELECT count(DISTINCT title) FROM articles_article WHERE issue_id = {pk}"))  # fmt: skip
    empty = int(topology.sql(
        f"SELECT count(*) FROM articles_article WHERE issue_id = {pk} AND (body = '' OR title = '')"
    ))  # fmt: skip
    unindexed = int(topology.sql(
        "SELECT count(*) FROM articles_article a LEFT JOIN articles_articlesearch s "
        f"ON s.article_id = a.id WHERE a.issue_id = {pk} AND s.article_id IS NULL"
    ))  # fmt: skip
    topology.workers.append(by_name[victim].start())  # for what follows
    figures = {
        "files": files,
        "requests": 1,
        "errors": 0 if state == "done" else 1,
        "upload_s": round(upload_s, 1),
        "batch_objects_in_bucket": in_bucket,
        "jobs_before": waiting,
        "killed_worker": victim,
        "killed_at_files": done,
        "taken_over_by": taker,
        "recovery_s": round(taken_over_s, 2),
        "finished_s_after_kill": round(total_s, 1),
        "state": state,
        "attempts": attempts,
        "articles": articles,
        "distinct_titles": distinct,
        "empty_articles": empty,
        "without_search_row": unindexed,
        "left_in_bucket": len(bucket_keys(topology, "jobs/")),
    }
    print(f"  {figures}")
    check(in_bucket > 0, "worker: the batch did not wait in the bucket")
    check(taker != victim, "worker: the job was not taken over by the other worker")
    check(state == "done", "worker: the import did not finish")
    check(articles == distinct == files, "worker: missing or duplicated articles")
    check(empty == 0 and unindexed == 0, "worker: a partial article")
    return figures


def bucket_keys(topology, prefix):
    import boto3

    client = boto3.client(
        "s3", endpoint_url=topology.store.endpoint, region_name="us-east-1",
        aws_access_key_id="scale", aws_secret_access_key="scale-secret",
    )  # fmt: skip
    listed = client.list_objects_v2(Bucket=ObjectStore.BUCKET, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def render_ms(base, mix):
    """The median time of rendering 10 pages afresh (an address no cache holds)."""
    took = []
    for n, path in enumerate(mix[:10]):
        started = time.monotonic()
        answer = requests.get(f"{base}{path}{'&' if '?' in path else '?'}fresh={time.time()}{n}",
                              timeout=30)  # fmt: skip
        took.append((time.monotonic() - started) * 1000 if answer.status_code == 200 else 1e9)
    return round(percentile(took, 50), 1)


def store(topology, mix):
    seconds = 4 if topology.quick else 10
    say(f"store: the object store stopped; {seconds} s of readers, then an upload")
    base = topology.balancer.url
    pk = int(topology.sql("SELECT id FROM magazine_issue WHERE year = 2030 AND number = 2"))
    session = editor_session(base)
    for path in mix:  # the pages as readers left them in the cache
        requests.get(base + path, timeout=30)
    up = render_ms(base, mix)
    topology.store.kill()
    down = render_ms(base, mix)
    run = run_wrk(base + "/", mix, seconds)
    jobs_before = topology.sql("SELECT count(*) FROM jobs_job")
    articles_before = topology.sql("SELECT count(*) FROM articles_article")
    started = time.monotonic()
    refused = upload_batch(session, base, pk, text_batch(3))
    took = time.monotonic() - started
    said = "存储" in refused.text or "could not be reached" in refused.text
    figures = {
        "requests": run["requests"],
        "errors": wrk_errors(run),
        "p50_ms": run["latency_ms"].get("p50"),
        "p99_ms": run["latency_ms"].get("p99"),
        "render_ms_store_up": up,
        "render_ms_store_down": down,
        "upload_status": refused.status_code,
        "upload_answered_s": round(took, 2),
        "upload_said_why": said,
        "jobs_written": int(topology.sql("SELECT count(*) FROM jobs_job")) - int(jobs_before),
        "articles_written": int(topology.sql("SELECT count(*) FROM articles_article"))
        - int(articles_before),
    }
    print(f"  {figures}")
    check(figures["errors"] == 0, "store: readers got errors while the store was away")
    check(down < 1e9, "store: a page failed to render while the store was away")
    check(refused.status_code == 503 and said, "store: the upload did not fail clearly")
    check(figures["jobs_written"] == 0 and figures["articles_written"] == 0,
          "store: the failed upload wrote something")  # fmt: skip
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 s of load, 400 files (CI)")
    parser.add_argument("--keep", action="store_true", help="keep the logs folder after a pass")
    args = parser.parse_args()
    ensure_wrk()
    ensure_haproxy()
    # Stopped from outside (a CI timeout, ^C): stop what was started all the same.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    folder = private_folder("magazine-scale-")
    topology = Topology(folder, args.quick)
    results = {"quick": args.quick}
    try:
        topology.start()
        mix = reader_mix(topology.balancer.url)
        results["addresses"] = len(mix)
        results["shared"] = shared(topology)
        results.update(load(topology, mix))
        results["worker_killed"] = worker(topology)
        results["object_store_stopped"] = store(topology, mix)
    except Exception as error:
        failures.append(f"{type(error).__name__}: {error}")
        print(f"  FAILED: {error}")
        print(f"  logs: {topology.logs}")
        raise
    finally:
        topology.stop()
        results["seconds"] = round(time.monotonic() - began)
        results["failures"] = failures
        out = PROJECT / "ops" / "out"
        out.mkdir(exist_ok=True)
        (out / "scale.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        if failures or args.keep:
            print(f"logs kept in {topology.logs}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{len(failures)} check(s) failed; {results['seconds']} s in all")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
