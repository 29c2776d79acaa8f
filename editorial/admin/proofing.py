"""Proofing on the issue's admin pages (mixed into IssueAdmin): the findings of the
checks with 接受修改 / 忽略, the whole issue checked as a job, and the proofing
rounds (一校 二校 三校 通读) marked on the 目录与字数 page.

The rules are ``articles.proofing_runs``' and the records' own; these views
only ask them.
"""

from concurrency.exceptions import RecordModifiedError
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import proofing, proofing_runs, tasks
from articles.models import Article, ProofFinding, ProofRound
from articles.proofing_records import FindingStatus
from magazine.models import Issue

DECIDE_PERMISSION = "articles.change_prooffinding"
ROUND_PERMISSION = "articles.add_proofround"

RULE_NAMES = {
    "punct.half_width": gettext_lazy("half-width punctuation"),
    "punct.unpaired": gettext_lazy("unpaired mark"),
    "punct.ellipsis": gettext_lazy("ellipsis"),
    "punct.dash": gettext_lazy("dash"),
    "punct.doubled": gettext_lazy("doubled punctuation"),
    "punct.space": gettext_lazy("space beside punctuation"),
    "number.mixed": gettext_lazy("mixed digits"),
    "number.full_width": gettext_lazy("full-width digits"),
    "number.inconsistent": gettext_lazy("figure written two ways"),
    "char.traditional": gettext_lazy("Traditional character"),
    "char.nonstandard": gettext_lazy("not in the 通用规范汉字表"),
    "char.doubled": gettext_lazy("doubled character"),
    "word.wrong": gettext_lazy("wrong word"),
    "consistency.author": gettext_lazy("author written two ways"),
    "consistency.contents": gettext_lazy("contents vs. articles"),
}


def rule_name(rule):
    return str(RULE_NAMES.get(rule, rule))


class ProofingViews:
    def proofing_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/proofing/",
                view(self.proofing_view),
                name="magazine_issue_proofing",
            ),
            path(
                "<int:object_id>/proofing/run/",
                view(self.proofread_view),
                name="magazine_issue_proofread",
            ),
            path(
                "<int:object_id>/rounds/",
                view(self.rounds_view),
                name="magazine_issue_rounds",
            ),
        ]

    def _issue_for(self, request, object_id):
        issue = get_object_or_404(Issue, pk=object_id)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        return issue

    def proofing_view(self, request, object_id):
        """编校检查: the open findings, article by article, each to accept or ignore."""
        issue = self._issue_for(request, object_id)
        if request.method == "POST":
            return self._decide(request, issue)
        findings = list(
            ProofFinding.objects.of_issue(issue)
            .open()
            .select_related("article")
            .order_by("article__reading_index", "article_id", "paragraph", "position")[:500]
        )
        for finding in findings:
            finding.rule_name = rule_name(finding.rule)
            finding.context = _context(finding)
        decided = (
            ProofFinding.objects.of_issue(issue)
            .exclude(status=FindingStatus.OPEN)
            .select_related("article", "decided_by")
            .order_by("-decided_at")[:50]
        )
        for finding in decided:
            finding.rule_name = rule_name(finding.rule)
        return TemplateResponse(
            request,
            "admin/magazine/issue/proofing.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Proofing of %(issue)s") % {"issue": issue},
                "opts": self.model._meta,
                "original": issue,
                "issue": issue,
                "findings": findings,
                "decided": decided,
                "rate": proofing_runs.IssueRate.of(issue),
                "can_decide": request.user.has_perm(DECIDE_PERMISSION),
                "rules": proofing.RULES,
            },
        )

    def _decide(self, request, issue):
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        decision = request.POST.get("decision")
        finding = ProofFinding.objects.filter(
            pk=request.POST.get("finding") or 0, issue=issue
        ).first()
        if finding is None or decision not in ("accept", "ignore"):
            self.message_user(request, _("No such finding in this issue."), messages.ERROR)
        else:
            try:
                if decision == "accept":
                    proofing_runs.accept(finding, request.user)
                    done = _("Accepted: “%(found)s” → “%(suggestion)s”.")
                else:
                    proofing_runs.ignore(finding, request.user)
                    done = _("Ignored: “%(found)s” in this article.")
            except proofing_runs.FindingRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            except RecordModifiedError:  # the article was saved meanwhile
                self.message_user(
                    request,
                    _("The article was changed meanwhile: check the issue again."),
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    done % {"found": finding.found, "suggestion": finding.suggestion},
                )
        return HttpResponseRedirect(reverse("admin:magazine_issue_proofing", args=[issue.pk]))

    def proofread_view(self, request, object_id):
        """The whole issue checked again, as a job (its page shows the progress)."""
        issue = self._issue_for(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:magazine_issue_proofing", args=[issue.pk]))
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        job = tasks.submit_proofread(issue, request.user)
        self.message_user(request, _("Queued: %(title)s") % {"title": job.display_title})
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))

    def rounds_view(self, request, object_id):
        """A proofing round marked done, by this user now, on the articles ticked."""
        issue = self._issue_for(request, object_id)
        back = HttpResponseRedirect(reverse("admin:magazine_issue_contents", args=[issue.pk]))
        if request.method != "POST":
            return back
        if not request.user.has_perm(ROUND_PERMISSION):
            raise PermissionDenied
        kind = request.POST.get("round")
        if kind not in ProofRound.Kind.values:
            self.message_user(request, _("Choose a proofing round."), messages.ERROR)
            return back
        ids = [value for value in request.POST.getlist("article") if value.isdecimal()]
        articles = list(Article.objects.filter(issue=issue, pk__in=ids))
        if not articles:
            self.message_user(request, _("Tick the articles proofed."), messages.ERROR)
            return back
        ProofRound.sign(articles, kind, request.user)
        self.message_user(
            request,
            ngettext(
                "%(round)s marked done on %(count)s article.",
                "%(round)s marked done on %(count)s articles.",
                len(articles),
            )
            % {"round": ProofRound.Kind(kind).label, "count": len(articles)},
        )
        return back


def rounds_matrix(issue):
    """``{article_id: {round: ProofRound}}`` and, per round, how many articles lack
    it; the open findings per article. Three queries however many articles."""
    cells = {}
    for row in ProofRound.objects.filter(article__issue=issue).select_related("user"):
        cells.setdefault(row.article_id, {})[row.round] = row
    total = issue.articles.count()
    missing = {
        kind: total - sum(1 for rounds in cells.values() if kind in rounds)
        for kind in ProofRound.Kind.values
    }
    open_findings = dict(
        ProofFinding.objects.of_issue(issue)
        .filter(article__isnull=False)
        .values_list("article_id")
        .annotate(n=Count("pk", filter=Q(status=FindingStatus.OPEN)))
        .values_list("article_id", "n")
    )
    return cells, missing, open_findings


def _context(finding):
    """A few characters either side of what was found, for the list."""
    article = finding.article
    if article is None:
        return finding.found
    field, line = proofing_runs.where(finding.paragraph)
    text = getattr(article, field) or ""
    lines = text.split("\n") if field == "body" else [text]
    if line >= len(lines):
        return finding.found
    paragraph = lines[line]
    at = finding.position
    return (
        paragraph[max(0, at - 12) : at],
        paragraph[at : at + len(finding.found)],
        paragraph[at + len(finding.found) : at + len(finding.found) + 12],
    )
