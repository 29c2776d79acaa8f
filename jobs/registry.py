"""Which task does which kind of job: filled by the apps that define the work.

Each app registers its tasks in its ``AppConfig.ready()`` (the import's in
``articles``), so that this app, below them, can start and restart any job
without knowing what it does.
"""

from django.db import transaction

from jobs.models import Job

_tasks = {}


def register(kind, task):
    _tasks[kind] = task


def task_for(kind):
    try:
        return _tasks[kind]
    except KeyError:
        raise LookupError(f"no task is registered for jobs of kind {kind!r}") from None


def create(kind, title, permission, user=None, options=None, title_message=None):
    """A job, not yet queued (a command runs it at once). ``title_message``: the title
    as a code and parameters (jobs.messages), said in each reader's language."""
    return Job.objects.create(
        kind=kind,
        title=title[:300],
        title_message=title_message or {},
        permission=permission,
        created_by=user if user is not None and user.is_authenticated else None,
        options=options or {},
    )


def submit(kind, title, permission, user=None, options=None, title_message=None):
    """Create a job and queue its task (once the creating transaction commits)."""
    task = task_for(kind)
    job = create(kind, title, permission, user, options, title_message)
    enqueue(job, task)
    return job


def enqueue(job, task=None):
    """Queue ``job``'s task for its next attempt."""
    task = task or task_for(job.kind)

    def send():
        result = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
        job.task_id = str(result.id)

    transaction.on_commit(send)
