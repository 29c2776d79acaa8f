"""Jobs: work longer than a web request, run in the background, shown in the admin.

A ``Job`` is what editors see of a piece of background work: what it is, who
started it and when, its state, its progress and its result lines. It runs
as a task of Django's task API (the ``django-tasks`` backport, on the
database queue of ``django-tasks-db``), whose worker claims each task with
``SKIP LOCKED`` on PostgreSQL, so that several workers share the queue. The
queue knows nothing of a worker that dies: a job keeps a heartbeat while it
runs (``jobs.running``), and a job whose heartbeat stops is noticed
(``JobQuerySet.stale``, ``jobs.reaper``) and run again, or failed with the
reason after its last attempt.

This app knows nothing of what the jobs do: each job names the permission a
user needs to see it (the one needed to start it), and the apps above define
the tasks.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.messages import said, say

MAX_ATTEMPTS = 2


def heartbeat():
    """How often a running job writes its heartbeat (``JOBS_HEARTBEAT_SECONDS``)."""
    return datetime.timedelta(seconds=settings.JOBS_HEARTBEAT_SECONDS)


def lease():
    """How long a job may stay silent before it is taken for dead (``JOBS_LEASE_SECONDS``):
    its worker was killed, or its machine lost."""
    return datetime.timedelta(seconds=settings.JOBS_LEASE_SECONDS)


class JobKind(models.TextChoices):
    IMPORT_CHECK = "import_check", _("Import check (dry run)")
    IMPORT = "import", _("Import of text files")
    SEARCH_INDEX = "search_index", _("Search index rebuild")
    PRINT_PDF = "print_pdf", _("Print PDF cut into pages")
    SCANS = "scans", _("Page scans")
    PDF_CHECK = "pdf_check", _("Articles from the print PDF (dry run)")
    PROOFREAD = "proofread", _("Proofing checks of an issue")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs ``user`` may see: those of the kinds of work they may start."""
        if not (user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(permission__in=user.get_all_permissions())

    def unfinished(self):
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])

    def stale(self, now=None):
        """Running jobs whose heartbeat stopped: their worker is gone."""
        moment = (now or timezone.now()) - lease()
        return self.filter(state=JobState.RUNNING, heartbeat_at__lt=moment)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    title = models.CharField(_("what"), max_length=300)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    permission = models.CharField(
        _("permission"),
        max_length=100,
        help_text=_("Who may see the job: those who may start it (app_label.codename)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True, default="")
    worker_id = models.CharField(_("worker"), max_length=64, blank=True, default="")
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    step = models.CharField(_("current step"), max_length=300, blank=True, default="")
    summary = models.CharField(_("result"), max_length=500, blank=True, default="")
    error = models.CharField(_("reason"), max_length=500, blank=True, default="")
    # What the task needs (the issue, the uploaded files' folder, options).
    options = models.JSONField(default=dict, blank=True)
    # The title and summary as codes and parameters (jobs.messages), said in the
    # language of whoever reads them; ``title`` and ``summary`` are their English.
    title_message = models.JSONField(default=dict, blank=True)
    summary_message = models.JSONField(default=dict, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="job_done_within_total",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def is_finished(self):
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else None

    def visible_to(self, user):
        return Job.objects.visible_to(user).filter(pk=self.pk).exists()

    @property
    def display_title(self):
        return said(self.title_message, self.title)

    @property
    def display_summary(self):
        return said(self.summary_message, self.summary)


class JobLine(models.Model):
    """One result line of a job: one file of an import, with what became of it."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=16)
    text = models.TextField(_("line"))  # in English (logs, lines written before codes)
    code = models.CharField(max_length=40, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("result line")
        verbose_name_plural = _("result lines")
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="job_line_number_unique"),
        ]

    def __str__(self):
        return self.text

    @property
    def display(self):
        """The line in the active language."""
        return say(self.code, self.params, self.text) if self.code else self.text
