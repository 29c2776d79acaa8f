"""Versions of what editors change (django-concurrency) and their history.

Issues, pages and articles carry an ``AutoIncVersionField``: every save
writes ``version = version + 1`` where the row still has the version the
instance was read with, and a save from an older version raises
``RecordModifiedError`` (the admin turns that into a message and keeps the
editor's input: ``editorial.admin.concurrency``). Their history keeps each
record's version as a plain number, so that what someone changed since a
form was opened can be read from the history.
"""

from contextlib import contextmanager

from concurrency.fields import AutoIncVersionField, VersionField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def version_field():
    return AutoIncVersionField(verbose_name=_("version"), help_text=_("Changes with every save."))


class VersionedHistory(HistoricalRecords):
    """simple-history's records with the version as a plain number: a historical
    record is written once, never checked or counted up itself."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if isinstance(field, VersionField):
                plain = models.BigIntegerField(field.verbose_name, default=0)
                plain.name = name
                fields[name] = plain
        return fields


@contextmanager
def without_version_check(instance):
    """Saves of ``instance`` within neither check nor count up its version."""
    instance._concurrency_disabled = instance._concurrency_disable_increment = True
    try:
        yield instance
    finally:
        instance._concurrency_disabled = instance._concurrency_disable_increment = False


def change_of(history_instance):
    """``(the record before, the names of the fields that changed, in order)`` of a
    change's history record (``None, []`` for an addition or a deletion), read once
    however many receivers of ``post_create_historical_record`` ask."""
    known = getattr(history_instance, "_change_of", None)
    if known is None:
        previous = history_instance.prev_record if history_instance.history_type == "~" else None
        changed = (
            list(history_instance.diff_against(previous).changed_fields)
            if previous is not None
            else []
        )
        known = history_instance._change_of = (previous, changed)
    return known
