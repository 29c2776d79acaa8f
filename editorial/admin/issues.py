"""The issue admin: pages inline, quick add of a page list, publication workflow.

Publishing, scheduling and withdrawing go through ``Issue.publish()`` and
``Issue.withdraw()`` only, from actions or the buttons of the change form,
and each is refused on the server without ``magazine.publish_issue``.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import batches
from articles.textformat import Refusal, parse_page_list
from articles.word_count import IssueWordCounts
from editorial.admin.common import HistoryAdmin, IssueStateFilter, preview, thumbnail
from editorial.admin.publication import PublicationViews, ScheduleForm
from magazine.models import Issue, ReviewState
from sections import pdfs
from sections import scans as page_scans
from sections import tasks as print_tasks
from sections.models import MAX_PAGES_PER_ISSUE, PageListError, Section, group_consecutive


class PagesFormSet(BaseInlineFormSet):
    def clean(self):
        # Django's own check says "correct the duplicate data for code": name the code.
        rows = {}
        for number, form in enumerate(self.forms, start=1):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("code"):
                continue
            code = data["code"]
            first = rows.setdefault(code, number)
            if first != number:
                form.add_error("code", _("Row %(row)s has this code already.") % {"row": first})
                raise ValidationError(
                    _(
                        "Page code %(code)s is used twice (rows %(first)s and %(second)s): "
                        "each page of an issue has its own code."
                    ),
                    params={"code": code, "first": first, "second": number},
                )
        super().clean()


class SectionInline(admin.TabularInline):
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


# The page list's refusals (articles.textformat) as the admin says them.
PAGE_LIST_REFUSALS = {
    "control_character": _("The page list holds a control character (%(character)s)."),
    "long_code": _(
        "Page code “%(page)s” is %(length)s characters long; a code has 1 to 8 letters or digits."
    ),
    "not_a_page_list": _(
        "This is not a page list: write each page as its code, 版, a colon and its name, "
        "e.g. “01版: 卷首语 02版: 本期策划”."
    ),
    "text_before": _("“%(text)s” stands before the first page of the list."),
    "no_name": _("Page %(page)s has no name."),
    "long_name": _("The name of page %(page)s is longer than %(limit)s characters."),
    "listed_twice": _("Page %(page)s is listed twice, as “%(first)s” and as “%(second)s”."),
}


def copy_source():
    """The newest issue, with its page count, if it has pages a new one could copy."""
    newest = Issue.objects.latest_first().annotate(page_total=Count("sections")).first()
    return newest if newest is not None and newest.page_total else None


class IssueAdminForm(forms.ModelForm):
    page_list = forms.CharField(
        label=_("Add pages from a page list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=_(
            "Paste a page list as in the import files, e.g. "
            "“0001版: 封面 01版: 卷首语 10版: 本期策划”. Pages the issue lacks are added "
            "after the others; existing pages are never renamed."
        ),
    )

    copy_pages = forms.BooleanField(label=_("Copy the page list"), required=False, initial=True)

    class Meta:
        model = Issue
        fields = ["year", "number", "cumulative_number", "cover_date", "cover", "cover_alt"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new issue may start from the newest one's pages (a monthly keeps its layout).
        self.copy_from = copy_source() if self.instance.pk is None else None
        if self.copy_from is None:
            self.fields.pop("copy_pages", None)
        else:
            self.fields["copy_pages"].label = _(
                "Copy the page list of %(issue)s (%(count)s pages)"
            ) % {"issue": self.copy_from, "count": self.copy_from.page_total}
            self.fields["copy_pages"].help_text = _(
                "Codes and names only: scans, PDFs and articles stay with that issue."
            )

    def validate_unique(self):
        # Django's "期 with this 年份 and 期号 already exists", said plainly, with a way there.
        year, number = self.cleaned_data.get("year"), self.cleaned_data.get("number")
        existing = Issue.objects.filter(year=year, number=number).exclude(pk=self.instance.pk)
        existing = existing.first() if year and number else None
        if existing is not None:
            self.add_error(
                None,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("%(issue)s exists already.") % {"issue": existing},
                    reverse("admin:magazine_issue_change", args=[existing.pk]),
                    _("Open it"),
                ),
            )
            return
        super().validate_unique()

    def clean_page_list(self):
        text = " ".join(self.cleaned_data["page_list"].split())
        try:
            pages = parse_page_list(text)
        except Refusal as refusal:
            message = PAGE_LIST_REFUSALS.get(refusal.code)
            if message is None:
                raise ValidationError(refusal.reason) from None
            raise ValidationError(message, params=refusal.params) from None
        existing = {}
        if self.instance.pk:
            existing = dict(self.instance.sections.values_list("code", "name"))
            for code, name in pages:
                if code in existing and existing[code] != name:
                    raise ValidationError(
                        _("Page %(code)s is “%(name)s” in this issue, not “%(new)s”."),
                        params={"code": code, "name": existing[code], "new": name},
                    )
        total = len(existing) + sum(code not in existing for code, _name in pages)
        if total > MAX_PAGES_PER_ISSUE:
            raise ValidationError(
                _("The issue would have %(total)s pages; an issue has at most %(limit)s."),
                params={"total": total, "limit": MAX_PAGES_PER_ISSUE},
            )
        return pages


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BatchField(forms.FileField):
    """Every file of a multiple file input, as a list; the batch checks each
    (``articles.batches.stage``): an empty or odd file is that file's line."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class ImportForm(forms.Form):
    files = BatchField(
        label=_("Files"),
        widget=MultipleFileInput(attrs={"accept": ".txt,.zip"}),
        help_text=_(
            "Several .txt files, or one .zip whose folders are named after page codes "
            "(10/ for page 10), as exported or as import_text reads them."
        ),
    )
    page = forms.ChoiceField(
        label=_("Place every article on page"),
        required=False,
        help_text=_("Leave empty to place them by their folders, or leave them unplaced."),
    )
    update = forms.BooleanField(
        label=_("Replace articles the issue already has"),
        required=False,
        help_text=_("Without it, an article whose title the issue has is skipped."),
    )

    def __init__(self, issue, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].choices = [("", "—")] + [
            (page.code, f"{page.label} {page.name}") for page in issue.sections.all()
        ]


