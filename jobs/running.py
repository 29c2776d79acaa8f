"""Running a job: its state, heartbeat, progress and result lines, as the task reports them.

A task that does a job's work is written as::

    @task(takes_context=True)
    def import_batch(context, job_id):
        with running(job_id, context) as progress:
            progress.begin(total=len(files), step="…")
            for ...:
                progress.line(status, text)  # one result line, and one step done

``running`` marks the job running (or tells the task to do nothing if the
job is already over), beats its heartbeat from a thread of its own while the
body runs, and records how it ended: done, or failed with a one-line reason
(``JobFailed`` for a reason the task gives; any other exception is failed
with its kind and first line, and still raised, so that the task queue
keeps its traceback for operators). Lines and progress are written in
batches, every ``FLUSH_SECONDS`` or ``FLUSH_LINES``, not once a file.
"""

import logging
import threading
import time
from contextlib import contextmanager

from django.db import OperationalError, connections, transaction
from django.utils import timezone

from jobs.models import Job, JobLine, JobState, heartbeat

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
FLUSH_LINES = 200


class JobFailed(Exception):
    """A job cannot go on; its message is the one line editors see."""


class JobOver(Exception):
    """The job ended before this attempt (done, failed or taken by another worker)."""


def one_line(error):
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {first}"[:400] if first else type(error).__name__


class Progress:
    def __init__(self, job):
        self.job = job
        self.pending = []
        self.numbers = set(job.lines.values_list("number", flat=True))
        self.last_flush = time.monotonic()
        self.changed = False

    @property
    def next_number(self):
        return len(self.numbers) + len(self.pending) + 1

    def done_before(self, number):
        """Whether an earlier attempt of this job already reported line ``number``."""
        return number in self.numbers

    def begin(self, total, step=""):
        """The work's size; what an earlier attempt did stays done."""
        self.job.total, self.job.step = total, step
        self.job.done = min(self.job.done, total)
        self.changed = True
        self.flush()

    def set_step(self, step):
        self.job.step = step[:300]
        self.changed = True
        self.maybe_flush()

    def advance(self, count=1):
        self.job.done = min(self.job.done + count, self.job.total or self.job.done + count)
        self.changed = True
        self.maybe_flush()

    def line(self, status, text, number=None, advance=True, code="", params=None):
        """A result line: its English ``text``, and its ``code`` and ``params`` to say
        it in the reader's language (jobs.messages)."""
        number = number if number is not None else self.next_number
        self.pending.append(
            JobLine(
                job=self.job,
                number=number,
                status=status,
                text=text,
                code=code,
                params=params or {},
            )
        )
        if advance:
            self.advance()
        else:
            self.maybe_flush()

    def maybe_flush(self):
        if len(self.pending) >= FLUSH_LINES or time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self):
        if self.pending:
            JobLine.objects.bulk_create(self.pending, ignore_conflicts=True)
            self.numbers.update(line.number for line in self.pending)
            self.pending = []
        if self.changed:
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done,
                total=self.job.total,
                step=self.job.step,
                heartbeat_at=timezone.now(),
            )
            self.changed = False
        self.last_flush = time.monotonic()


class Heartbeat(threading.Thread):
    """Writes the job's heartbeat every HEARTBEAT while its task runs, on a connection
    of its own, so that a long step (one large file, one page to render) is not
    taken for a dead worker."""

    def __init__(self, job_id):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.wait(heartbeat().total_seconds()):
                try:
                    Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except OperationalError:  # busy (SQLite) or away for a moment: next beat
                    logger.info("job %s: heartbeat missed", self.job_id, exc_info=True)
        finally:
            connections.close_all()

    def stop(self):
        self.stopping.set()
        self.join(timeout=heartbeat().total_seconds())


def start(job_id, worker_id=""):
    """Mark the job running for this attempt; ``JobOver`` if it is not waiting for one."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.QUEUED:
            raise JobOver(f"job {job_id} is {job.state}")
        now = timezone.now()
        job.state, job.attempts, job.worker_id = JobState.RUNNING, job.attempts + 1, worker_id
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["state", "attempts", "worker_id", "started_at", "heartbeat_at"])
    return job


def finish(job, state, summary="", error=""):
    Job.objects.filter(pk=job.pk).update(
        state=state,
        summary=summary[:500],
        summary_message=job.summary_message if summary else {},
        error=error[:500],
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


@contextmanager
def running(job_id, context=None):
    """The body of a job's task; see the module's docstring."""
    worker_id = ""
    if context is not None and context.task_result.worker_ids:
        worker_id = context.task_result.worker_ids[-1]
    try:
        job = start(job_id, worker_id)
    except (Job.DoesNotExist, JobOver) as over:
        logger.info("nothing to do: %s", over)
        yield None
        return
    progress = Progress(job)
    heartbeat = Heartbeat(job.pk)
    heartbeat.start()
    try:
        yield progress
        progress.flush()
    except JobFailed as failure:
        progress.flush()
        finish(job, JobState.FAILED, summary=job.summary, error=str(failure))
    except BaseException as error:
        try:
            progress.flush()
        finally:
            finish(job, JobState.FAILED, error=one_line(error))
        raise
    else:
        finish(job, JobState.DONE, summary=job.summary)
    finally:
        heartbeat.stop()
