"""What proofing leaves behind: rounds signed, findings kept and decided, the
office's own wrong words (三校一读 and 编校检查).

The checks themselves are ``articles.proofing`` (pure); ``articles.proofing_runs``
runs them over articles and keeps their findings here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra import validators


class ProofRoundKind(models.TextChoices):
    FIRST = "1", _("1st proof")  # 一校
    SECOND = "2", _("2nd proof")  # 二校
    THIRD = "3", _("3rd proof")  # 三校
    READ = "read", _("Read-through")  # 通读


class ProofRound(models.Model):
    """One proofing round of an article: who proofed it, when (the latest time)."""

    Kind = ProofRoundKind

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="proof_rounds",
        verbose_name=_("article"),
    )
    round = models.CharField(_("round"), max_length=10, choices=ProofRoundKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proofed by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("proofing round")
        verbose_name_plural = _("proofing rounds")
        ordering = ["article", "round"]
        constraints = [
            models.UniqueConstraint(fields=["article", "round"], name="proofround_once"),
            models.CheckConstraint(
                condition=models.Q(round__in=ProofRoundKind.values), name="proofround_known"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} · {self.get_round_display()}"

    @classmethod
    def sign(cls, articles, kind, user):
        """Mark ``kind`` done on ``articles`` by ``user`` now (again, where it was): one
        statement however many articles are ticked."""
        now = timezone.now()
        cls.objects.bulk_create(
            [cls(article=article, round=kind, user=user, at=now) for article in articles],
            update_conflicts=True,
            unique_fields=["article", "round"],
            update_fields=["user", "at"],
        )


class FindingStatus(models.TextChoices):
    OPEN = "open", _("To decide")
    ACCEPTED = "accepted", _("Accepted")  # 接受修改: an error, corrected
    IGNORED = "ignored", _("Ignored")  # 忽略: not an error here


class ProofFindingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FindingStatus.OPEN)

    def accepted(self):
        return self.filter(status=FindingStatus.ACCEPTED)

    def of_issue(self, issue):
        return self.filter(issue=issue)


class ProofCheck(models.Model):
    """When an article was last checked, and the characters its rate counts."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="proof_check"
    )
    characters = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proofing check")
        verbose_name_plural = _("proofing checks")

    def __str__(self):
        return f"{self.article_id} · {self.checked_at:%Y-%m-%d %H:%M}"


class ProofFinding(models.Model):
    """A finding of the checks, kept until an editor decides it: on an article, or on
    the issue as a whole (its contents page) where no article is named."""

    Status = FindingStatus

    issue = models.ForeignKey(
        "magazine.Issue",
        on_delete=models.CASCADE,
        related_name="proof_findings",
        verbose_name=_("issue"),
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proof_findings",
        verbose_name=_("article"),
    )
    paragraph = models.PositiveIntegerField(_("paragraph"))
    position = models.PositiveIntegerField(_("position"))
    rule = models.CharField(_("rule"), max_length=40)
    found = models.CharField(_("found"), max_length=200)
    suggestion = models.CharField(_("suggestion"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ProofFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("proofing finding")
        verbose_name_plural = _("proofing findings")
        ordering = ["issue", "article", "paragraph", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FindingStatus.values), name="prooffinding_known"
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.found} → {self.suggestion}"


class IgnoredFinding(models.Model):
    """忽略, remembered: a rule's finding of this text in this article is not raised
    again by later checks."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    rule = models.CharField(_("rule"), max_length=40)
    found = models.CharField(_("found"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ignored finding")
        verbose_name_plural = _("ignored findings")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "rule", "found"], name="ignoredfinding_once"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} · {self.rule} · {self.found}"


class WrongWord(models.Model):
    """A misprint the office adds to the project's list (``proofing_data/wrong_words.tsv``)."""

    wrong = models.CharField(
        _("wrong word"),
        max_length=30,
        unique=True,
        validators=[validators.single_line],
        help_text=_("As it is misprinted, e.g. 再接再励."),
    )
    right = models.CharField(
        _("right word"),
        max_length=30,
        validators=[validators.single_line],
        help_text=_("As it should be written, e.g. 再接再厉."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("wrong word")
        verbose_name_plural = _("wrong words")
        ordering = ["wrong"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(wrong=models.F("right")), name="wrongword_differs"
            ),
            models.CheckConstraint(condition=~models.Q(wrong=""), name="wrongword_not_empty"),
        ]

    def __str__(self):
        return f"{self.wrong} → {self.right}"

    @classmethod
    def pairs(cls):
        return list(cls.objects.values_list("wrong", "right"))