class PrintPdfForm(forms.Form):
    pdf = forms.FileField(
        label=_("The issue's print PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    first_page = forms.ChoiceField(
        label=_("A partial PDF starts at page"),
        required=False,
        help_text=_(
            "Leave empty for the whole issue: PDF page n goes to the issue's n-th page. "
            "A re-upload replaces only the pages it covers."
        ),
    )

    def __init__(self, issue, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_page"].choices = [("", "—")] + [
            (page.code, f"{page.label} {page.name}") for page in issue.sections.all()
        ]

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > settings.ISSUE_PDF_MAX_BYTES:
            raise ValidationError(
                _("The PDF is %(size)s MB; the limit is %(limit)s MB."),
                params={
                    "size": round(upload.size / 1024 / 1024, 1),
                    "limit": settings.ISSUE_PDF_MAX_BYTES // 1024 // 1024,
                },
            )
        return upload


class ScansForm(forms.Form):
    files = BatchField(
        label=_("Page images"),
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp,.gif,.zip"}),
        help_text=_(
            "Several images, or one .zip of them, each named after its page's code as "
            "printed (01.jpg, 0001.png): each replaces its page's scan."
        ),
    )


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


@admin.register(Issue)
class IssueAdmin(PublicationViews, HistoryAdmin):
    form = IssueAdminForm
    list_display = [
        "cover_thumbnail",
        "__str__",
        "cumulative_number",
        "state_label",
        "published_at",
        "article_count",
        "unplaced_count",
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
        pages = list(obj.sections.annotate(article_total=Count("articles")))
        return render_to_string(
            "admin/magazine/issue/page_overview.html",
            {"groups": group_consecutive(pages, {}), "page_count": len(pages)},
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
        self.message_user(
            request,
            ngettext("%(count)d page added.", "%(count)d pages added.", added) % {"count": added},
            messages.SUCCESS,
        )

    # Publication: actions on the list, buttons on the change form.

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        for issue in queryset:
            issue.publish(by=request.user)
        self._report(request, queryset.count(), _("published"))

    @admin.action(description=_("Withdraw (back to draft)"), permissions=["publish"])
    def withdraw(self, request, queryset):
        for issue in queryset:
            issue.withdraw(by=request.user)
        self._report(request, queryset.count(), _("withdrawn"))

    @admin.action(description=_("Schedule publication…"), permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for issue in queryset:
                issue.publish(at=form.cleaned_data["publish_at"], by=request.user)
            self._report(request, queryset.count(), _("scheduled"))
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
                job, info = print_tasks.submit(
                    issue,
                    form.cleaned_data["pdf"],
                    request.user,
                    first_page=form.cleaned_data["first_page"],
                )
            except pdfs.PdfRefused as refusal:
                form.add_error("pdf", str(refusal))
            else:
                if info is not None and (info.javascript or info.embedded_files):
                    self.message_user(
                        request,
                        _(
                            "The PDF holds JavaScript or embedded files: they are left out of "
                            "every PDF readers download."
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
                job = page_scans.submit(issue, form.cleaned_data["files"], request.user)
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
