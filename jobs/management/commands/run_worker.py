"""Run a job worker: django-tasks-db's ``db_worker``, which also notices dead workers' jobs.

    python manage.py run_worker [--batch] [--max-tasks N] [--interval SECONDS] ...

Every option of ``db_worker`` applies. Beside the worker loop, a thread
reaps the jobs of workers that died (``jobs.reaper``) every ``REAP_SECONDS``:
any number of these workers, on any number of machines, share the queue.
"""

import threading

from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobs.reaper import reap

REAP_SECONDS = 5.0


class Reaper(threading.Thread):
    def __init__(self):
        super().__init__(name="job-reaper", daemon=True)
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.wait(REAP_SECONDS):
                try:
                    reap()
                except Exception:  # the worker goes on; the next round tries again
                    import logging

                    logging.getLogger(__name__).exception("reaping failed")
        finally:
            connections.close_all()


class Command(DbWorkerCommand):
    help = "Run the background job worker (and notice jobs whose worker died)."

    def handle(self, *args, **options):
        reap()  # at start: jobs left by a worker that died before this one
        reaper = Reaper()
        reaper.start()
        try:
            return super().handle(*args, **options)
        finally:
            reaper.stopping.set()
