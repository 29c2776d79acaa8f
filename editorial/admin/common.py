"""What the editorial admin's pages share: image previews, history, the state filter."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from magazine.models import IssueState

# Column headings of django-simple-history's history page that its own
# catalogue does not translate into Chinese.
HISTORY_HEADINGS = [gettext_noop("Changes"), gettext_noop("Change reason")]


def thumbnail(obj, alt=""):
    """The thumbnail rendition of an image-bearing object as an <img>, or a dash."""
    thumb = obj.rendition("thumb") if obj.pk else None
    if thumb is None:
        return "—"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" style="height:48px;width:auto">',
        thumb.url,
        thumb.width,
        thumb.height,
        alt,
    )


def preview(obj, alt=""):
    """On a change form: the thumbnail at its size, linking to the original, or a dash."""
    thumb = obj.rendition("thumb") if obj.pk else None
    if thumb is None:
        return "—"
    return format_html(
        '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a>',
        getattr(obj, obj.image_field_name).url,
        thumb.url,
        thumb.width,
        thumb.height,
        alt,
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records made by the work they record (jobs, corrections): never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """Revision history with the old and new text of each change side by side."""

    object_history_list_template = "admin/history_list.html"


class IssueStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return IssueState.choices

    def queryset(self, request, queryset):
        return filter_by_state(queryset, self.value())


def filter_by_state(queryset, state, prefix=""):
    now = timezone.now()
    if state == IssueState.DRAFT:
        return queryset.filter(**{f"{prefix}published_at__isnull": True})
    if state == IssueState.SCHEDULED:
        return queryset.filter(**{f"{prefix}published_at__gt": now})
    if state == IssueState.PUBLISHED:
        return queryset.filter(**{f"{prefix}published_at__lte": now})
    return queryset
