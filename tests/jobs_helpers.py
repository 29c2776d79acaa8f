"""Running job workers in tests: in this process, or as real processes on the test database."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent


def run_jobs(worker_id="test-worker"):
    """Run every queued job to its end, here: the worker's own claim and run of each
    task (its loop would close the test's connection between tasks)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from jobs.reaper import reap

    reap()
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker_id)
        worker.run_task(task)


def database_url_of_tests():
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        host = database.get("HOST") or "127.0.0.1"
        port = database.get("PORT") or 5432
        user = database.get("USER") or "postgres"
        return f"postgres://{user}@{host}:{port}/{database['NAME']}"
    return f"sqlite:///{database['NAME']}"


def start_worker(*args, heartbeat=0.5, lease=2):
    """A real worker process (``run_worker``) on the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url_of_tests(),
        "JOB_FILES_ROOT": str(settings.JOB_FILES_ROOT),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOBS_HEARTBEAT_SECONDS": str(heartbeat),
        "JOBS_LEASE_SECONDS": str(lease),
        "PYTHONPATH": str(PROJECT),
    }
    log = tempfile.NamedTemporaryFile(prefix="worker-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            *args,
        ],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    process.log = log.name  # what the worker said, for a failing test to show
    return process


def wait_for(condition, timeout=60, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {condition.__doc__ or condition}")
