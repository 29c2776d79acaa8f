"""更正记录: the chief editor's list of changes editors made to published issues."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from editorial.admin.common import ReadOnlyAdmin
from magazine.models import Correction
from magazine.roles import PUBLISH_PERMISSION


class SeenFilter(admin.SimpleListFilter):
    title = _("seen")
    parameter_name = "seen"

    def lookups(self, request, model_admin):
        return [("no", _("Not seen yet")), ("yes", _("Seen"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unseen()
        if self.value() == "yes":
            return queryset.filter(seen_at__isnull=False)
        return queryset


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Made by the change each records (editorial.corrections); the chief editor marks them seen."""

    list_display = ["at", "issue", "change_label", "what_changed", "user", "seen"]
    list_filter = [SeenFilter, "issue"]
    list_select_related = ["issue", "user", "content_type", "seen_by"]
    actions = ["mark_seen"]

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.display(description=_("change"), ordering="change")
    def change_label(self, obj):
        return obj.get_change_display()

    @admin.display(description=_("what"))
    def what_changed(self, obj):
        # Its history shows the old and new text side by side.
        url = reverse(obj.history_url_name(), args=[obj.object_id])
        return format_html('<a href="{}">{}</a>', url, obj.what)

    @admin.display(description=_("seen"))
    def seen(self, obj):
        if obj.seen_at is None:
            return "—"
        return f"{obj.seen_by or '—'} · {timezone.localtime(obj.seen_at):%m-%d %H:%M}"

    @admin.action(description=_("Mark as seen"), permissions=["publish"])
    def mark_seen(self, request, queryset):
        count = queryset.unseen().update(seen_by=request.user, seen_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d correction marked as seen.",
                "%(count)d corrections marked as seen.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
