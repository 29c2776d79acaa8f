"""The issue (期): one number of the periodical, and its publication state."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from magazine import addresses, validators
from magazine.images import DatedUploadPath, RenditionsMixin, SafeImageField

# A daily has up to 366 issues a year; the URLs take up to four digits.
MAX_ISSUE_NUMBER = 9999


class IssueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


def published_condition(now=None, through=""):
    """What readers may see now: the only definition of "published".

    ``through`` names the relation from another model (``"issue"``): a join,
    which costs less to build and run than ``issue__in=published()``.
    """
    prefix = f"{through}__" if through else ""
    return models.Q(**{f"{prefix}published_at__lte": now or timezone.now()})


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
    pdf = models.FileField(
        _("print PDF"),
        upload_to=DatedUploadPath("pdf/issues"),
        blank=True,
        editable=False,
        help_text=_("The whole issue as readers download it, made from its pages' PDFs."),
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
                fields = (
                    update_fields
                    if update_fields is not None
                    else [f.name for f in self._meta.concrete_fields]
                )
                update_fields = [f for f in fields if f not in ("id", "published_at")]
        self._publication_change = False
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return addresses.issue_url(self.year, self.number)

    @staticmethod
    def name_of(year, number):
        """How an issue is named to readers (its ``str``), from its year and number."""
        return gettext("%(year)s, No. %(number)s") % {"year": year, "number": number}

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

    def withdraw(self):
        """Back to draft: readers no longer see the issue or anything in it."""
        self.published_at = None
        self._publication_change = True
        self.save(update_fields=["published_at", "updated_at"])


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
