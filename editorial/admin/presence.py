"""Who else has a change form open (林晓 正在编辑此文章，2 分钟前打开): named at the top
of the form and in the list. Opening the form and a heartbeat from its page every
~30 s (admin/presence.js) keep the editor present; leaving the page, or three
missed heartbeats, and they are gone. No lock is taken: the version rule
(``editorial.admin.concurrency``) is the guarantee, this is the courtesy."""

from contextvars import ContextVar

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from editorial.models import Presence

_listed = ContextVar("present_in_list", default=None)


def ago(moment, now=None):
    minutes = int(((now or timezone.now()) - moment).total_seconds() // 60)
    if minutes < 1:
        return _("just now")
    return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}


def sentence(presences, obj):
    """林晓 正在编辑此文章，2 分钟前打开; one clause an editor."""
    return "；".join(
        _("%(name)s is editing this %(what)s, opened %(ago)s")
        % {
            "name": presence.user.get_full_name() or presence.user.get_username(),
            "what": obj._meta.verbose_name,
            "ago": ago(presence.opened_at),
        }
        for presence in presences
    )


class PresenceAdmin(admin.ModelAdmin):
    """Change forms that name who else has them open, and a list column saying so."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(require_POST(self.presence_view)),
                name=f"{opts.app_label}_{opts.model_name}_presence",
            ),
            *super().get_urls(),
        ]

    def presence_view(self, request, object_id):
        """The form's heartbeat (or its leaving): who else is here, as JSON."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.POST.get("leaving"):
            Presence.leave(request.user, obj)
            return JsonResponse({"others": ""})
        Presence.arrive(request.user, obj)
        return JsonResponse({"others": sentence(Presence.others_on(request.user, obj), obj)})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if request.method == "GET":
            obj = get_object_or_404(self.get_queryset(request), pk=object_id)
            if self.has_change_permission(request, obj):
                Presence.arrive(request.user, obj)
                opts = self.model._meta
                extra_context["presence"] = {
                    "others": sentence(Presence.others_on(request.user, obj), obj),
                    "url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_presence", args=[obj.pk]
                    ),
                }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        here = Presence.objects.of_model(self.model).here().select_related("user")
        present = {}
        for presence in here:
            present.setdefault(presence.object_id, []).append(presence)
        token = _listed.set((request.user.pk, present))
        try:
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()  # the column reads who is here while rendering
            return response
        finally:
            _listed.reset(token)

    @admin.display(description=gettext_lazy("editing now"))
    def editing_now(self, obj):
        listed = _listed.get()
        if listed is None:
            return ""
        user_id, present = listed
        names = [
            p.user.get_full_name() or p.user.get_username()
            for p in present.get(obj.pk, [])
            if p.user_id != user_id
        ]
        return "、".join(names)
