"""No lost update in the admin: a save from a form opened before someone else's is
refused, and the editor is told who saved meanwhile, when, and what they changed.

The rule is the version of each issue, page and article (``infra.versions``:
django-concurrency's ``AutoIncVersionField``, which makes every ``UPDATE`` check
the version it read). Each form carries the version it was opened at, signed
(django-concurrency's form field), and its ``clean()`` compares it with the
stored one: a form opened at an older version is refused with the changes
between the two read from the history, the editor's input kept as typed, and
the form holding the stored version, so that saving again after merging goes
through. A save that slips between the check and the write is refused by the
database's ``WHERE version = …``, and the form is shown again the same way.

The same holds for every way a form saves: change forms and their rows
(a page's articles in the issue form, an issue's pages), the list's positions,
History's restore (its form holds the version stored when it was opened, not
the old record's) and the actions (each listed row posts the version it was
listed at; an action on a row changed since is refused whole).
"""

import difflib
from functools import partial

from concurrency.exceptions import RecordModifiedError, VersionError
from concurrency.forms import VersionField
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import modelformset_factory
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _

VERSION = "version"
SHOWN_CHARS = 40


class SignedVersionField(VersionField):
    """django-concurrency's signed hidden version, refusing a missing or altered one with
    a message on the form instead of a 400."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = False

    def to_python(self, value):
        if value in self.empty_values:
            return None  # a new row has none; an existing one must (VersionCheckedForm)
        try:
            return super().to_python(value)
        except VersionError:
            raise ValidationError(self.tampered(), code="version_tampered") from None

    @staticmethod
    def tampered():
        return _(
            "This form's version is missing or was altered, so it cannot be saved safely: "
            "open the page again and make your change there."
        )


def stored_version(model, pk):
    return model._default_manager.filter(pk=pk).values_list(VERSION, flat=True).first()


def conflict(model, pk, opened):
    """``(stored version, lines for the editor)`` when the row changed since version
    ``opened``; None when it did not."""
    current = stored_version(model, pk)
    if current is None or current == opened:
        return None
    history = model.history.filter(id=pk).select_related("history_user")
    later = list(history.filter(**{f"{VERSION}__gt": opened}).order_by("history_date"))
    base = history.filter(**{f"{VERSION}__lte": opened}).order_by("-history_date").first()
    return current, [
        _who_and_when(model, later),
        *_changes(model, pk, base, later[-1] if later else None),
        _("Your input is kept below: merge it with theirs, then save again."),
    ]


def _who_and_when(model, later):
    names = []
    for record in later:
        name = str(record.history_user) if record.history_user else _("an import or a command")
        if name not in names:
            names.append(name)
    when = timezone.localtime(later[-1].history_date) if later else timezone.localtime()
    return _("%(who)s saved this %(what)s at %(when)s, after you opened it.") % {
        "who": "、".join(names) or _("someone"),
        "what": model._meta.verbose_name,
        "when": f"{when:%m-%d %H:%M}",
    }


def _changes(model, pk, base, latest):
    """One line a field changed between ``base`` and ``latest`` (historical records)."""
    if base is None or latest is None:
        return [_("What they changed is not in the history.")]
    delta = latest.diff_against(base)
    lines = []
    for change in delta.changes:
        if change.field == VERSION:
            continue
        field = model._meta.get_field(change.field)
        label = str(field.verbose_name)
        if isinstance(field, models.TextField):
            lines += _paragraph_changes(label, change.old or "", change.new or "")
        else:
            lines.append(
                _("%(field)s: “%(old)s” → “%(new)s”")
                % {
                    "field": label,
                    "old": _shown(field, change.old),
                    "new": _shown(field, change.new),
                }
            )
    if not lines:
        lines.append(_("Their change was to what the form lists below (its rows)."))
    return lines


def _paragraph_changes(label, old, new):
    """A text's changes paragraph by paragraph (a body of 40 paragraphs in one line
    would say nothing)."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " / ".join(old_lines[i1:i2]) or "—"
        after = " / ".join(new_lines[j1:j2]) or "—"
        lines.append(
            _("%(field)s, paragraph %(number)s: “%(old)s” → “%(new)s”")
            % {
                "field": label,
                "number": j1 + 1 if tag != "delete" else i1 + 1,
                "old": Truncator(before).chars(SHOWN_CHARS),
                "new": Truncator(after).chars(SHOWN_CHARS),
            }
        )
    return lines[:8]


