"""A batch of article files uploaded from the admin: checked, kept until its import ends.

Editors upload several ``.txt`` files or one ``.zip`` whose folders are named
after page codes (as ``import_text`` reads a folder). ``stage()`` checks the
whole upload before it keeps anything, and refuses it, with one line saying
why, when it is not a batch of text files: a zip bomb (a member or the
whole more than ``MAX_RATIO`` times its packed size, or more than
``MAX_UNPACKED_BYTES`` unpacked), a path leaving the zip's root, a symlink,
more than ``MAX_FILES`` files, a damaged zip. Members that are not ``.txt``
are reported and skipped, as ``import_text`` skips them in a folder.

The files are kept in the ``jobs`` storage (``STORAGES["jobs"]``: a folder of
the server's, or private object storage), which no URL serves, under a
random folder of their own, until the import ends (``discard()``). Workers
read them from there, wherever they run.
"""

import stat
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _

from articles.textformat import MAX_BYTES
from jobs import registry
from jobs.models import JobKind, JobState

# Who may import from the admin: those who may add articles (editors, chief editors).
IMPORT_PERMISSION = "articles.add_article"

MAX_FILES = 5000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100  # text compresses some 3-5 times; a bomb, thousands
FOLDER = "uploads"


class BatchRefused(Exception):
    """The upload is not a batch of article files; the message says why, in one line."""


@dataclass
class Staged:
    token: str
    names: list  # the kept files, by their path in the batch ("10/a.txt"), in order
    skipped: list = field(default_factory=list)  # (name, reason) of members left out


def start_check(issue, uploads, user, page="", update=False):
    """Keep an upload and queue its dry run (a job): the first step of an admin import.

    Raises ``BatchRefused`` (nothing kept) for an upload that is not a batch.
    """
    staged = stage(uploads)
    options = {
        "issue": issue.key,
        "issue_name": str(issue),
        "count": len(staged.names),
        "batch": staged.token,
        "page": page or "",
        "update": bool(update),
        "skipped": staged.skipped,
    }
    title = _("Check the import of %(count)s files into %(issue_name)s") % options
    try:
        with transaction.atomic():
            return registry.submit(JobKind.IMPORT_CHECK, title, IMPORT_PERMISSION, user, options)
    except BaseException:
        discard(staged.token)
        raise


def may_confirm(user, job):
    """Whether ``user`` may import what ``job`` checked: a finished dry run not yet
    confirmed, of an import this user may start."""
    return (
        job.kind == JobKind.IMPORT_CHECK
        and job.state == JobState.DONE
        and not job.options.get("confirmed_as")
        and user.has_perm(IMPORT_PERMISSION)
    )


def confirm(check, user):
    """Queue the import a dry run checked, as ``user``: the same files and options."""
    with transaction.atomic():
        check = type(check).objects.select_for_update().get(pk=check.pk)
        if not may_confirm(user, check):
            raise BatchRefused(_("This import was confirmed already, or cannot be."))
        title = _("Import %(count)s files into %(issue_name)s") % check.options
        job = registry.submit(JobKind.IMPORT, title, IMPORT_PERMISSION, user, check.options)
        check.options = {**check.options, "confirmed_as": job.pk}
        check.save(update_fields=["options"])
    return job


def storage():
    return storages["jobs"]


def stage(uploads):
    """Check ``uploads`` (Django's UploadedFiles) and keep their text files; ``Staged``."""
    uploads = list(uploads)
    if not uploads:
        raise BatchRefused("choose the .txt files, or one .zip, to import")
    zips = [u for u in uploads if u.name.lower().endswith(".zip")]
    if zips and len(uploads) > 1:
        raise BatchRefused("upload one .zip, or .txt files, not both together")
    if zips:
        members, skipped = _zip_members(zips[0])
    else:
        members, skipped = _text_uploads(uploads)
    if not members:
        raise BatchRefused("there is no .txt file in the upload")
    token = uuid.uuid4().hex
    store = storage()
    try:
        for name, read in members:
            store.save(f"{FOLDER}/{token}/{name}", ContentFile(read()))
    except BaseException:
        discard(token)
        raise
    return Staged(token, [name for name, _ in members], skipped)


def _text_uploads(uploads):
    members, skipped, seen = [], [], set()
    if len(uploads) > MAX_FILES:
        raise BatchRefused(f"{len(uploads):,} files; a batch has at most {MAX_FILES:,}")
    for upload in uploads:
        name = _safe_name(PurePosixPath(upload.name.replace("\\", "/")).name)
        if not name.lower().endswith(".txt"):
            skipped.append((name, "not a .txt file"))
            continue
        while name in seen:
            name = f"_{name}"
        seen.add(name)
        members.append((name, upload.read))
    return members, skipped


def _zip_members(upload):
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise BatchRefused(f"the .zip cannot be read ({error})") from None
    files = [info for info in infos if not info.is_dir()]
    if len(files) > MAX_FILES:
        raise BatchRefused(
            f"the .zip holds {len(files):,} files; a batch has at most {MAX_FILES:,}"
        )
    total = 0
    members, skipped = [], []
    for info in files:
        name = _member_name(info)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BatchRefused(f"the .zip holds a symlink ({name}); links are not imported")
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
            raise BatchRefused(f"a path in the .zip leaves its folder: {name}")
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > MAX_RATIO * packed and info.file_size > 1024 * 1024:
            raise BatchRefused(
                f"{name} unpacks to {info.file_size:,} bytes from {info.compress_size:,}: "
                "the .zip looks like a zip bomb and was refused"
            )
        if total > MAX_UNPACKED_BYTES:
            raise BatchRefused(
                f"the .zip unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB; "
                "split the batch"
            )
        if not path.name.lower().endswith(".txt"):
            skipped.append((name, "not a .txt file"))
            continue
        members.append((_safe_path(path), _reader(archive, info)))
    return sorted(members, key=lambda member: member[0]), skipped


def _reader(archive, info):
    def read():
        # At most what the member declared (and the import's own limit): a
        # member lying about its size is cut, never read without end.
        with archive.open(info) as member:
            return member.read(min(info.file_size, MAX_BYTES + 1))

    return read


def _member_name(info):
    """A member's name as its creator wrote it: zips from Windows carry GBK names
    without saying so (Python reads them as cp437)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_name(name):
    cleaned = "".join(c if c.isprintable() and c not in '\\:*?"<>|' else "_" for c in name)
    return cleaned.strip(" .") or "file.txt"


def _safe_path(path):
    return "/".join(_safe_name(part) for part in path.parts)


def names(token):
    """The kept files of a staged batch, by their path in the batch, in order."""
    store, found = storage(), []

    def walk(prefix):
        folders, files = store.listdir(prefix)
        found.extend(f"{prefix}/{name}" for name in files)
        for folder in folders:
            walk(f"{prefix}/{folder}")

    root = f"{FOLDER}/{token}"
    if store.exists(root):
        walk(root)
    return sorted(name.removeprefix(f"{root}/") for name in found)


def read(token, name):
    with storage().open(f"{FOLDER}/{token}/{name}", "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def discard(token):
    """Delete a batch's kept files (at the end of its import)."""
    store = storage()
    for name in names(token):
        store.delete(f"{FOLDER}/{token}/{name}")
    root = f"{FOLDER}/{token}"
    if hasattr(store, "path"):  # a local folder: its now empty folders too
        import shutil

        shutil.rmtree(store.path(root), ignore_errors=True)
