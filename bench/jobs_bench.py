"""Benchmark the admin import (upload, dry run, confirmed import) against import_text.

    .venv/bin/python bench/jobs_bench.py [--files 1000] [--memory-files 10000]

On a fresh PostgreSQL database each time, with the files of
``bench/import_bench.py`` (1-5k characters, a 70-page list, half in page
folders), zipped:

* ``import_text --dry-run`` then ``import_text`` on the folder (the command's
  path: a careful user runs the dry run first too);
* the admin's path, end to end: the zip POSTed to the issue's import form
  (Django's test client, the real view), the dry run job, the confirmation,
  the import job, each job run by a real ``run_worker`` process.

It prints both times, their ratio, and the worker's peak memory for
``--files`` and ``--memory-files`` files (it must not grow with the number of
files), and writes bench/out/jobs.json.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.import_bench import generate, run_child  # noqa: E402

DB = "magazine_bench_jobs"
BATCH = 5000  # the most files one admin import takes


def fresh_database():
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DB], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{DB}"


def environment(url, workdir):
    return {
        **os.environ,
        "DJANGO_SECRET_KEY": "benchmark-only",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback
        "DATABASE_URL": url,
        "JOB_FILES_ROOT": str(workdir / "job-files"),
        "DJANGO_MAX_REQUEST_MB": "200",
    }


def migrate(env):
    command = [sys.executable, "manage.py", "migrate", "-v0"]
    subprocess.run(command, env=env, cwd=PROJECT, check=True)


def zipped(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*.txt")):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def command_path(folder, env):
    manage = [sys.executable, "manage.py"]
    migrate(env)
    total = 0.0
    for extra in (["--dry-run"], []):
        seconds, _, status = run_child(
            [*manage, "import_text", str(folder), "--issue", "2026-12", *extra], env
        )
        if status:
            raise SystemExit(f"import_text {' '.join(extra)} failed ({status})")
        total += seconds
        if not extra:
            import_seconds = seconds
    return total, import_seconds


ADMIN_SCRIPT = r"""
import json, os, sys, time, subprocess
import django
django.setup()
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from jobs.models import Job, JobKind
from magazine.models import Issue

data = open(sys.argv[1], "rb").read()
issue = Issue.objects.create(year=2026, number=12)
user = User.objects.create_superuser("bench", password="bench-password-1")
client = Client(HTTP_HOST="localhost")  # a host the production settings allow
client.force_login(user)
worker = subprocess.Popen(
    [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay",
     "--interval", "0.05"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait(kind):
    while True:
        job = Job.objects.filter(kind=kind).first()
        if job is not None and job.is_finished:
            return job
        time.sleep(0.05)


try:
    started = time.perf_counter()
    response = client.post(f"/admin/magazine/issue/{issue.pk}/import/",
                           {"files": [SimpleUploadedFile("batch.zip", data)]})
    assert response.status_code == 302, response.status_code
    uploaded = time.perf_counter()
    check = wait(JobKind.IMPORT_CHECK)
    checked = time.perf_counter()
    response = client.post(f"/admin/jobs/job/{check.pk}/confirm/")
    assert response.status_code == 302, response.status_code
    job = wait(JobKind.IMPORT)
    done = time.perf_counter()
finally:
    worker.terminate()
    worker.wait()
print(json.dumps({
    "upload_s": round(uploaded - started, 2),
    "dry_run_s": round(checked - uploaded, 2),
    "import_s": round(done - checked, 2),
    "total_s": round(done - started, 2),
    "summary": job.summary,
    "state": job.state,
}))
"""


def worker_peak_rss(batches_of_files, workdir):
    """Peak RSS (MB) of one worker running the confirmed imports of these zips (a batch
    holds at most 5,000 files: 10,000 are two jobs, one after the other)."""
    url = fresh_database()
    env = environment(url, workdir)
    migrate(env)
    stage = r"""
import sys, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from articles import batches
from jobs import registry
from jobs.models import JobKind
from magazine.models import Issue
issue = Issue.objects.create(year=2026, number=12)
for path in sys.argv[1:]:
    staged = batches.stage([SimpleUploadedFile("batch.zip", open(path, "rb").read())])
    registry.submit(JobKind.IMPORT, "bench", batches.IMPORT_PERMISSION,
                    options={"issue": issue.key, "batch": staged.token, "skipped": staged.skipped})
"""
    subprocess.run(
        [sys.executable, "-c", stage, *map(str, batches_of_files)],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=PROJECT,
        check=True,
    )
    seconds, rss, status = run_child(
        [sys.executable, "manage.py", "run_worker", "--batch", "--no-reload", "--no-startup-delay"],
        env,
    )
    if status:
        raise SystemExit(f"the worker failed ({status})")
    return round(rss, 1), round(seconds, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--memory-files", type=int, default=10_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="jobs-bench-"))
    try:
        folder = workdir / "files"
        generate(folder, args.files)
        archive = workdir / "batch.zip"
        archive.write_bytes(zipped(folder))

        env = environment(fresh_database(), workdir)
        command_total, command_import = command_path(folder, env)

        env = environment(fresh_database(), workdir)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=PROJECT, check=True
        )
        run = subprocess.run(
            [sys.executable, "-c", ADMIN_SCRIPT, str(archive)],
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            cwd=PROJECT,
            capture_output=True,
            text=True,
        )
        if run.returncode:
            raise SystemExit(f"the admin path failed:\n{run.stderr[-3000:]}")
        admin = json.loads(run.stdout.strip().splitlines()[-1])

        memory = {}
        for count in sorted({args.files, args.memory_files}):
            zips = []
            for part, start in enumerate(range(0, count, BATCH)):
                many = workdir / f"files-{count}-{part}"
                generate(many, min(BATCH, count - start), seed=part + 2, start=start)
                batch = workdir / f"batch-{count}-{part}.zip"
                batch.write_bytes(zipped(many))
                zips.append(batch)
            memory[count] = worker_peak_rss(zips, workdir)

        results = {
            "files": args.files,
            "command_dry_run_and_import_s": round(command_total, 2),
            "command_import_s": round(command_import, 2),
            "admin": admin,
            "ratio_whole_path": round(admin["total_s"] / command_total, 2),
            "ratio_import_job": round(admin["import_s"] / command_import, 2),
            "worker_peak_rss_mb": {str(k): v[0] for k, v in memory.items()},
            "worker_seconds": {str(k): v[1] for k, v in memory.items()},
        }
        print(json.dumps(results, indent=2, ensure_ascii=False))
        out = PROJECT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "jobs.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
