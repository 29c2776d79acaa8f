"""The page (版面) of an issue, as printed."""

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.dispatch import Signal
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from infra import downloads, validators
from infra.clean_pdf import SafePdfField
from infra.images import (
    RENDITION_WIDTHS,
    DatedUploadPath,
    RenditionsMixin,
    SafeImageField,
    validate_pdf,
)
from infra.owned_files import OwnedFilesMixin
from infra.versions import VersionedHistory, version_field
from magazine import addresses
from magazine.models import Issue

# Sent by SectionQuerySet.merge with ``issue``, ``sections`` (those added) and
# ``user``: the reader site's page cache and the corrections list listen.
pages_added = Signal()
# Sent by the print PDF's and the page scans' jobs once pages are read, with
# ``issue``, ``pages`` (``[(section, blocks, how)]``: how a page was read, "text" or
# "ocr", else why not), ``user`` and ``progress`` (the job's), ``articles`` (draft
# the articles the pages print) and ``update`` (replacing those of the same title):
# articles drafts them and finds their areas (articles.apps). Each receiver returns
# what it did.
pages_read = Signal()

# Codes as printed: "0001"/"0002" for the covers, "01".."64" inside,
# "9901"/"9902" for the back covers; letters occur in newspapers ("A01").
CODE_PATTERN = r"^[0-9A-Za-z]{1,8}$"


class SectionKind(models.TextChoices):
    COVER = "cover", _("Cover")
    INNER = "inner", _("Inner page")
    BACK_COVER = "back_cover", _("Back cover")


# What readers call the cover pages (封面, 封二, 封三, 封底): their codes stay
# in addresses and the admin. A cover page named as one (9901版 named 封底, a
# magazine with one back cover) is called by its name.
COVER_NAMES = {
    "0001": _("Front cover"),
    "0002": _("Inside front cover"),
    "9901": _("Inside back cover"),
    "9902": _("Back cover"),
}
COVER_WORDS = frozenset({"封面", "封一", "封二", "封三", "封四", "封底"})


def cover_label(code, name=""):
    """What readers call a cover page (封面 … 封底), or None for another page."""
    if name in COVER_WORDS and kind_for_code(code) != SectionKind.INNER:
        return name
    label = COVER_NAMES.get(code)
    return None if label is None else str(label)


def reader_label(code, name=""):
    """A page as readers say it: 封面 … 封底 for the covers, 03版 for the others."""
    return cover_label(code, name) or gettext("Page %(code)s") % {"code": code}


def reader_title(code, name):
    """The label and the page's name (03版 本期策划; 封面 alone when named so)."""
    label = reader_label(code, name)
    return label if not name or name == label else f"{label} {name}"


def refresh_page_cover(issue_id):
    """Keep on the issue the renditions of its 封面 page's scan (code 0001 or the page
    named so, first in page order): its cover where none was uploaded."""
    front = (
        Section.objects.filter(models.Q(code="0001") | models.Q(name="封面"), issue_id=issue_id)
        .exclude(scan="")
        .order_by("position", "id")
        .values_list("scan_renditions", flat=True)
        .first()
    )
    Issue.objects.filter(pk=issue_id).update(page_cover_renditions=front or {})


def kind_for_code(code):
    if len(code) == 4 and code.startswith("00"):
        return SectionKind.COVER
    if len(code) == 4 and code.startswith("99"):
        return SectionKind.BACK_COVER
    return SectionKind.INNER


# A monthly has some 70 pages and a thick weekly 200: beyond this an issue is
# a mistake (a page list pasted a thousand times), and its admin page would
# no longer fit a request.
MAX_PAGES_PER_ISSUE = 300


class SectionQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(issue__in=Issue.objects.published(now))

    def for_reading(self):
        """What a page's own view shows of it: with its issue, in one query."""
        return self.select_related("issue")

    def links(self):
        """The pages as lists show them (page lists, contents, the strip of scans): id,
        code, name and the scan's renditions, rows."""
        return self.order_by("position", "id").values_list(
            "pk", "code", "name", "scan_renditions", named=True
        )

    def merge(self, issue, pages, user=None, reason="page list"):
        """Add the pages (``[(code, name), ...]``) ``issue`` lacks, after the ones it has.

        Existing pages are never renamed or moved: a code the issue already
        has under another name raises :class:`PageConflict`, more pages than
        ``MAX_PAGES_PER_ISSUE`` raise :class:`TooManyPages`, and either adds
        nothing. Returns ``{code: section id}`` for every page of the issue.
        The pages added are announced by the ``pages_added`` signal (a bulk
        insert sends no ``post_save``).
        """
        existing = {
            code: (pk, name)
            for code, pk, name in self.filter(issue=issue).values_list("code", "pk", "name")
        }
        for code, name in pages:
            if code in existing and existing[code][1] != name:
                raise PageConflict(issue, code, existing[code][1], name)
        ids = {code: pk for code, (pk, _) in existing.items()}
        missing = [(code, name) for code, name in pages if code not in existing]
        if len(existing) + len(missing) > MAX_PAGES_PER_ISSUE:
            raise TooManyPages(issue, len(existing), len(missing))
        if missing:
            last = self.filter(issue=issue).aggregate(last=models.Max("position"))["last"] or 0
            added = bulk_create_with_history(
                [
                    Section(issue=issue, code=code, name=name, position=last + offset)
                    for offset, (code, name) in enumerate(missing, start=1)
                ],
                Section,
                default_user=user,
                default_change_reason=reason,
            )
            ids.update((section.code, section.pk) for section in added)
            pages_added.send(sender=Section, issue=issue, sections=added, user=user)
        return ids


