"""The issue admin: its pages, its uploads, its contents with word counts, and the
review and publication panel (``editorial.admin.publication``) at the top of its page.

Publishing, scheduling and withdrawing go through ``Issue.publish()`` and
``Issue.withdraw()`` only, from actions or the panel's confirmation pages, and each
is refused on the server without ``magazine.publish_issue``.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from articles import batches
from articles.models import ProofRound
from articles.proofing_runs import IssueRate
from articles.word_count import IssueWordCounts
from editorial.admin.common import (
    DeskWordingAdmin,
    HistoryAdmin,
    IssueStateFilter,
    preview,
    thumbnail,
)
from editorial.admin.concurrency import VersionedAdmin, VersionedInline
from editorial.admin.issue_forms import (
    ImportForm,
    IssueAdminForm,
    PagesFormSet,
    PrintPdfForm,
    ScansForm,
    copy_source,
)
from editorial.admin.presence import PresenceAdmin
from editorial.admin.proofing import ROUND_PERMISSION, ProofingViews, rounds_matrix
from editorial.admin.publication import PublicationViews, ScheduleForm, publication_refusal
from magazine.models import Issue, ReviewRefused, ReviewState
from sections import pdfs
from sections import scans as page_scans
from sections import tasks as print_tasks
from sections.models import MAX_PAGES_PER_ISSUE, PageListError, Section, group_consecutive


class SectionInline(VersionedInline, admin.TabularInline):
    """The issue's pages: order, code and name; scans and PDFs on each page's own form.

    Three fields a row keep the form within a request's limits at
    ``MAX_PAGES_PER_ISSUE`` pages (file inputs were most of its weight).
    """

    model = Section
    formset = PagesFormSet
    fields = ["position", "code", "name", "scan_preview"]
    readonly_fields = ["scan_preview"]
    # Folded (a <details>): the overview above it shows the pages; the table is
    # for moving, renaming and deleting them. Django unfolds it when it has errors.
    classes = ["collapse"]
    extra = 0
    max_num = MAX_PAGES_PER_ISSUE
    show_change_link = True

    @admin.display(description=_("page scan"))
    def scan_preview(self, obj):
        return thumbnail(obj, alt=str(obj))

    def get_formset(self, request, obj=None, **kwargs):
        # Refuse rows beyond max_num, which Django would otherwise only stop showing.
        return super().get_formset(request, obj, validate_max=True, **kwargs)


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            (ReviewState.SUBMITTED, _("Waiting for review")),
            (ReviewState.RETURNED, ReviewState.RETURNED.label),
        ]

    def queryset(self, request, queryset):
        if self.value() == ReviewState.SUBMITTED:
            return queryset.awaiting_review()
        if self.value() == ReviewState.RETURNED:
            return queryset.filter(review=ReviewState.RETURNED)
        return queryset


ROUND_KINDS = ProofRound.Kind.values


@admin.register(Issue)
class IssueAdmin(
    DeskWordingAdmin, PresenceAdmin, VersionedAdmin, PublicationViews, ProofingViews, HistoryAdmin
):
    form = IssueAdminForm
    add_title = _("New issue")
    changed_message = ngettext_lazy(
        "%(count)d issue changed.", "%(count)d issues changed.", "count"
    )
    list_display = [
        "cover_thumbnail",
        "__str__",
        "cumulative_number",
        "state_label",
        "published_at",
        "article_count",
        "unplaced_count",
        "editing_now",
    ]
    list_display_links = ["cover_thumbnail", "__str__"]
    list_filter = [IssueStateFilter, ReviewFilter, "year"]
    search_fields = ["year", "number", "cumulative_number"]
    ordering = ["-year", "-number"]
    inlines = [SectionInline]
    actions = ["publish_now", "schedule", "withdraw"]
    readonly_fields = ["cover_preview", "page_overview"]
    # The change form links the reader's page itself, as a preview before publication.
    view_on_site = False
    change_form_template = "admin/magazine/issue/change_form.html"
    fieldsets = [
        (None, {"fields": ["year", "number", "cumulative_number", "cover_date"]}),
        (_("Cover"), {"fields": ["cover_preview", "cover", "cover_alt"]}),
        (_("Pages"), {"fields": ["page_overview", "page_list"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_total=Count("articles", distinct=True),
                unplaced_total=Count(
                    "articles", filter=Q(articles__section__isnull=True), distinct=True
                ),
            )
        )

    # Permissions: publishing needs magazine.publish_issue, and so does
    # deleting an issue readers can (or soon will) see.

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is not None and obj.published_at is not None:
            return self.has_publish_permission(request)
        return True

    def delete_queryset(self, request, queryset):
        if (
            not self.has_publish_permission(request)
            and queryset.filter(published_at__isnull=False).exists()
        ):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def delete_model(self, request, obj):
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    # Columns

    @admin.display(description=_("cover"))
    def cover_thumbnail(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("cover as uploaded"))
    def cover_preview(self, obj):
        return preview(obj, alt=obj.cover_alt)

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.state().label

    @admin.display(description=_("pages by name"))
    def page_overview(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        pages = list(
            obj.sections.annotate(
                article_total=Count("articles", distinct=True),
                area_total=Count("areas", distinct=True),
            )
        )
        groups = group_consecutive(pages, {})
        for group in groups:
            group.marked = any(
                not page.scan or (page.article_total and not page.area_total)
                for page in group.sections
            )
        return render_to_string(
            "admin/magazine/issue/page_overview.html",
            {
                "groups": groups,
                "page_count": len(pages),
                "missing_scans": sum(1 for page in pages if not page.scan),
                "missing_areas": sum(1 for p in pages if p.article_total and not p.area_total),
            },
        )

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return getattr(obj, "article_total", None)

    @admin.display(description=_("unplaced"), ordering="unplaced_total")
    def unplaced_count(self, obj):
        return getattr(obj, "unplaced_total", None)

    # Saving: the page list goes through the same merge as the importer.

    def get_changeform_initial_data(self, request):
        # 开始编辑下一期: the year and number after the newest issue's.
        initial = super().get_changeform_initial_data(request)
        if "year" not in initial and "number" not in initial:
            initial["year"], initial["number"] = Issue.objects.next_key()
        return initial

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and copy_source() is not None:  # its pages may come from the newest
            fieldsets = [
                (name, {**options, "fields": ["copy_pages", "page_list"]})
                if "page_list" in options["fields"]
                else (name, options)
                for name, options in fieldsets
            ]
        return fieldsets

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pages = form.cleaned_data.get("page_list") or ()
        if form.cleaned_data.get("copy_pages") and form.copy_from is not None:
            copied = list(form.copy_from.sections.values_list("code", "name"))
            pages = [*copied, *(page for page in pages if page[0] not in dict(copied))]
        if not pages:
            return
        before = form.instance.sections.count()
        try:
            Section.objects.merge(form.instance, pages, user=request.user, reason="admin page list")
        except PageListError as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        added = form.instance.sections.count() - before
        self.later_message(
            request,
            ngettext("%(count)d page added.", "%(count)d pages added.", added) % {"count": added},
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # An issue is made once a month: no 保存并增加另一个.
        extra_context = {"show_save_and_add_another": False, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_post_save_add(self, request, obj):
        # 保存 on a new issue opens it: its pages, uploads and review are there.
        return HttpResponseRedirect(reverse("admin:magazine_issue_change", args=[obj.pk]))

    # Publication: actions on the list, buttons on the change form.

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        published = self._publish_each(
            request, queryset, lambda issue: issue.publish(by=request.user)
        )
        self._report(request, published, _("published"))

    def _publish_each(self, request, queryset, publish):
        """Publish each issue that may be; say why of each that may not (its review
        chain not passed, or its error rate above the line, which only the issue's
        own page, asking twice, can publish)."""
        done = 0
        for issue in queryset:
            rate = IssueRate.of(issue)
            refusal = publication_refusal(issue, request.user, rate)
            if refusal is None and not rate.passes:
                refusal = _(
                    "%(issue)s is above the 2/10,000 error line: publish it from its own page."
                ) % {"issue": issue}
            if refusal is None:
                try:
                    publish(issue)
                except ReviewRefused as error:
                    refusal = str(error)
            if refusal is None:
                done += 1
            else:
                self.message_user(request, refusal, messages.ERROR)
        return done

    @admin.action(description=_("Withdraw (back to draft)"), permissions=["publish"])
    def withdraw(self, request, queryset):
        for issue in queryset:
            issue.withdraw(by=request.user)
        self._report(request, queryset.count(), _("withdrawn"))

    @admin.action(description=_("Schedule publication…"), permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            at = form.cleaned_data["publish_at"]
            scheduled = self._publish_each(
                request, queryset, lambda issue: issue.publish(at=at, by=request.user)
            )
            self._report(request, scheduled, _("scheduled"))
            return None
        return TemplateResponse(
            request,
            "admin/magazine/issue/schedule.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Schedule publication"),
                "opts": self.model._meta,
                "issues": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _report(self, request, count, what):
        self.message_user(
            request,
            ngettext("%(count)d issue %(what)s.", "%(count)d issues %(what)s.", count)
            % {"count": count, "what": what},
            messages.SUCCESS,
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *self.publication_urls(),
            *self.proofing_urls(),
            path("<int:object_id>/import/", view(self.import_view), name="magazine_issue_import"),
            path(
                "<int:object_id>/print-pdf/",
                view(self.print_pdf_view),
                name="magazine_issue_print_pdf",
            ),
            path("<int:object_id>/scans/", view(self.scans_view), name="magazine_issue_scans"),
            path(
                "<int:object_id>/contents/",
                view(self.contents_view),
                name="magazine_issue_contents",
            ),
            *super().get_urls(),
        ]

    def print_pdf_view(self, request, object_id):
        """上传印刷版 PDF: the issue's print PDF, cut into pages and drawn by a job."""
        issue = get_object_or_404(Issue, pk=object_id)
        if not request.user.has_perm(print_tasks.PDF_PERMISSION):
            raise PermissionDenied
        form = PrintPdfForm(issue, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                drafting = form.cleaned_data.get("articles", False)
                job, info = print_tasks.submit(
                    issue,
                    form.cleaned_data["pdf"],
                    request.user,
                    first_page=form.cleaned_data["first_page"],
                    find_areas=form.cleaned_data["find_areas"],
                    articles=drafting,
                    update=form.cleaned_data.get("update", False),
                    check=drafting,  # a dry run first, confirmed on its job's page
                )
            except pdfs.PdfRefused as refusal:
                form.add_error("pdf", str(refusal))
            else:
                if info is not None and info.active_content:
                    self.message_user(
                        request,
                        _(
                            "The PDF holds scripts, links, bookmarks, forms or embedded files: "
                            "they are left out of every PDF readers download, which holds the "
                            "printed pages only."
                        ),
                        messages.WARNING,
                    )
                return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
        return self.upload_page(
            request,
            issue,
            form,
            "admin/magazine/issue/print_pdf.html",
            _("The print PDF of %(issue)s") % {"issue": issue},
            page_count=issue.sections.count(),
            megabytes=settings.ISSUE_PDF_MAX_BYTES // 1024 // 1024,
        )

    def upload_page(self, request, issue, form, template, title, **context):
        """The page of one of the issue's uploads (text files, print PDF, scans)."""
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "original": issue,
                "issue": issue,
                "form": form,
                **context,
            },
        )

    def contents_view(self, request, object_id):
        """目录与字数: every page with its articles and their word counts, in order."""
        issue = get_object_or_404(Issue, pk=object_id)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        contents = IssueWordCounts(issue)
        cells, missing, open_findings = rounds_matrix(issue)
        for page_rows in [rows for _p, rows, _n in contents.pages] + [contents.unplaced]:
            for article, _words in page_rows:
                article.rounds = [cells.get(article.pk, {}).get(kind) for kind in ROUND_KINDS]
                article.open_findings = open_findings.get(article.pk, 0)
        return TemplateResponse(
            request,
            "admin/magazine/issue/contents.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Contents and word counts of %(issue)s") % {"issue": issue},
                "opts": self.model._meta,
                "original": issue,
                "issue": issue,
                "contents": contents,
                "round_kinds": [ProofRound.Kind(kind) for kind in ROUND_KINDS],
                "missing_rounds": [
                    (ProofRound.Kind(kind).label, missing[kind]) for kind in ROUND_KINDS
                ],
                "can_mark_rounds": request.user.has_perm(ROUND_PERMISSION),
            },
        )

    def scans_view(self, request, object_id):
        """上传版面图: page scans in bulk, given to their pages by a job."""
        issue = get_object_or_404(Issue, pk=object_id)
        if not request.user.has_perm(page_scans.SCANS_PERMISSION):
            raise PermissionDenied
        form = ScansForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = page_scans.submit(
                    issue,
                    form.cleaned_data["files"],
                    request.user,
                    find_areas=form.cleaned_data["find_areas"],
                )
            except page_scans.ScansRefused as refusal:
                form.add_error("files", str(refusal))
            else:
                return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
        return self.upload_page(
            request,
            issue,
            form,
            "admin/magazine/issue/scans.html",
            _("Page scans of %(issue)s") % {"issue": issue},
            megabytes=settings.ISSUE_PDF_MAX_BYTES // 1024 // 1024,
        )

    def import_view(self, request, object_id):
        """导入文稿: upload the issue's text files; a dry run comes first, as a job."""
        issue = get_object_or_404(Issue, pk=object_id)
        if not request.user.has_perm(batches.IMPORT_PERMISSION):
            raise PermissionDenied
        form = ImportForm(issue, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = batches.start_check(
                    issue,
                    form.cleaned_data["files"],
                    request.user,
                    page=form.cleaned_data["page"],
                    update=form.cleaned_data["update"],
                )
            except batches.BatchRefused as refusal:
                form.add_error("files", str(refusal))
            else:
                return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
        return self.upload_page(
            request,
            issue,
            form,
            "admin/magazine/issue/import.html",
            _("Import text files into %(issue)s") % {"issue": issue},
            limits={
                "files": batches.MAX_FILES,
                "megabytes": settings.MAX_REQUEST_BYTES // 1024 // 1024,
            },
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context.update(self.publication_context(request, obj))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
