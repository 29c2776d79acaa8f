"""The forms of the issue's admin pages: the issue itself (with its page list and
the next issue's pages to copy), its pages table, and its three uploads."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.said import reason
from articles.textformat import Refusal, parse_page_list
from magazine.models import Issue
from sections.models import MAX_PAGES_PER_ISSUE


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
            # As the import says it (articles.said), in the editor's language.
            raise ValidationError(reason(refusal.code, refusal.params, refusal.reason)) from None
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


def page_choices(issue):
    """The issue's pages for a select, by code, after a "—" for none."""
    return [("", "—")] + [(page.code, f"{page.label} {page.name}") for page in issue.sections.all()]


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
        self.fields["page"].choices = page_choices(issue)


def find_areas_field(help_text):
    return forms.BooleanField(
        label=_("Find the articles' areas"), required=False, initial=True, help_text=help_text
    )


def offers_drafting(issue):
    """Whether drafting articles from the PDF is offered: the issue has no articles, or
    pages without any."""
    placed = issue.articles.filter(section__isnull=False).values("section").distinct()
    return not issue.articles.exists() or issue.sections.exclude(pk__in=placed).exists()


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
    find_areas = find_areas_field(
        _(
            "Each article's clickable area is found where the PDF prints its text (a scanned "
            "page is read by OCR), and articles not on a page yet are placed where they are "
            "printed. Areas an editor drew or changed are kept."
        )
    )

    articles = forms.BooleanField(
        label=_("Draft the articles from the PDF"),
        required=False,
        help_text=_(
            "For a month without text files: the articles the PDF prints on pages that "
            "have none yet are drafted from its text (kicker, title, subtitle, byline, "
            "paragraphs; a scanned page read by OCR). First a dry run lists them; "
            "nothing is written until you confirm."
        ),
    )
    update = forms.BooleanField(
        label=_("Replace the articles of the same title"),
        required=False,
        help_text=_("Without it, an article whose title the issue has is left as it is."),
    )

    def __init__(self, issue, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_page"].choices = page_choices(issue)
        if not offers_drafting(issue):
            del self.fields["articles"], self.fields["update"]

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
    find_areas = find_areas_field(
        _(
            "The scans are read by OCR and each article's clickable area is found where its "
            "text is printed; articles not on a page yet are placed there. Areas an editor "
            "drew or changed are kept."
        )
    )
