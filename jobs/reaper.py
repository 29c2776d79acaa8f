"""Noticing jobs whose worker died: run again, or failed with the reason.

The task queue claims a task and marks it running; if its worker is killed
(SIGKILL, a lost machine) the task stays "running" for ever. Its job's
heartbeat stops, though: ``reap()`` finds jobs silent for longer than the
lease, marks their task failed, and queues the job again (its task resumes
where the results it wrote end: an import's files are each their own
transaction, and a re-import of an imported article is a skip), or, after
``MAX_ATTEMPTS``, fails it with the reason. Workers reap every few seconds
(``run_worker``); the admin's job pages reap too, so that a dead job shows as
such even while no worker runs.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from jobs import registry
from jobs.models import MAX_ATTEMPTS, Job, JobState, lease

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded on the task of a job whose worker stopped answering."""


def reap(now=None):
    """Deal with every stale job; returns how many were queued again and failed."""
    now = now or timezone.now()
    queued = failed = 0
    for job_id in list(Job.objects.stale(now).values_list("pk", flat=True)):
        with transaction.atomic():
            job = Job.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
            still_silent = (
                job is not None
                and job.state == JobState.RUNNING
                and job.heartbeat_at is not None
                and job.heartbeat_at < now - lease()
            )
            if not still_silent:
                continue  # another worker reaped it, or it came back to life
            _give_up_task(job)
            if job.attempts < MAX_ATTEMPTS:
                requeue(job, _("The worker running this job stopped; it was started again."))
                queued += 1
            else:
                job.state = JobState.FAILED
                job.finished_at = timezone.now()
                job.error = _(
                    "The worker running this job stopped %(count)s times; it was not "
                    "started again. What it finished is kept; start it anew to do the rest."
                ) % {"count": job.attempts}
                job.save(update_fields=["state", "finished_at", "error"])
                failed += 1
    if queued or failed:
        logger.warning("jobs of a lost worker: %s queued again, %s failed", queued, failed)
    return queued, failed


def _give_up_task(job):
    if not job.task_id:
        return
    task = DBTaskResult.objects.filter(pk=job.task_id).first()
    if task is not None and not task.finished_at:
        task.set_failed(WorkerLost(f"worker {job.worker_id or '?'} stopped answering"))


def requeue(job, step):
    """Queue the job's task again (a new task of the queue) for its next attempt."""
    job.state, job.step, job.heartbeat_at = JobState.QUEUED, step, None
    job.save(update_fields=["state", "step", "heartbeat_at"])
    registry.enqueue(job)