def _shown(field, value):
    if value in (None, ""):
        return "—"
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return Truncator(str(value)).chars(SHOWN_CHARS)


class VersionCheckedForm:
    """For a ModelForm with the ``version`` field: see the module."""

    row = False  # a row of a formset: checked only when something in it changed
    version_from_store = False  # History's restore: holds the stored version, not the record's

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if VERSION in self.fields:
            field = self.fields[VERSION]
            self.fields[VERSION] = SignedVersionField(widget=field.widget)
            if self.version_from_store and not self.is_bound and self.instance.pk:
                self.initial[VERSION] = stored_version(type(self.instance), self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if VERSION in self._errors:  # an altered version: said above the form, not hidden
            self.add_error(None, list(self._errors.pop(VERSION)))
            return cleaned
        if VERSION not in self.fields or not self.instance.pk:
            return cleaned
        if self.row and not set(self.changed_data) - {VERSION}:
            return cleaned
        opened = cleaned.get(VERSION)
        if opened is None:
            if stored_version(type(self.instance), self.instance.pk) is not None:
                self.add_error(None, SignedVersionField.tampered())
            else:  # History restores a deleted one: nobody else has it
                cleaned[VERSION] = getattr(self.instance, VERSION)
            return cleaned
        found = conflict(type(self.instance), self.instance.pk, opened)
        if found is not None:
            current, lines = found
            self.add_error(None, lines)
            # The form comes back holding the stored version: after merging, saving
            # again goes through (unless someone saves again meanwhile).
            data = self.data.copy()
            data[self.add_prefix(VERSION)] = self.fields[VERSION].prepare_value(current)
            self.data = data
        return cleaned


def checked(form_class, **attributes):
    """``form_class`` with the version check."""
    if issubclass(form_class, VersionCheckedForm):
        return form_class
    return type(form_class.__name__, (VersionCheckedForm, form_class), attributes)


class VersionedAdmin(admin.ModelAdmin):
    """A ModelAdmin of a versioned model: its forms, list, actions and restore."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return checked(form, version_from_store=getattr(request, "_restoring", False))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordModifiedError:
            # Saved by someone else between this form's check and its write: shown
            # again, the check now sees their change.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._restoring = True
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except RecordModifiedError:
            return super().history_form_view(request, object_id, version_id, extra_context)

    # The list: its editable positions, and actions on the versions it listed.

    def get_changelist_formset(self, request, **kwargs):
        # Django's, with the version beside the editable columns (rendered by
        # templates/admin/change_list_results.html) and checked row by row.
        return modelformset_factory(
            self.model,
            checked(self.get_changelist_form(request), row=True),
            extra=0,
            fields=[*self.list_editable, VERSION],
            formfield_callback=partial(self.formfield_for_dbfield, request=request),
            **kwargs,
        )

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except RecordModifiedError:
            return super().changelist_view(request, extra_context)

    def action_checkbox(self, obj):
        return format_html(
            '{}<input type="hidden" name="_version_{}" value="{}">',
            super().action_checkbox(obj),
            obj.pk,
            getattr(obj, VERSION),
        )

    def response_action(self, request, queryset):
        changed = self.changed_since_listed(request)
        if changed:
            self.message_user(request, changed, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def changed_since_listed(self, request):
        """A message naming the selected rows changed since the list showed them, or ""."""
        listed = {}
        for pk in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
            version = request.POST.get(f"_version_{pk}", "")
            if pk.isdigit() and version.isdigit():
                listed[int(pk)] = int(version)
        if not listed:
            return ""
        stored = dict(self.model._default_manager.filter(pk__in=listed).values_list("pk", VERSION))
        changed = [pk for pk, version in listed.items() if stored.get(pk, version) != version]
        if not changed:
            return ""
        names = self.model._default_manager.filter(pk__in=changed)
        return _(
            "Nothing was done: %(names)s changed after this list was shown (someone saved "
            "meanwhile). Look at the list again, then repeat the action."
        ) % {"names": "、".join(f"“{obj}”" for obj in names)}


class VersionedInline:
    """An inline of a versioned model: each changed row checks its version."""

    def get_fieldsets(self, request, obj=None):
        (name, options), *rest = super().get_fieldsets(request, obj)
        return [(name, {**options, "fields": [*options["fields"], VERSION]}), *rest]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = checked(formset.form, row=True)
        return formset
