"""The issue's way to readers on its admin page: the review chain and publication.

Each level of the chain (初审, 复审, 终审 by default) signs the issue off to the
next (通过) or sends it back, with a note, to an earlier level (退回修改); the
last level publishes, schedules and withdraws it, each after a page that asks
to confirm — twice when the issue's error rate is above the 2/10,000 line (or
not at all, with ``DJANGO_PROOFING_ABOVE_LINE=refuse``). The rules are the
issue's own (``Issue.sign_off``, ``send_back``, ``publish``): a level that is
not the user's, a skipped level and a publication without
``magazine.publish_issue`` are refused on the server, whatever sent the request.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.proofing_runs import IssueRate
from magazine.models import Issue, IssueState, ReviewLevel, ReviewRefused, ReviewState, ReviewStep
from magazine.roles import PUBLISH_PERMISSION


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("In the magazine's time zone (Asia/Shanghai)."),
    )

    def clean_publish_at(self):
        when = self.cleaned_data["publish_at"]
        if when <= timezone.now():
            raise ValidationError(_("Choose a moment in the future, or publish now."))
        return when


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
    )


# What the chief editor can do with an issue in each state: nothing that cannot apply.
OPERATIONS = {
    IssueState.DRAFT: ["publish", "schedule"],
    IssueState.SCHEDULED: ["publish", "schedule", "withdraw"],
    IssueState.PUBLISHED: ["withdraw"],
}

CONFIRMATIONS = {
    "publish": _("Publish %(issue)s now? Readers will see it at once."),
    "schedule": _("Publish %(issue)s at %(when)s? Readers will see it from then on."),
    "withdraw": _(
        "Withdraw %(issue)s? Readers will no longer see it or anything in it, "
        "until it is published again."
    ),
}


class PublicationViews:
    """URLs and views of the review and publication panel (mixed into IssueAdmin)."""

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def publication_urls(self):
        view = self.admin_site.admin_view
        urls = [
            path(
                f"<path:object_id>/{operation}/",
                view(self.publication_view),
                {"operation": operation},
                name=f"magazine_issue_{operation}",
            )
            for operation in ("publish", "schedule", "withdraw")
        ]
        return [
            *urls,
            path("<int:object_id>/sign/", view(self.submit_view), name="magazine_issue_sign"),
            path("<int:object_id>/submit/", view(self.submit_view), name="magazine_issue_submit"),
            path(
                "<int:object_id>/send-back/",
                view(self.send_back_view),
                name="magazine_issue_send_back",
            ),
        ]

    def _back_to(self, issue):
        return HttpResponseRedirect(reverse("admin:magazine_issue_change", args=[issue.pk]))

    def publication_view(self, request, object_id, operation):
        """GET: the page that asks to confirm; POST: publish, schedule or withdraw."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        issue = get_object_or_404(Issue, pk=object_id)
        schedule = ScheduleForm(request.POST or request.GET or None)
        if operation == "schedule" and not schedule.is_valid():
            for error in schedule.errors.get("publish_at", [_("Choose when to publish.")]):
                self.message_user(request, error, messages.ERROR)
            return self._back_to(issue)
        rate = None
        if operation != "withdraw":
            rate = IssueRate.of(issue)
            refusal = publication_refusal(issue, request.user, rate)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return self._back_to(issue)
        if request.method != "POST":
            return self.confirmation_page(request, issue, operation, schedule, rate)
        if rate is not None and not rate.passes and not request.POST.get("above_line"):
            # The second confirmation: the page again, saying why.
            self.message_user(
                request,
                _("Confirm that you publish above the 2/10,000 line: tick the box."),
                messages.ERROR,
            )
            return self.confirmation_page(request, issue, operation, schedule, rate)
        note = NoteForm(request.POST)
        note = note.cleaned_data["note"] if note.is_valid() else ""
        try:
            if operation == "publish":
                issue.publish(by=request.user, note=note)
                done = _("%(issue)s is published.") % {"issue": issue}
            elif operation == "withdraw":
                issue.withdraw(by=request.user, note=note)
                done = _("%(issue)s is withdrawn.") % {"issue": issue}
            else:
                issue.publish(at=schedule.cleaned_data["publish_at"], by=request.user, note=note)
                done = _("%(issue)s will be published at %(when)s.") % {
                    "issue": issue,
                    "when": local_minute(issue.published_at),
                }
        except ReviewRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, done)
        return self._back_to(issue)

    def confirmation_page(self, request, issue, operation, schedule, rate=None):
        when = schedule.cleaned_data["publish_at"] if operation == "schedule" else None
        question = CONFIRMATIONS[operation] % {
            "issue": issue,
            "when": local_minute(when) if when else "",
        }
        return TemplateResponse(
            request,
            "admin/magazine/issue/publication_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": question,
                "opts": self.model._meta,
                "original": issue,
                "issue": issue,
                "operation": operation,
                "question": question,
                "publish_at": schedule["publish_at"].value() if when else None,
                "note_form": NoteForm(),
                "rate": rate,
                "above_line": rate is not None and not rate.passes,
                "submit_label": {
                    "publish": _("Yes, publish now"),
                    "schedule": _("Yes, schedule it"),
                    "withdraw": _("Yes, withdraw it"),
                }[operation],
            },
        )

    def submit_view(self, request, object_id):
        """通过 (提交审核 at the first level): the level the issue waits at, signed off
        by one of its group, to the next level."""
        issue = get_object_or_404(Issue, pk=object_id)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        return self._review_step(request, issue, issue.sign_off, _("signed off"))

    def send_back_view(self, request, object_id):
        """退回修改: to an earlier level, by whoever holds the level it waits at."""
        issue = get_object_or_404(Issue, pk=object_id)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        to = None
        if request.POST.get("to"):
            to = ReviewLevel.objects.filter(pk=request.POST["to"]).first()
            if to is None:
                self.message_user(request, _("No such review level."), messages.ERROR)
                return self._back_to(issue)

        def send_back(by, note):
            issue.send_back(by, note, to=to)

        return self._review_step(request, issue, send_back, _("sent back"))

    def _review_step(self, request, issue, step, done):
        if request.method != "POST":
            return self._back_to(issue)
        form = NoteForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("note", []):
                self.message_user(request, error, messages.ERROR)
            return self._back_to(issue)
        try:
            step(request.user, form.cleaned_data["note"])
        except ReviewRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, _("%(issue)s is %(done)s.") % {"issue": issue, "done": done})
        return self._back_to(issue)

    def publication_context(self, request, issue):
        """What the panel at the top of the issue's page offers this user."""
        if issue is None or issue.pk is None:
            return {}
        state = issue.state()
        user = request.user
        can_publish = self.has_publish_permission(request)
        chain = ReviewLevel.chain()
        waiting = issue.waiting_level(chain)
        held = set(ReviewLevel.objects.held_by(user).values_list("pk", flat=True))
        steps = list(issue.review_steps.select_related("user", "level"))
        missing = issue.levels_to_sign(chain, steps)
        rate = IssueRate.of(issue)
        at_last = bool(chain) and not missing
        mine = waiting is not None and waiting.pk in held and state != IssueState.PUBLISHED
        operations = OPERATIONS[state] if can_publish else []
        if state != IssueState.PUBLISHED and not at_last:
            operations = [op for op in operations if op == "withdraw"]
        return {
            "can_publish": can_publish,
            "operations": operations,
            "chain": chain_rows(chain, steps, waiting, state),
            "waiting_level": waiting if state != IssueState.PUBLISHED else None,
            "can_submit": mine and waiting != chain[-1],
            "next_level": chain[chain.index(waiting) + 1]
            if mine and waiting != chain[-1]
            else None,
            "can_send_back": mine
            and issue.review != ReviewState.EDITING
            and chain.index(waiting) > 0,
            "send_back_levels": chain[: chain.index(waiting)] if mine else [],
            "review_steps": steps[:8],
            "review_label": ReviewState(issue.review).label,
            "rate": rate,
            "note_form": NoteForm(),
            "schedule_form": ScheduleForm(
                initial={
                    "publish_at": timezone.localtime(issue.published_at)
                    if state == IssueState.SCHEDULED
                    else timezone.localtime() + datetime.timedelta(days=1)
                }
            ),
        }


def publication_refusal(issue, user, rate):
    """Why ``user`` may not publish ``issue`` now (one line), or None."""
    try:
        issue.check_may_publish(user)
    except ReviewRefused as refusal:
        return str(refusal)
    if not rate.passes and settings.PROOFING_ABOVE_LINE == "refuse":
        return _(
            "%(issue)s has %(rate)s errors per 10,000 characters, above the %(line)s line: "
            "correct them before publishing."
        ) % {"issue": issue, "rate": rate.rate, "line": rate.line}
    return None


def chain_rows(chain, steps, waiting, state):
    """Each level with its latest sign-off (holding or lapsed, and why) and whether
    the issue waits there."""
    latest = {}
    for step in steps:  # newest first
        if step.kind in (
            ReviewStep.Kind.SIGNED,
            ReviewStep.Kind.PUBLISHED,
            ReviewStep.Kind.SCHEDULED,
        ):
            latest.setdefault(step.level_id, step)
    return [
        {
            "level": level,
            "step": latest.get(level.pk),
            "waiting": state != IssueState.PUBLISHED and waiting is not None and level == waiting,
        }
        for level in chain
    ]


def local_minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
