"""Stored files go when no row names them: replaced, cleared or deleted with their row.

A model with this mixin (an issue's cover and PDF, a page's scan and PDF, an
article's image, and the renditions of each) deletes the files its row named
before a save and names no more, and all of them when the row is deleted
(one by one or with its issue), once the change commits: a rolled-back
change keeps them. Nothing of an old scan stays online under its name.

History keeps old file names, but not the files: a restore that would name a
file that is gone keeps the file the row has now (``keep_files_that_are_gone``,
which the admin's restore calls and says so).
"""

from django.db import models, transaction
from django.db.models.signals import post_delete


def file_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def names_of(instance, values=None):
    """The storage names ``instance`` (or its stored ``values``) names: files and renditions."""
    values = values if values is not None else _values(instance)
    names = set()
    for field in file_fields(type(instance)):
        if values.get(field.attname):
            names.add(str(values[field.attname]))
    renditions_field = getattr(instance, "renditions_field_name", None)
    for data in (values.get(renditions_field) or {}).values() if renditions_field else ():
        if isinstance(data, dict) and data.get("name"):
            names.add(data["name"])
    return names


def _values(instance):
    fields = [field.attname for field in file_fields(type(instance))]
    if getattr(instance, "renditions_field_name", None):
        fields.append(instance.renditions_field_name)
    values = {}
    for name in fields:
        value = getattr(instance, name)
        values[name] = value.name if isinstance(value, models.fields.files.FieldFile) else value
    return values


def delete_on_commit(storage, names):
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name))


class OwnedFilesMixin:
    """For a model with file fields (and perhaps ``RenditionsMixin``): see the module."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        post_delete.connect(
            delete_files_of_deleted_row,
            sender=cls,
            weak=False,
            dispatch_uid=f"owned-files-{cls.__module__}.{cls.__qualname__}",
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Kept as read (reader pages load these by the dozen, and never save them):
        # what the row named is worked out only if it is saved.
        instance._loaded_row = (field_names, values)
        return instance

    def save(self, *args, **kwargs):
        stored = self._stored_files()
        super().save(*args, **kwargs)
        if stored is not None:
            # One storage for all of a model's files (the default one).
            storage = file_fields(type(self))[0].storage
            delete_on_commit(storage, names_of(self, stored) - names_of(self))
        values = _values(self)
        self._loaded_row = (tuple(values), tuple(values.values()))

    def _stored_files(self):
        """What the row names in storage now: as loaded, else read (History's restore
        builds instances that were never loaded); None for a new row."""
        fields = [field.attname for field in file_fields(type(self))]
        if getattr(self, "renditions_field_name", None):
            fields.append(self.renditions_field_name)
        loaded = getattr(self, "_loaded_row", None)
        if loaded is not None:
            row = dict(zip(*loaded, strict=True))
            if set(fields) <= row.keys():
                return {name: row[name] for name in fields}
        if self.pk is None:
            return None
        rows = list(type(self)._default_manager.filter(pk=self.pk).values(*fields))
        return rows[0] if rows else None

    def keep_files_that_are_gone(self):
        """Before a restore's save: a file field naming a file that is gone (deleted when
        it was replaced) keeps the row's current file. Returns those fields' names."""
        stored = self._stored_files() or {}
        kept = []
        for field in file_fields(type(self)):
            file = getattr(self, field.attname)
            current = stored.get(field.attname) or ""
            if file and file._committed and file.name != current:
                if not field.storage.exists(file.name):
                    setattr(self, field.attname, current)
                    kept.append(field.name)
        if kept and getattr(self, "renditions_field_name", None):
            # The renditions go with the file they were made from.
            setattr(self, self.renditions_field_name, stored.get(self.renditions_field_name))
        return kept


def delete_files_of_deleted_row(sender, instance, **kwargs):
    if file_fields(sender):
        delete_on_commit(file_fields(sender)[0].storage, names_of(instance))
