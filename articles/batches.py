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

import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from articles.textformat import MAX_BYTES
from infra import archives
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
    title, message = _title(options, dry_run=True)
    try:
        with transaction.atomic():
            return registry.submit(
                JobKind.IMPORT_CHECK, title, IMPORT_PERMISSION, user, options, message
            )
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
        title, message = _title(check.options, dry_run=False)
        job = registry.submit(
            JobKind.IMPORT, title, IMPORT_PERMISSION, user, check.options, message
        )
        check.options = {**check.options, "confirmed_as": job.pk}
        check.save(update_fields=["options"])
    return job


def _title(options, dry_run):
    """The job's title in English, and as a message said in each reader's language."""
    from articles.said import import_title

    params = {"issue": options["issue"], "count": options["count"], "dry_run": dry_run}
    with translation.override("en"):
        return import_title(params), {"code": "import.title", "params": params}


def storage():
    return storages["jobs"]


TEXT_FILES = archives.Batch(
    kind=".txt files",
    nothing="there is no .txt file in the upload",
    wanted=lambda name: name.lower().endswith(".txt"),
    skip_reason="not a .txt file",
    max_files=MAX_FILES,
    max_unpacked=MAX_UNPACKED_BYTES,
    max_ratio=MAX_RATIO,
    max_member=MAX_BYTES,
)


def stage(uploads):
    """Check ``uploads`` (Django's UploadedFiles) and keep their text files; ``Staged``."""
    try:
        members, skipped = archives.upload_members(uploads, TEXT_FILES)
    except archives.ArchiveRefused as refusal:
        raise BatchRefused(str(refusal)) from None
    token = uuid.uuid4().hex
    store = storage()
    try:
        for name, read in members:
            store.save(f"{FOLDER}/{token}/{name}", ContentFile(read()))
    except BaseException:
        discard(token)
        raise
    return Staged(token, [name for name, _ in members], skipped)


def _safe_name(name):
    return archives.safe_name(name, fallback="file.txt")


def names(token):
    """The kept files of a staged batch, by their path in the batch, in order."""
    store, found = storage(), []

    def walk(prefix):
        folders, files = store.listdir(prefix)
        found.extend(f"{prefix}/{name}" for name in files)
        for folder in folders:
            walk(f"{prefix}/{folder}")

    root = f"{FOLDER}/{token}"
    # Not store.exists(root): on object storage a folder is only a prefix,
    # which exists() (one object's name) never finds.
    try:
        walk(root)
    except FileNotFoundError:  # a local folder never made, or gone
        pass
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
    try:
        local = store.path(root)  # a local folder: its now empty folders too
    except NotImplementedError:
        return  # object storage has no folders to leave behind
    import shutil

    shutil.rmtree(local, ignore_errors=True)
