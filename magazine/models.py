"""The issue (期): one number of the periodical, and its publication state."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from magazine import addresses, downloads, validators
from magazine.clean_pdf import SafePdfField
from magazine.images import DatedUploadPath, Rendition, RenditionsMixin, SafeImageField
from magazine.owned_files import OwnedFilesMixin
from magazine.versions import VersionedHistory, version_field, without_version_check

# A daily has up to 366 issues a year; the URLs take up to four digits.
MAX_ISSUE_NUMBER = 9999


class IssueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class ReviewState(models.TextChoices):
    """Where an unpublished issue stands between its editors and the chief editor."""

    EDITING = "editing", _("Being edited")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Sent back for changes")


class ReviewRefused(Exception):
    """A review step that does not apply to the issue as it stands (one line)."""


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

    def next_key(self):
        """``(year, number)`` proposed for the issue after the newest: the next number,
        or the next year's first once the newest has as many as the year before had."""
        newest = self.latest_first().values_list("year", "number").first()
        if newest is None:
            return timezone.localdate().year, 1
        year, number = newest
        usual = self.filter(year=year - 1).aggregate(most=models.Max("number"))["most"]
        if number >= MAX_ISSUE_NUMBER or (usual and number >= usual):
            return year + 1, 1
        return year, number + 1

    def awaiting_review(self, now=None):
        """Submitted for review and not yet published: the chief editor's to decide."""
        return self.filter(review=ReviewState.SUBMITTED).exclude(published_condition(now=now))


