"""The job list: what runs in the background, who started it, how far it got.

Jobs are read-only here: they are started where their work belongs (an
issue's 导入文稿, the list's 重建检索索引 for chief editors), and each user sees
the jobs of the kinds of work they may start. A job's page shows its result
lines and, while it runs, reloads itself every few seconds (a meta refresh:
no script). A finished dry run offers to confirm the import.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles import batches
from articles.importing import DRY_RUN_LABELS, STATUS_LABELS
from editorial.admin.common import ReadOnlyAdmin
from jobs import registry
from jobs.models import Job, JobKind, JobState
from jobs.reaper import reap
from magazine.models import Issue, parse_issue_key
from sections import tasks as print_tasks
from sections.models import Section

LINES_SHOWN = 500
DRY_RUNS = (JobKind.IMPORT_CHECK, JobKind.PDF_CHECK)
REBUILD_PERMISSION = "magazine.publish_issue"


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["what", "kind", "created_by", "created_at", "state", "progress", "outcome"]
    list_filter = ["state", "kind"]
    list_select_related = ["created_by"]
    search_fields = ["title", "summary", "error"]
    ordering = ["-created_at", "-id"]
    change_form_template = "admin/jobs/job/change_form.html"
    change_list_template = "admin/jobs/job/change_list.html"
    fields = [
        "what",
        "kind",
        "state",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "progress",
        "step",
        "outcome",
        "attempts",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        reap()  # a job whose worker died shows as such, even with no worker running
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return obj.visible_to(request.user)
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    @admin.display(description=_("progress"))
    def progress(self, job):
        if not job.total:
            return "—"
        return f"{job.done}/{job.total} ({job.percent}%)"

    @admin.display(description=_("what"), ordering="title")
    def what(self, job):
        return job.display_title

    @admin.display(description=_("result"))
    def outcome(self, job):
        return job.error or job.display_summary or "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:job_id>/confirm/", view(self.confirm_view), name="jobs_job_confirm"),
            path("rebuild-search-index/", view(self.rebuild_view), name="jobs_job_rebuild"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(self.get_queryset(request), pk=object_id)
        lines = list(job.lines.order_by("number")[:LINES_SHOWN])
        extra_context = {
            **(extra_context or {}),
            "job": job,
            "lines": lines,
            "more_lines": max(0, job.lines.count() - len(lines))
            if len(lines) == LINES_SHOWN
            else 0,
            "refresh": not job.is_finished,
            "can_confirm": confirming(job).may_confirm(request.user, job),
            "confirm_pdf": job.kind == JobKind.PDF_CHECK,
            "next_steps": next_steps(request.user, job) if job.is_finished else [],
            "status_labels": DRY_RUN_LABELS if job.kind in DRY_RUNS else STATUS_LABELS,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_rebuild": request.user.has_perm(REBUILD_PERMISSION),
            "refresh": self.get_queryset(request).unfinished().exists(),
        }
        return super().changelist_view(request, extra_context)

    def confirm_view(self, request, job_id):
        job = get_object_or_404(self.get_queryset(request), pk=job_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
        way = confirming(job)
        if not request.user.has_perm(way.PERMISSION):
            raise PermissionDenied
        try:
            started = way.confirm(job, request.user)
        except way.Refused as refusal:
            # Confirmed meanwhile (a second click, another editor): off to that import.
            job.refresh_from_db()
            self.message_user(request, str(refusal), messages.WARNING)
            target = job.options.get("confirmed_as") or job.pk
            return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[target]))
        self.message_user(request, _("Queued: %(title)s") % {"title": started.display_title})
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[started.pk]))

    def rebuild_view(self, request):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:jobs_job_changelist"))
        if not request.user.has_perm(REBUILD_PERMISSION):
            raise PermissionDenied
        job = registry.submit(
            JobKind.SEARCH_INDEX,
            str(_("Rebuild the search index")),
            REBUILD_PERMISSION,
            user=request.user,
        )
        self.message_user(request, _("The search index is being rebuilt."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))


class _TextImport:
    """Confirming a dry run of text files (articles.batches)."""

    PERMISSION = batches.IMPORT_PERMISSION
    Refused = batches.BatchRefused
    may_confirm = staticmethod(batches.may_confirm)
    confirm = staticmethod(batches.confirm)


class _PdfArticles:
    """Confirming a dry run of articles drafted from a print PDF (sections.tasks)."""

    PERMISSION = print_tasks.PDF_PERMISSION
    Refused = print_tasks.AlreadyConfirmed
    may_confirm = staticmethod(print_tasks.may_confirm)
    confirm = staticmethod(print_tasks.confirm)


def confirming(job):
    """How a dry run of ``job``'s kind is confirmed."""
    return _PdfArticles if job.kind == JobKind.PDF_CHECK else _TextImport


def next_steps(user, job):
    """Where an editor goes from a finished job: back to its issue, on to what comes
    next (placing its articles, drawing areas), or to upload again what was refused."""
    try:
        year, number = parse_issue_key(job.options.get("issue", ""))
    except ValueError:
        return []
    issue = Issue.objects.filter(year=year, number=number).first()
    if issue is None:
        return []

    def on_issue(name):
        return reverse(f"admin:magazine_issue_{name}", args=[issue.pk])

    steps = [(_("Back to %(issue)s") % {"issue": issue}, on_issue("change"))]
    failed = job.state == JobState.FAILED
    refused = job.lines.filter(status="refused").exists()
    if (job.kind == JobKind.IMPORT_CHECK and (failed or refused)) or (
        job.kind == JobKind.IMPORT and failed
    ):
        steps.append((_("Upload the text files again"), on_issue("import")))
    if job.kind == JobKind.IMPORT and not failed:
        if issue.articles.filter(section__isnull=True).exists():
            listed = reverse("admin:articles_article_changelist")
            steps.append(
                (
                    _("Place the articles not on a page yet"),
                    f"{listed}?issue__id__exact={issue.pk}&placed=no",
                )
            )
    if job.kind == JobKind.PRINT_PDF and failed:
        steps.append((_("Upload the print PDF again"), on_issue("print_pdf")))
    if job.kind == JobKind.SCANS and (failed or refused):
        steps.append((_("Upload page scans again"), on_issue("scans")))
    if job.kind in (JobKind.PRINT_PDF, JobKind.SCANS) and not failed:
        page = pages_to_draw(issue).first()
        if page is not None:
            steps.append(
                (
                    _("Draw the areas, from page %(code)s") % {"code": page.code},
                    reverse("admin:sections_section_change", args=[page.pk]),
                )
            )
    return steps


def pages_to_draw(issue):
    """The issue's pages with a scan and articles but no area yet, in order."""
    return (
        Section.objects.filter(issue=issue)
        .exclude(scan="")
        .annotate(area_total=Count("areas"))
        .filter(area_total=0)
        .order_by("position", "id")
    )
