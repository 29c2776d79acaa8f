"""The issue (期): one number of the periodical, and its publication state."""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from magazine import addresses, validators
from magazine.images import DatedUploadPath, RenditionsMixin, SafeImageField

# A daily has up to 366 issues a year; the URLs take up to four digits.
MAX_ISSUE_NUMBER = 9999
# A monthly has some 70 pages and a thick weekly 200: beyond this an issue is
# a mistake (a page list pasted a thousand times), and its admin page would
# no longer fit a request.
MAX_PAGES_PER_ISSUE = 300


class IssueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


def published_condition(now=None):
    """What readers may see now: the only definition of "published"
    (``published_sql`` says the same in hand-written SQL)."""
    return models.Q(published_at__lte=now or timezone.now())


def published_sql(alias, connection, now=None):
    """``published_condition`` for hand-written SQL, on the issue table as ``alias``:
    the condition and its parameter."""
    moment = connection.ops.adapt_datetimefield_value(now or timezone.now())
    return f"{alias}.published_at <= %s", [moment]


class IssueQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_condition(now=now))

    def scheduled(self, now=None):
        return self.filter(published_at__gt=now or timezone.now())

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def latest_first(self):
        return self.order_by("-year", "-number")


class Issue(RenditionsMixin, models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1900), MaxValueValidator(2999)],
        help_text=_("The year printed on the issue, e.g. 2014."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ISSUE_NUMBER)],
        help_text=_("The issue's number within its year (第N期), from 1 to 9999."),
    )
    cumulative_number = models.PositiveIntegerField(
        _("cumulative number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The running number since the first issue (总第N期), if printed."),
    )
    cover = SafeImageField(
        _("cover"),
        upload_to=DatedUploadPath("covers"),
        blank=True,
        help_text=_("The front cover: JPEG, PNG, WebP or GIF, up to 20 MB."),
    )
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover description"),
        max_length=300,
        blank=True,
        default="",
        validators=[validators.single_line],
        help_text=_("What the cover shows, for readers who cannot see it."),
    )
    cover_date = models.DateField(
        _("cover date"),
        null=True,
        blank=True,
        help_text=_("The date printed on the cover, if any."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Readers see the issue from this moment on. Empty: a draft. In the future: scheduled."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["cover_renditions", "updated_at"])

    image_field_name, renditions_field_name = "cover", "cover_renditions"
    _publication_change = False  # set by publish() and withdraw() for their save

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-year", "-number"]
        permissions = [("publish_issue", _("Can publish, schedule and withdraw issues"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="issue_year_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MAX_ISSUE_NUMBER),
                name="issue_number_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1900, year__lte=2999), name="issue_year_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(cumulative_number__isnull=True)
                | models.Q(cumulative_number__gte=1),
                name="issue_cumulative_number_positive",
            ),
            *validators.no_control_characters_constraints("issue", single=["cover_alt"]),
        ]

    def __str__(self):
        return self.name_of(self.year, self.number)

    def save(self, *args, update_fields=None, **kwargs):
        # The publication state moves only through publish() and withdraw():
        # any other save of an existing issue (an admin form, History's
        # restore of an old version, the shell) keeps the stored moment, and
        # a deleted issue restored from its history comes back as a draft.
        if self.pk is not None and not self._publication_change:
            stored = list(Issue.objects.filter(pk=self.pk).values_list("published_at", flat=True))
            self.published_at = stored[0] if stored else None
            if stored:  # nor is it written, so a publication meanwhile is not undone
                fields = update_fields or [f.name for f in self._meta.concrete_fields]
                update_fields = [f for f in fields if f not in ("id", "published_at")]
        self._publication_change = False
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return addresses.issue_url(self.year, self.number)

    @staticmethod
    def name_of(year, number):
        """How an issue is named to readers (its ``str``), from its year and number."""
        return _("%(year)s, No. %(number)s") % {"year": year, "number": number}

    @property
    def key(self):
        """The ``YEAR-NUMBER`` form used by the commands and the search filter."""
        return f"{self.year}-{self.number}"

    def state(self, now=None):
        if self.published_at is None:
            return IssueState.DRAFT
        if self.published_at > (now or timezone.now()):
            return IssueState.SCHEDULED
        return IssueState.PUBLISHED

    def is_published(self, now=None):
        return self.state(now) == IssueState.PUBLISHED

    def publish(self, at=None):
        """Publish now, or schedule for ``at`` (an aware datetime)."""
        if at is not None and timezone.is_naive(at):
            raise ValueError("publish(at=...) needs an aware datetime.")
        self.published_at = at or timezone.now()
        self._publication_change = True
        self.save(update_fields=["published_at", "updated_at"])

    def table_of_contents(self):
        """The pages with their articles, grouped by name, and the unplaced articles.

        Two queries however many pages and articles the issue has, read as
        plain rows (see magazine.listings): 300 model instances would cost
        more than the rest of the page.
        """
        from magazine.listings import article_rows, page_links
        from sections.models import group_consecutive

        pages = page_links(self)
        by_page, unplaced = {}, []
        for article in article_rows(self):
            if article.section_id is None:
                unplaced.append(article)
            else:
                by_page.setdefault(article.section_id, []).append(article)
        return TableOfContents(self, pages, group_consecutive(pages, by_page), unplaced)

    def merge_pages(self, pages, user=None, reason="page list"):
        """Add the pages (``[(code, name), ...]``) this issue lacks, after the ones it has.

        Existing pages are never renamed or moved: a code the issue already
        has under another name raises :class:`PageConflict`, more pages than
        ``MAX_PAGES_PER_ISSUE`` raise :class:`TooManyPages`, and either adds
        nothing. Returns ``{code: section id}`` for every page of the issue.
        """
        from sections.models import Section

        existing = {
            code: (pk, name) for code, pk, name in self.sections.values_list("code", "pk", "name")
        }
        for code, name in pages:
            if code in existing and existing[code][1] != name:
                raise PageConflict(self, code, existing[code][1], name)
        ids = {code: pk for code, (pk, _) in existing.items()}
        missing = [(code, name) for code, name in pages if code not in existing]
        if len(existing) + len(missing) > MAX_PAGES_PER_ISSUE:
            raise TooManyPages(self, len(existing), len(missing))
        if missing:
            last = self.sections.aggregate(last=models.Max("position"))["last"] or 0
            added = bulk_create_with_history(
                [
                    Section(issue=self, code=code, name=name, position=last + offset)
                    for offset, (code, name) in enumerate(missing, start=1)
                ],
                Section,
                default_user=user,
                default_change_reason=reason,
            )
            ids.update((section.code, section.pk) for section in added)
            if self.is_published():  # readers see an unpublished issue's pages nowhere
                from magazine.page_cache import content_changed

                content_changed()  # a bulk insert sends no signal
        return ids

    def withdraw(self):
        """Back to draft: readers no longer see the issue or anything in it."""
        self.published_at = None
        self._publication_change = True
        self.save(update_fields=["published_at", "updated_at"])


@dataclass
class TableOfContents:
    issue: "Issue"
    sections: list
    groups: list
    unplaced: list

    @property
    def article_count(self):
        return sum(len(group.articles) for group in self.groups) + len(self.unplaced)


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


def parse_issue_key(text):
    """``"2014-5"`` -> ``(2014, 5)``; ValueError with a readable message otherwise."""
    year, sep, number = str(text).strip().partition("-")
    if not sep or not year.isdecimal() or not number.isdecimal():
        raise ValueError(f"issue must be YEAR-NUMBER, e.g. 2014-5, not {text!r}")
    year, number = int(year), int(number)
    if not (1900 <= year <= 2999) or not (1 <= number <= MAX_ISSUE_NUMBER):
        raise ValueError(
            f"issue {text!r} is out of range (year 1900-2999, number 1-{MAX_ISSUE_NUMBER})"
        )
    return year, number