class Issue(OwnedFilesMixin, RenditionsMixin, models.Model):
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
    # The renditions of the 封面 page's scan, shown where there is no uploaded cover:
    # kept here by the page's save (sections.models.Section.save), so that a list
    # of covers reads no page.
    page_cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover description"),
        max_length=300,
        blank=True,
        default="",
        validators=[validators.single_line],
        help_text=_("What the cover shows, for readers who cannot see it."),
    )
    pdf = SafePdfField(
        _("print PDF"),
        upload_to=DatedUploadPath("pdf/issues"),
        blank=True,
        editable=False,
        help_text=_("The whole issue as readers download it, made from its pages' PDFs."),
    )
    pdf_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
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
    review = models.CharField(
        _("review"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.EDITING,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()  # a save from an older version is refused

    objects = IssueQuerySet.as_manager()
    history = VersionedHistory(
        excluded_fields=["cover_renditions", "page_cover_renditions", "updated_at", "pdf_size"]
    )

    image_field_name, renditions_field_name = "cover", "cover_renditions"
    _state_change = False  # set by publish(), withdraw() and the review steps for their save

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
            models.CheckConstraint(
                condition=models.Q(review__in=ReviewState.values), name="issue_review_known"
            ),
        ]

    def __str__(self):
        return self.name_of(self.year, self.number)

    def save(self, *args, update_fields=None, **kwargs):
        # The publication and review states move only through publish(),
        # withdraw() and the review steps: any other save of an existing issue
        # (an admin form, History's restore of an old version, the shell) keeps
        # the stored ones, and a deleted issue restored from its history comes
        # back as a draft being edited.
        if self.pk is not None and not self._state_change:
            stored = list(Issue.objects.filter(pk=self.pk).values_list("published_at", "review"))
            self.published_at, self.review = stored[0] if stored else (None, ReviewState.EDITING)
            if stored:  # nor are they written, so a publication meanwhile is not undone
                fields = (
                    update_fields
                    if update_fields is not None
                    else [f.name for f in self._meta.concrete_fields]
                )
                # Nor the 封面 page's renditions, which its page's save keeps.
                kept = ("id", "published_at", "review", "page_cover_renditions")
                update_fields = [f for f in fields if f not in kept]
        if self._state_change:
            # No editor's form holds the state: its change neither checks nor counts
            # up the version, so forms open on the issue stay good.
            with without_version_check(self):
                super().save(*args, update_fields=update_fields, **kwargs)
        else:
            super().save(*args, update_fields=update_fields, **kwargs)
        self._state_change = False

    def get_absolute_url(self):
        return addresses.issue_url(self.year, self.number)

    @staticmethod
    def name_of(year, number):
        """How an issue is named to readers (its ``str``), from its year and number."""
        return gettext("%(year)s, No. %(number)s") % {"year": year, "number": number}

    def cover_rendition(self, label):
        """The uploaded cover's rendition, or else that of the 封面 page's scan: the same
        sizes either way."""
        own = self.rendition(label)
        if own is not None:
            return own
        data = (self.page_cover_renditions or {}).get(label)
        if not data:
            return None
        return Rendition(self._meta.get_field("cover").storage, data)

    @property
    def cover_thumb(self):
        return self.cover_rendition("thumb")

    @property
    def cover_web(self):
        return self.cover_rendition("web")

    @property
    def download_name(self):
        """The file name of the issue's PDF as readers save it: 基层月刊-2026年第12期.pdf."""
        return downloads.file_name(self)

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

    def publish(self, at=None, by=None, note=""):
        """Publish now, or schedule for ``at`` (an aware datetime); ``by`` and ``note``
        go into the issue's review steps. The review is over: back to "being edited"."""
        if at is not None and timezone.is_naive(at):
            raise ValueError("publish(at=...) needs an aware datetime.")
        self.published_at = at or timezone.now()
        step = ReviewStep.Kind.SCHEDULED if at is not None else ReviewStep.Kind.PUBLISHED
        self._publication_step(step, by, note)

    def withdraw(self, by=None, note=""):
        """Back to draft: readers no longer see the issue or anything in it."""
        self.published_at = None
        self._publication_step(ReviewStep.Kind.WITHDRAWN, by, note)

    def _publication_step(self, kind, by, note):
        self._state_change = True
        self.review = ReviewState.EDITING
        self._change_reason = ReviewStep.reason(kind, note)
        with transaction.atomic():
            self.save(update_fields=["published_at", "review", "updated_at"])
            ReviewStep.objects.create(issue=self, kind=kind, user=by, note=note)

    # Review: editors submit, the chief editor publishes or sends the issue back.

    def submit_for_review(self, by, note=""):
        """提交审核: tell the chief editor the issue is ready."""
        if self.state() == IssueState.PUBLISHED:
            raise ReviewRefused(gettext("%(issue)s is published already.") % {"issue": self})
        if self.review == ReviewState.SUBMITTED:
            raise ReviewRefused(
                gettext("%(issue)s is submitted for review already.") % {"issue": self}
            )
        self._review_step(ReviewState.SUBMITTED, ReviewStep.Kind.SUBMITTED, by, note)

    def send_back(self, by, note=""):
        """退回修改: back to the editors, with what to change."""
        if self.review != ReviewState.SUBMITTED or self.state() == IssueState.PUBLISHED:
            raise ReviewRefused(gettext("%(issue)s is not waiting for review.") % {"issue": self})
        self._review_step(ReviewState.RETURNED, ReviewStep.Kind.RETURNED, by, note)

    def _review_step(self, review, kind, by, note):
        self._state_change = True
        self.review = review
        self._change_reason = ReviewStep.reason(kind, note)
        with transaction.atomic():
            self.save(update_fields=["review", "updated_at"])
            ReviewStep.objects.create(issue=self, kind=kind, user=by, note=note)


class StepKind(models.TextChoices):
    """What a review step did (the history's words for it: "submitted", not the state)."""

    SUBMITTED = "submitted", pgettext_lazy("review step", "Submitted for review")
    RETURNED = "returned", pgettext_lazy("review step", "Sent back for changes")
    PUBLISHED = "published", pgettext_lazy("review step", "Published")
    SCHEDULED = "scheduled", pgettext_lazy("review step", "Scheduled")
    WITHDRAWN = "withdrawn", pgettext_lazy("review step", "Withdrawn")


class ReviewStep(models.Model):
    """One step of an issue on its way to readers: who, when, and their note."""

    Kind = StepKind

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="review_steps", verbose_name=_("issue")
    )
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True, default="", max_length=2000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=StepKind.values),
                name="reviewstep_kind_known",
            ),
        ]

    def __str__(self):
        return f"{self.issue} · {self.get_kind_display()}"

    @classmethod
    def reason(cls, kind, note):
        """The step as the issue's history names it (its change reason)."""
        label = str(cls.Kind(kind).label)
        return f"{label}: {note}"[:100] if note else label


class CorrectionQuerySet(models.QuerySet):
    def unseen(self):
        return self.filter(seen_at__isnull=True)


class Correction(models.Model):
    """更正: a change to a published issue by someone who may not publish.

    Recorded as it is saved (``editorial.corrections``) and listed for the chief
    editor until they mark it seen: nothing changes on the public site unseen.
    """

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("issue")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    changed = GenericForeignKey("content_type", "object_id")
    what = models.CharField(_("what"), max_length=300)
    change = models.CharField(
        _("change"),
        max_length=10,
        choices=[("added", _("added")), ("changed", _("changed")), ("deleted", _("deleted"))],
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seen by"),
    )
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.issue} · {self.what}"

    def history_url_name(self):
        return f"admin:{self.content_type.app_label}_{self.content_type.model}_history"


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
