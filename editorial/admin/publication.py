"""The issue's way to readers on its admin page: review steps and publication.

Editors submit an issue for review (提交审核); the chief editor sends it back
(退回修改) or publishes, schedules and withdraws it, each after a page that
asks to confirm. Publication goes through ``Issue.publish()`` and
``Issue.withdraw()`` only and is refused on the server without
``magazine.publish_issue``; every step is a ``ReviewStep`` and a line of the
issue's history.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from magazine.models import Issue, IssueState, ReviewRefused, ReviewState
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
        if request.method != "POST":
            return self.confirmation_page(request, issue, operation, schedule)
        note = NoteForm(request.POST)
        note = note.cleaned_data["note"] if note.is_valid() else ""
        if operation == "publish":
            issue.publish(by=request.user, note=note)
            self.message_user(request, _("%(issue)s is published.") % {"issue": issue})
        elif operation == "withdraw":
            issue.withdraw(by=request.user, note=note)
            self.message_user(request, _("%(issue)s is withdrawn.") % {"issue": issue})
        else:
            issue.publish(at=schedule.cleaned_data["publish_at"], by=request.user, note=note)
            self.message_user(
                request,
                _("%(issue)s will be published at %(when)s.")
                % {"issue": issue, "when": local_minute(issue.published_at)},
            )
        return self._back_to(issue)

    def confirmation_page(self, request, issue, operation, schedule):
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
                "submit_label": {
                    "publish": _("Yes, publish now"),
                    "schedule": _("Yes, schedule it"),
                    "withdraw": _("Yes, withdraw it"),
                }[operation],
            },
        )

    def submit_view(self, request, object_id):
        """提交审核: any editor who may change the issue."""
        issue = get_object_or_404(Issue, pk=object_id)
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        return self._review_step(request, issue, issue.submit_for_review, _("submitted"))

    def send_back_view(self, request, object_id):
        """退回修改: the chief editor only."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        issue = get_object_or_404(Issue, pk=object_id)
        return self._review_step(request, issue, issue.send_back, _("sent back"))

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
        can_publish = self.has_publish_permission(request)
        may_change = self.has_change_permission(request, issue)
        return {
            "can_publish": can_publish,
            "operations": OPERATIONS[state] if can_publish else [],
            # The chief editor decides, and has no one to submit to.
            "can_submit": may_change
            and not can_publish
            and state != IssueState.PUBLISHED
            and issue.review != ReviewState.SUBMITTED,
            "can_send_back": can_publish
            and state != IssueState.PUBLISHED
            and issue.review == ReviewState.SUBMITTED,
            "review_steps": issue.review_steps.select_related("user")[:5],
            "review_label": ReviewState(issue.review).label,
            "note_form": NoteForm(),
            "schedule_form": ScheduleForm(
                initial={
                    "publish_at": timezone.localtime(issue.published_at)
                    if state == IssueState.SCHEDULED
                    else timezone.localtime() + datetime.timedelta(days=1)
                }
            ),
        }


def local_minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