class Section(OwnedFilesMixin, RenditionsMixin, models.Model):
    issue = models.ForeignKey(
        "magazine.Issue",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("issue"),
    )
    code = models.CharField(
        _("code"),
        max_length=8,
        validators=[RegexValidator(CODE_PATTERN, _("Use 1 to 8 letters or digits, as printed."))],
        help_text=_("The page number as printed, leading zeros kept: 0001, 01, 9901."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=[validators.single_line, validators.not_blank],
        help_text=_("The page's name (版名), e.g. 卷首语 or 本期策划."),
    )
    position = models.PositiveIntegerField(
        _("position"),
        default=0,
        help_text=_("Order of the page in the issue; lower comes first."),
    )
    scan = SafeImageField(
        _("page scan"),
        upload_to=DatedUploadPath("scans"),
        blank=True,
        help_text=_("An image of the printed page: JPEG, PNG, WebP or GIF, up to 20 MB."),
    )
    scan_renditions = models.JSONField(default=dict, blank=True, editable=False)
    pdf = SafePdfField(
        _("page PDF"),
        upload_to=DatedUploadPath("pdf"),
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text=_("The printed page as a PDF, if there is one (up to 50 MB)."),
    )
    pdf_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    version = version_field()  # a save from an older version is refused

    objects = SectionQuerySet.as_manager()
    history = VersionedHistory(excluded_fields=["scan_renditions", "pdf_size"])

    image_field_name, renditions_field_name = "scan", "scan_renditions"
    # The scan also as the page view's zoom draws it: sharp at 3× on a phone, yet not
    # a 50-megapixel upload.
    rendition_widths = {**RENDITION_WIDTHS, "zoom": 2000}

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["issue", "position", "id"]
        indexes = [
            # The search's list of page names (articles.sql.published_page_names).
            models.Index(fields=["name"], name="section_name_idx"),
            # An issue's pages in order, and a page's neighbours (上一版/下一版).
            models.Index(fields=["issue", "position", "id"], name="section_page_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["issue", "code"], name="section_code_unique_in_issue"),
            models.CheckConstraint(
                condition=models.Q(code__regex=CODE_PATTERN), name="section_code_format"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="section_name_not_empty"),
            *validators.no_control_characters_constraints("section", single=["name"]),
        ]

    def __str__(self):
        return _("Page %(code)s %(name)s") % {"code": self.code, "name": self.name}

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # and its renditions (RenditionsMixin)
        if self.code == "0001" or self.name == "封面":
            refresh_page_cover(self.issue_id)

    def get_absolute_url(self):
        return f"{addresses.pages_prefix(self.issue.year, self.issue.number)}{self.code}/"

    def delete(self, *args, **kwargs):
        issue_id, front = self.issue_id, self.code == "0001" or self.name == "封面"
        result = super().delete(*args, **kwargs)
        if front:
            refresh_page_cover(issue_id)
        return result

    def clean(self):
        super().clean()
        if self.pk is None and self.issue_id is not None:
            pages = Section.objects.filter(issue_id=self.issue_id).count()
            if pages >= MAX_PAGES_PER_ISSUE:
                raise ValidationError(
                    _("This issue already has %(count)s pages, the most an issue can have."),
                    params={"count": pages},
                )
        # The friendly form of the database's rule (articles/triggers.py): the
        # articles on a page belong to its issue, so it cannot leave it.
        if self.pk is not None and self.issue_id is not None:
            articles = self.articles.exclude(issue_id=self.issue_id)
            if articles.exists():
                raise ValidationError(
                    {"issue": _("This page has articles of its issue; it cannot move to another.")}
                )

    def rows_changed(self, user=None, reason="areas"):
        """Its areas (or articles) changed by another route than its form: the version
        moves (a form open on the page is then refused) and the history says who."""
        self._history_user = user
        self._change_reason = reason
        self.save(update_fields=["version"])

    @property
    def label(self):
        """The page's number as readers say it: 10版 (Page 10)."""
        return gettext("Page %(code)s") % {"code": self.code}

    @property
    def download_name(self):
        """The file name of the page's PDF as readers save it: 基层月刊-2026年第12期-03版.pdf."""
        with translation.override(settings.LANGUAGE_CODE):
            return downloads.file_name(self.issue, reader_label(self.code, self.name))

    @property
    def rendition_zoom(self):
        """The scan as the zoom draws it: its zoom rendition, or the scan itself for one
        made before there were any."""
        return self.rendition("zoom") or self.rendition("original")

    @property
    def reader_title(self):
        """The page as readers see it named: 03版 本期策划, 封二 广告."""
        return reader_title(self.code, self.name)

    @property
    def kind(self):
        return kind_for_code(self.code)


@dataclass
class PageGroup:
    """Consecutive pages sharing a name (本期策划 10–15版) and their articles."""

    name: str
    sections: list
    articles: list
    by_page: list = dataclasses.field(default_factory=list)  # [(page, its articles)], in page order

    @property
    def first(self):
        return self.sections[0]

    @property
    def last(self):
        return self.sections[-1]


def group_consecutive(pages, articles_by_page):
    """``pages`` in order (anything with ``pk`` and ``name``); articles keyed by page id."""
    groups = []
    for page in pages:
        articles = articles_by_page.get(page.pk, [])
        if not (groups and groups[-1].name == page.name):
            groups.append(PageGroup(page.name, [], []))
        groups[-1].sections.append(page)
        groups[-1].articles.extend(articles)
        if articles:
            groups[-1].by_page.append((page, articles))
    return groups


class PageListError(Exception):
    """A page list the issue cannot take; its ``str`` says why, in one line."""


class PageConflict(PageListError):
    """A page list names a page the issue has under another name."""

    def __init__(self, issue, code, existing_name, new_name):
        super().__init__(issue, code, existing_name, new_name)
        self.issue, self.code = issue, code
        self.existing_name, self.new_name = existing_name, new_name

    def __str__(self):
        return (
            f"page {self.code} is {self.new_name!r} here but {self.existing_name!r} "
            f"in issue {self.issue.key}"
        )

    def said(self):
        """Its code and parameters, to say it in the reader's language."""
        return {
            "code": "page_conflict",
            "page": self.code,
            "new": self.new_name,
            "existing": self.existing_name,
            "issue": self.issue.key,
        }


class TooManyPages(PageListError):
    """A page list would give the issue more than ``MAX_PAGES_PER_ISSUE`` pages."""

    def __init__(self, issue, existing, added):
        super().__init__(issue, existing, added)
        self.issue, self.existing, self.added = issue, existing, added

    def __str__(self):
        return (
            f"issue {self.issue.key} would have {self.existing + self.added:,} pages "
            f"({self.existing} and {self.added} new); an issue has at most {MAX_PAGES_PER_ISSUE}"
        )

    def said(self):
        return {
            "code": "too_many_pages",
            "issue": self.issue.key,
            "total": self.existing + self.added,
            "limit": MAX_PAGES_PER_ISSUE,
        }
