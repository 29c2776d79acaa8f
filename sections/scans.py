"""Page scans in bulk: several images, or a ``.zip`` of them, each named after its
page's code (``01.jpg``, ``0001.png``), given to the issue's pages by a job.

``stage()`` checks the upload whole before it keeps anything (the zip's
members as the text import checks them: no bomb, no path leaving it, no
link) and keeps the images in the ``jobs`` storage, which no URL serves.
The job (``apply_scans``) then gives each file to the page whose code is its
name, one transaction a file: an image that is not a real JPEG, PNG, WebP or
GIF (or too large, or a bomb), or a name that is no page of the issue, is
that file's line with the reason, and the other files go on. A scan replaces
the page's scan; its renditions are made as for a scan uploaded on the page's
own form. Then the scans are read by Tesseract (``page_reading``) and the
articles' areas found on them, as on a print PDF's pages (``pages_read``).
"""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from infra import archives
from infra.images import FORMATS, MAX_IMAGE_BYTES, inspect_image
from jobs import registry
from jobs.models import JobKind
from jobs.running import JobFailed, running
from magazine.models import Issue, parse_issue_key
from sections import page_reading, said
from sections.models import MAX_PAGES_PER_ISSUE, Section

FOLDER = "scans"
SCANS_PERMISSION = "sections.change_section"
SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
MAX_FILES = MAX_PAGES_PER_ISSUE
MAX_UNPACKED_BYTES = MAX_FILES * MAX_IMAGE_BYTES
MAX_RATIO = 50  # images hardly compress; a bomb does


class ScansRefused(Exception):
    """The upload is refused whole; the message says why."""


def is_image_name(name):
    return PurePosixPath(name).suffix.lower() in SUFFIXES


IMAGES = archives.Batch(
    kind="page images",
    nothing="there is no image in the upload",
    wanted=is_image_name,
    skip_reason="not a JPEG, PNG, WebP or GIF file name",
    max_files=MAX_FILES,
    max_unpacked=MAX_UNPACKED_BYTES,
    max_ratio=MAX_RATIO,
    max_member=MAX_IMAGE_BYTES,
)


def stage(uploads):
    """Keep the images of ``uploads`` (UploadedFiles): ``(token, names, skipped)``."""
    try:
        members, skipped = archives.upload_members(uploads, IMAGES)
    except archives.ArchiveRefused as refusal:
        raise ScansRefused(str(refusal)) from None
    members, skipped = _one_a_name(members, skipped)
    token = uuid.uuid4().hex
    store = storages["jobs"]
    try:
        for name, read in members:
            store.save(f"{FOLDER}/{token}/{name}", ContentFile(read()))
    except BaseException:
        discard(token)
        raise
    return token, [name for name, _ in members], skipped


def _one_a_name(members, skipped):
    """The images by file name alone (a zip's folders do not matter), the first of
    two with one name kept and the other listed."""
    kept, seen = [], set()
    for path, read in members:
        name = PurePosixPath(path).name
        if name in seen:
            skipped.append((path, "another file of the upload has this name"))
            continue
        seen.add(name)
        kept.append((name, read))
    return kept, skipped


def submit(issue, uploads, user=None, find_areas=True):
    """Stage the upload and queue the job that gives the scans to their pages (and,
    unless ``find_areas`` is false, reads them for the articles' areas)."""
    token, names, skipped = stage(uploads)
    message = {"code": "scans.title", "params": {"issue": issue.key}}
    with translation.override("en"):
        title = said.scans_title(message["params"])
    options = {
        "issue": issue.key,
        "token": token,
        "names": names,
        "skipped": skipped,
        "find_areas": bool(find_areas),
    }
    try:
        with transaction.atomic():
            return registry.submit(
                JobKind.SCANS, title, SCANS_PERMISSION, user, options, title_message=message
            )
    except BaseException:
        discard(token)
        raise


def discard(token):
    store = storages["jobs"]
    root = f"{FOLDER}/{token}"
    try:
        names = store.listdir(root)[1]  # on object storage a folder is only a prefix
    except FileNotFoundError:
        return
    for name in names:
        store.delete(f"{root}/{name}")
    try:
        store.path(root)
    except NotImplementedError:
        return  # object storage: no folder to remove
    store.delete(root)


@task(takes_context=True)
def apply_scans(context, job_id):
    with running(job_id, context) as progress:
        if progress is not None:
            _apply(progress)


def _apply(progress):
    options = progress.job.options
    year, number = parse_issue_key(options["issue"])
    issue = Issue.objects.filter(year=year, number=number).first()
    if issue is None:
        raise JobFailed(_("Issue %(issue)s no longer exists.") % {"issue": options["issue"]})
    pages = {page.code: page for page in Section.objects.filter(issue=issue)}
    names = options["names"]
    progress.begin(total=len(names) + len(options["skipped"]), step=_("Page scans"))
    number_ = 0
    for name, reason in options["skipped"]:
        number_ += 1
        if not progress.done_before(number_):
            params = {"status": "skipped", "file": name, "reason": reason}
            progress.line(
                "skipped",
                f"skipped: {name}: {reason}",
                number=number_,
                code="scans.file",
                params=params,
            )
    given = 0
    # Scans are read only where there are articles to find (a count, not an import
    # of the app above).
    finding = options.get("find_areas", True) and issue.articles.exists()
    read = []
    for name in names:
        number_ += 1
        if progress.done_before(number_):
            continue
        progress.set_step(name)
        status, text, params = give_scan(pages, name, options["token"], progress.job.created_by)
        given += status == "imported"
        progress.line(
            status, text, number=number_, code="scans.file", params={"status": status, **params}
        )
        if finding and status == "imported":
            page = pages[params["code"]]
            progress.set_step(_("Reading page %(code)s") % {"code": page.code})
            with storages["jobs"].open(f"{FOLDER}/{options['token']}/{name}", "rb") as handle:
                how, blocks = page_reading.scan(handle.read(MAX_IMAGE_BYTES + 1))
            read.append((page, blocks, how))
    progress.flush()
    found = page_reading.tell_read(progress, issue, read)
    discard(options["token"])
    params = {"issue": issue.key, "given": given, "total": len(names), **found}
    progress.job.summary_message = {"code": "scans.summary", "params": params}
    with translation.override("en"):
        progress.job.summary = said.scans_summary(params)


def give_scan(pages, name, token, user):
    """``(status, English line, parameters)`` for one kept image: given to its page,
    or refused with why."""
    code = PurePosixPath(name).stem
    page = pages.get(code)
    if page is None:
        return (
            "refused",
            f"refused: {name}: the issue has no page {code!r}",
            {
                "file": name,
                "code": code,
            },
        )
    with storages["jobs"].open(f"{FOLDER}/{token}/{name}", "rb") as handle:
        data = handle.read(MAX_IMAGE_BYTES + 1)
    upload = ContentFile(data, name=name)
    try:
        image_format, width, height = inspect_image(upload)
    except ValidationError as error:
        reason = " ".join(error.messages)
        return "refused", f"refused: {name}: {reason}", {"file": name, "reason": reason}
    page.scan = ContentFile(data, name=f"{code}.{FORMATS[image_format]}")
    page._history_user = user
    page._change_reason = "page scans"
    with transaction.atomic():
        page.save()  # the old scan and its renditions are deleted once this commits
    params = {"file": name, "code": page.code, "width": width, "height": height}
    return "imported", f"imported: {name}: page {page.code}, {width}×{height} px", params
