"""The issue (期): one number of the periodical, and its publication state."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from infra import downloads, validators
from infra.clean_pdf import SafePdfField
from infra.images import DatedUploadPath, Rendition, RenditionsMixin, SafeImageField
from infra.owned_files import OwnedFilesMixin
from infra.versions import VersionedHistory, version_field, without_version_check
from magazine import addresses

# A daily has up to 366 issues a year; the URLs take up to four digits.
MAX_ISSUE_NUMBER = 9999


class IssueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class ReviewState(models.TextChoices):
    """Where an unpublished issue stands in its review chain (``Issue.review_level``
    says at which level)."""

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
        """Submitted or sent back to a level, not yet published: someone's to decide."""
        return self.filter(review__in=[ReviewState.SUBMITTED, ReviewState.RETURNED]).exclude(
            published_condition(now=now)
        )

    def waiting_for(self, user, now=None):
        """What waits at a level ``user`` holds: their work on the dashboard."""
        return self.awaiting_review(now=now).filter(
            review_level__in=ReviewLevel.objects.held_by(user)
        )


class ReviewLevelQuerySet(models.QuerySet):
    def held_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(group__in=user.groups.all())


class ReviewLevel(models.Model):
    """One level of the review chain (三审制: 初审, 复审, 终审), held by a group.

    An issue passes the levels in order, each signed off by one of its group;
    the last level's sign-off is the publication itself (it needs
    ``magazine.publish_issue``, which the last level's group holds).
    """

    position = models.PositiveSmallIntegerField(
        _("order"),
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=_("Levels are passed from the lowest number up; the last one publishes."),
    )
    name = models.CharField(
        _("name"),
        max_length=20,
        unique=True,
        validators=[validators.single_line],
        help_text=_("As editors say it, e.g. 初审."),
    )
    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held by"),
        help_text=_("Members of this group sign this level off."),
    )

    objects = ReviewLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("review level")
        verbose_name_plural = _("review chain")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="reviewlevel_position_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def chain(cls):
        """The levels in order (a list: callers index it and look at its end)."""
        return list(cls.objects.select_related("group").order_by("position"))

    def is_held_by(self, user):
        if user is None or not user.is_active:
            return False
        return user.is_superuser or user.groups.filter(pk=self.group_id).exists()


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
    # The level the issue waits at (empty: the first, nobody has signed yet).
    review_level = models.ForeignKey(
        ReviewLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("review level"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()  # a save from an older version is refused

    objects = IssueQuerySet.as_manager()
    history = VersionedHistory(
        excluded_fields=[
            "cover_renditions",
            "page_cover_renditions",
            "updated_at",
            "pdf_size",
            "review_level",
        ]
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
            stored = list(
                Issue.objects.filter(pk=self.pk).values_list(
                    "published_at", "review", "review_level"
                )
            )
            self.published_at, self.review, self.review_level_id = (
                stored[0] if stored else (None, ReviewState.EDITING, None)
            )
            if stored:  # nor are they written, so a publication meanwhile is not undone
                fields = (
                    update_fields
                    if update_fields is not None
                    else [f.name for f in self._meta.concrete_fields]
                )
                # Nor the 封面 page's renditions, which its page's save keeps.
                kept = ("id", "published_at", "review", "review_level", "page_cover_renditions")
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
        """Publish now, or schedule for ``at`` (an aware datetime): the last level's
        sign-off. ``by`` and ``note`` go into the issue's review steps.

        A person (``by``) publishes only with ``magazine.publish_issue`` and once
        every level before the last has signed the issue off; ``by=None`` is the
        system's own (the demo, fixtures), which has no chain to pass.
        """
        if at is not None and timezone.is_naive(at):
            raise ValueError("publish(at=...) needs an aware datetime.")
        chain = ReviewLevel.chain()
        if by is not None:
            self.check_may_publish(by, chain)
        self.published_at = at or timezone.now()
        step = ReviewStep.Kind.SCHEDULED if at is not None else ReviewStep.Kind.PUBLISHED
        self._publication_step(step, by, note, chain[-1] if chain else None)

    def check_may_publish(self, user, chain=None):
        """ReviewRefused unless ``user`` may publish the issue as it stands now."""
        from magazine.roles import PUBLISH_PERMISSION

        chain = ReviewLevel.chain() if chain is None else chain
        if not user.has_perm(PUBLISH_PERMISSION):
            raise ReviewRefused(gettext("Only the chief editor publishes an issue."))
        # Published already: publishing again moves only its time, not past any level.
        missing = [] if self.is_published() else self.levels_to_sign(chain)
        if missing:
            raise ReviewRefused(
                gettext("%(issue)s has not passed %(level)s yet.")
                % {"issue": self, "level": missing[0].name}
            )

    def withdraw(self, by=None, note=""):
        """Back to draft: readers no longer see the issue or anything in it."""
        self.published_at = None
        self._publication_step(ReviewStep.Kind.WITHDRAWN, by, note, None)

    def _publication_step(self, kind, by, note, level):
        self._state_change = True
        self.review = ReviewState.EDITING
        self._change_reason = ReviewStep.reason(kind, note)
        with transaction.atomic():
            self.save(update_fields=["published_at", "review", "updated_at"])
            ReviewStep.objects.create(
                issue=self,
                kind=kind,
                user=by,
                note=note,
                level=level,
                level_name=level.name if level else "",
            )

    # The review chain: each level signs the issue off to the next, or sends it
    # back, with a note, to any earlier one; the last level publishes.

    def waiting_level(self, chain=None):
        """The level the issue waits at (None without a chain)."""
        chain = ReviewLevel.chain() if chain is None else chain
        for level in chain:
            if level.pk == self.review_level_id:
                return level
        return chain[0] if chain else None

    def valid_sign_offs(self, steps=None):
        """The sign-offs that still hold, by level id (the latest of each level);
        ``steps``: the issue's review steps if the caller has read them already."""
        if steps is None:
            steps = self.review_steps.filter(
                kind=ReviewStep.Kind.SIGNED, lapsed_at__isnull=True
            ).select_related("user")
        found = {}
        for step in sorted(steps, key=lambda step: (step.at, step.id)):
            if step.kind == ReviewStep.Kind.SIGNED and step.lapsed_at is None:
                found[step.level_id] = step
        return found

    def levels_to_sign(self, chain=None, steps=None):
        """The levels before the last that hold no valid sign-off, in order."""
        chain = ReviewLevel.chain() if chain is None else chain
        signed = self.valid_sign_offs(steps)
        return [level for level in chain[:-1] if level.pk not in signed]

    def sign_off(self, by, note=""):
        """通过: the level the issue waits at passes it on to the next level."""
        with transaction.atomic():
            issue, chain, level = self._locked_at_level(by)
            if level == chain[-1]:
                raise ReviewRefused(
                    gettext("%(level)s is the last level: it publishes or schedules the issue.")
                    % {"level": level.name}
                )
            following = chain[chain.index(level) + 1]
            issue._review_step(
                ReviewState.SUBMITTED, following, ReviewStep.Kind.SIGNED, by, note, level
            )
        self.review, self.review_level = issue.review, issue.review_level

    # The editors' word for signing the first level off.
    submit_for_review = sign_off

    def send_back(self, by, note="", to=None):
        """退回修改: back to an earlier level (the first unless ``to`` says which),
        with what to change; the sign-offs from that level on no longer hold."""
        note = (note or "").strip()
        with transaction.atomic():
            issue, chain, level = self._locked_at_level(by)
            earlier = chain[: chain.index(level)]
            if not earlier or issue.review == ReviewState.EDITING:
                raise ReviewRefused(
                    gettext("%(issue)s is not waiting for review.") % {"issue": issue}
                )
            target = earlier[0] if to is None else to
            if target not in earlier:
                raise ReviewRefused(
                    gettext("%(issue)s can be sent back only to a level before %(level)s.")
                    % {"issue": issue, "level": level.name}
                )
            if not note:
                raise ReviewRefused(
                    gettext("Say what to change: sending an issue back needs a note.")
                )
            lapsed = gettext("sent back to %(level)s") % {"level": target.name}
            issue.review_steps.filter(
                kind=ReviewStep.Kind.SIGNED,
                lapsed_at__isnull=True,
                level__position__gte=target.position,
            ).update(lapsed_at=timezone.now(), lapsed_reason=lapsed[:300])
            issue._review_step(
                ReviewState.RETURNED, target, ReviewStep.Kind.RETURNED, by, note, target
            )
        self.review, self.review_level = issue.review, issue.review_level

    def _locked_at_level(self, by):
        """The issue's row locked (two sign-offs at once pass one level once), the
        chain, and the level it waits at, which ``by`` must hold."""
        issue = Issue.objects.select_for_update().get(pk=self.pk)
        if issue.state() == IssueState.PUBLISHED:
            raise ReviewRefused(gettext("%(issue)s is published already.") % {"issue": issue})
        chain = ReviewLevel.chain()
        level = issue.waiting_level(chain)
        if level is None:
            raise ReviewRefused(gettext("No review chain is set."))
        if not level.is_held_by(by):
            raise ReviewRefused(
                gettext("%(issue)s waits at %(level)s, which %(group)s sign off.")
                % {"issue": issue, "level": level.name, "group": level.group.name}
            )
        return issue, chain, level

    def _review_step(self, review, waits_at, kind, by, note, level):
        self._state_change = True
        self.review = review
        self.review_level = waits_at
        self._change_reason = ReviewStep.reason(kind, note, level)
        self.save(update_fields=["review", "review_level", "updated_at"])
        ReviewStep.objects.create(
            issue=self, kind=kind, user=by, note=note, level=level, level_name=level.name
        )

    def lapse_sign_offs(self, above, article_id, what, by, at=None):
        """A change to the issue's text (an article: its id and ``what``, its title)
        by ``by``, who holds levels up to position ``above``: the sign-offs of later
        levels no longer vouch for it, and the issue waits at the first of them again.

        Nothing lapses once the issue is published: its sign-offs are its record."""
        if self.published_at is not None and self.published_at <= timezone.now():
            return []
        at = at or timezone.now()
        latest = {}
        for step in self.review_steps.filter(
            kind=ReviewStep.Kind.SIGNED, level__position__gt=above, at__lt=at
        ).select_related("level"):
            if step.level_id not in latest or (step.at, step.id) > latest[step.level_id][0]:
                latest[step.level_id] = ((step.at, step.id), step)
        # A sign-off a send-back took away stays as it is: the issue waits below it.
        touched = [step for _, step in latest.values() if step.lapsed_at is None or step.lapsed_for]
        if not touched:
            return []
        who = str(by) if by is not None else gettext("the system")
        for step in touched:
            change = {"id": article_id, "what": what, "by": who, "at": at.isoformat()}
            step.lapsed_for = [*step.lapsed_for, change][-50:]
            if step.lapsed_at is None:
                step.lapsed_at = at
                step.lapsed_reason = (
                    gettext("%(what)s changed by %(who)s") % {"what": what, "who": who}
                )[:300]
            step.save(update_fields=["lapsed_at", "lapsed_reason", "lapsed_for"])
        lowest = min((step.level for step in touched), key=lambda level: level.position)
        current = self.waiting_level()
        if current is None or lowest.position < current.position:
            self._state_change = True
            self.review_level = lowest
            self.review = ReviewState.SUBMITTED
            self.save(update_fields=["review", "review_level", "updated_at"])
        return touched


class StepKind(models.TextChoices):
    """What a review step did (the history's words for it: "submitted", not the state)."""

    SIGNED = "signed", pgettext_lazy("review step", "Signed off")
    SUBMITTED = "submitted", pgettext_lazy("review step", "Submitted for review")
    RETURNED = "returned", pgettext_lazy("review step", "Sent back for changes")
    PUBLISHED = "published", pgettext_lazy("review step", "Published")
    SCHEDULED = "scheduled", pgettext_lazy("review step", "Scheduled")
    WITHDRAWN = "withdrawn", pgettext_lazy("review step", "Withdrawn")


class ReviewStep(models.Model):
    """One step of an issue on its way to readers: who, when, at which level, and
    their note. A sign-off (``SIGNED``) holds until the issue is sent back below
    its level or its text changes after it (``lapsed_at``, and ``lapsed_for``
    lists each change: what, by whom, when)."""

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
    # The level signed, sent back to, or published at; its name as it was then.
    level = models.ForeignKey(
        ReviewLevel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review level"),
    )
    level_name = models.CharField(_("level"), max_length=20, blank=True, default="")
    lapsed_at = models.DateTimeField(_("no longer holds since"), null=True, blank=True)
    lapsed_reason = models.CharField(_("why"), max_length=300, blank=True, default="")
    lapsed_for = models.JSONField(default=list, blank=True)

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
    def reason(cls, kind, note, level=None):
        """The step as the issue's history names it (its change reason)."""
        label = str(cls.Kind(kind).label)
        if level is not None:
            label = f"{label} · {level.name}"
        return f"{label}: {note}"[:100] if note else label

    def holds_for(self, article_id):
        """Whether this sign-off still vouches for the article with that id."""
        if self.lapsed_at is None:
            return True
        if not self.lapsed_for:  # sent back: it holds for nothing
            return False
        return all(change.get("id") != article_id for change in self.lapsed_for)


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
