"""What the editorial admin's pages share: image previews, history, the state filter."""

import re

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from magazine.models import IssueState

# Column headings of django-simple-history's history page that its own
# catalogue does not translate into Chinese.
HISTORY_HEADINGS = [gettext_noop("Changes"), gettext_noop("Change reason")]

# Strings of Django's admin templates its Chinese catalogue lacks (Django 5.2):
# the app list's headings, read aloud by screen readers, and the login page's.
DJANGO_ADMIN_GAPS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]


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


class PlaceholderAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select with a first option "—" of empty value: valid HTML
    whether the field is required or not (Django's gives a required one no such
    option, and an optional one an option with no text)."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = "—"
        else:
            options.insert(0, self.create_option(name, "", "—", False, 0))
        return groups


class AutocompleteAdmin(admin.ModelAdmin):
    """Its ``autocomplete_fields`` use ``PlaceholderAutocompleteSelect``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PlaceholderAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records made by the work they record (jobs, corrections): never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryValues(HistoricalRecordContextHelper):
    """A change's old and new values as editors read them: "（空）" for nothing, a
    deleted page by its number, a choice by its label (not None, pk=None, "draft")."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject):
            if value.pk is None:
                return gettext("(empty)")
            return gettext("deleted %(kind)s (no. %(pk)s)") % {
                "kind": value.model._meta.verbose_name,
                "pk": value.pk,
            }
        if value is None or value == "":
            return gettext("(empty)")
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        field = self.model._meta.get_field(change.field)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value


class HistoryAdmin(SimpleHistoryAdmin):
    """Revision history with the old and new text of each change side by side."""

    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryValues(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        kept = obj.keep_files_that_are_gone() if hasattr(obj, "keep_files_that_are_gone") else []
        super().save_model(request, obj, form, change)
        for name in kept:
            field = obj._meta.get_field(name)
            self.message_user(
                request,
                _("The old %(field)s was deleted when it was replaced; the current one is kept.")
                % {"field": field.verbose_name},
                messages.WARNING,
            )


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


class DeskWordingAdmin(admin.ModelAdmin):
    """The admin's own words where Django's read badly in Chinese, and messages in the
    order things happened.

    * Titles: 新建一期 (not 增加 期), 选择要修改的期 (not 选择 期 来修改), from
      ``add_title`` and the model's name.
    * The list's save: 已修改 3 篇文章 (``changed_message``), not 总共 3 个 文章 变更成功.
    * What a save did besides the object itself (pages added, articles placed) is
      said after the save's own message: ``later_message``.
    """

    add_title = None  # e.g. _("New issue")
    # ngettext_lazy("%(count)d issue changed.", "%(count)d issues changed.", "count")
    changed_message = None

    def add_view(self, request, form_url="", extra_context=None):
        if self.add_title:
            extra_context = {"title": self.add_title, **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        title = _("Select the %(name)s to change") % {"name": self.opts.verbose_name}
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        message = self._as_our_words(str(message))
        return super().message_user(request, message, level, *args, **kwargs)

    def _as_our_words(self, message):
        if self.changed_message is None:
            return message
        for number in re.findall(r"\d+", message):
            count = int(number)
            django_says = ngettext(
                "%(count)s %(name)s was changed successfully.",
                "%(count)s %(name)s were changed successfully.",
                count,
            ) % {"count": count, "name": model_ngettext(self.opts, count)}
            if message == django_says:
                return self.changed_message % {"count": count}
        return message

    def later_message(self, request, message, level=messages.SUCCESS):
        """A message said after the save's own (``response_add``/``response_change``)."""
        request.__dict__.setdefault("_later_messages", []).append((message, level))

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._say_later(request)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._say_later(request)
        return response

    def _say_later(self, request):
        for message, level in request.__dict__.pop("_later_messages", []):
            self.message_user(request, message, level)
