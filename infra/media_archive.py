"""Every media file as one .tar.gz and back, through Django's storage API.

The same code backs up local files (MEDIA_ROOT) and object storage (S3):
``ops/backup.sh`` and ``ops/restore.sh`` call it by ``export_media`` and
``import_media``. Files go through in chunks, one at a time: a store of
many GB never sits in memory. A restored file keeps its exact name, as the
database names it.
"""

import tarfile

from django.core.files import File
from django.core.files.storage import storages


class ArchiveError(Exception):
    pass


def names(store, folder=""):
    """Every file under ``folder`` of ``store``, in order."""
    try:
        folders, files = store.listdir(folder)
    except FileNotFoundError:  # local files, none uploaded yet
        return []
    prefix = f"{folder}/" if folder else ""
    found = [prefix + name for name in sorted(files)]
    for name in sorted(folders):
        found += names(store, prefix + name)
    return found


def write(target, store=None):
    """Write the store's files into the .tar.gz ``target`` (a path); returns how many."""
    store = store or storages["default"]
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in names(store):
            info = tarfile.TarInfo(name)
            info.size = store.size(name)
            with store.open(name, "rb") as handle:
                archive.addfile(info, handle)
            count += 1
    return count


def read(source, store=None):
    """Put the files of the .tar.gz ``source`` into the store, replacing any of the
    same name; returns how many. Refuses the archive whole, before writing, if a
    member is no plain file under a relative name."""
    store = store or storages["default"]
    with tarfile.open(source, "r:gz") as archive:
        members = archive.getmembers()
        for member in members:
            if member.isdir():
                continue
            if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                raise ArchiveError(f"{source}: {member.name!r} is not a media file's name")
        count = 0
        for member in members:
            if not member.isfile():
                continue
            name = member.name.removeprefix("./")
            if store.exists(name):
                store.delete(name)
            saved = store.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise ArchiveError(f"{name}: stored as {saved!r}, not under its own name")
            count += 1
    return count
