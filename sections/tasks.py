"""The background jobs of pages: an issue's print PDF cut into pages and drawn.

``split_issue_pdf`` gives PDF page *n* to the issue's *n*-th page in page
order (from ``first_page`` on for a partial PDF): the page's own PDF and its
scan (``RENDER_HEIGHT`` pixels tall, with the web and thumbnail renditions
every scan gets). Each page is written in its own transaction, whole or not
at all, so a job whose worker died is safe to run again (it starts after the
last page it reported); a page that cannot be drawn is that page's line and
the others go on. A re-upload replaces the files of the pages it covers and
nothing else. Then the issue's PDF, the one readers download whole, is made
again from the pages' own PDFs (so JavaScript and embedded files of the
upload never reach a reader: only the pages' printed content is written).
"""

import shutil
import tempfile
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from infra import clean_pdf
from jobs import registry
from jobs.models import JobKind, JobState
from jobs.running import JobFailed, running
from magazine.models import Issue, parse_issue_key
from sections import page_reading, pdfs, said
from sections.models import Section

UPLOADS = "print-pdf"  # beside the text batches' folder, not in it
PDF_PERMISSION = "sections.change_section"
REOPEN_EVERY = 8  # pages


def submit(
    issue,
    uploaded,
    user=None,
    first_page="",
    queue=True,
    find_areas=True,
    articles=False,
    update=False,
    check=False,
):
    """Keep an uploaded print PDF and queue its job (``PdfRefused`` if it is no PDF
    readers may be given). Returns the job and what the checks found (None when the
    file went to object storage: the job checks it); ``queue=False`` leaves the job
    to be run by the caller (``import_pdf``). ``articles``: draft the articles the
    PDF prints (``update``: replacing those of the same title); ``check``: only say
    what would be drafted (a dry run, ``PDF_CHECK``), keeping the PDF for the job
    that ``confirm()`` starts."""
    store = storages["jobs"]
    name = store.save(f"{UPLOADS}/{uuid.uuid4().hex}.pdf", uploaded)
    try:
        path = stored_path(store, name)
        info = pdfs.inspect(path) if path is not None else None
        options = {
            "issue": issue.key,
            "file": name,
            "first_page": first_page or "",
            "find_areas": bool(find_areas) or bool(articles),
            "articles": bool(articles),
            "update": bool(update),
        }
        kind = JobKind.PDF_CHECK if check else JobKind.PRINT_PDF
        job = _start(kind, options, user, queue)
    except BaseException:
        store.delete(name)
        raise
    return job, info


def _start(kind, options, user, queue=True):
    params = {"issue": options["issue"], "articles": options.get("articles", False)}
    if kind == JobKind.PDF_CHECK:
        params["dry_run"] = True
    message = {"code": "pdf.title", "params": params}
    with translation.override("en"):
        title = said.pdf_title(params)
    start = registry.submit if queue else registry.create
    with transaction.atomic():
        return start(kind, title, PDF_PERMISSION, user, options, message)


def may_confirm(user, job):
    """Whether ``user`` may draft for real what the dry run ``job`` listed: it is done,
    not confirmed yet, and they may upload print PDFs."""
    return (
        job.kind == JobKind.PDF_CHECK
        and job.state == JobState.DONE
        and not job.options.get("confirmed_as")
        and user.has_perm(PDF_PERMISSION)
    )


def confirm(check, user):
    """Queue the job a dry run listed (the same PDF and options), as ``user``; raises
    ``AlreadyConfirmed`` when it cannot be (confirmed already, another's click)."""
    with transaction.atomic():
        check = type(check).objects.select_for_update().get(pk=check.pk)
        if not may_confirm(user, check):
            raise AlreadyConfirmed(_("This was confirmed already, or cannot be."))
        job = _start(JobKind.PRINT_PDF, check.options, user)
        check.options = {**check.options, "confirmed_as": job.pk}
        check.save(update_fields=["options"])
    return job


class AlreadyConfirmed(Exception):
    """A dry run confirmed already; the message says so."""


def stored_path(store, name):
    """The stored file's path on this machine, or None (object storage)."""
    try:
        return Path(store.path(name))
    except NotImplementedError:
        return None


def local_path(store, name, folder):
    """A stored file as a path here: its own, or a copy in ``folder`` made in chunks
    (object storage, a worker on another machine)."""
    path = stored_path(store, name)
    if path is None:
        path = Path(folder) / Path(name).name
        with store.open(name, "rb") as source, open(path, "wb") as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
    return path


@task(takes_context=True)
def split_issue_pdf(context, job_id):
    run(job_id, context)


def run(job_id, context=None):
    """The job's body: in a worker, or in ``import_pdf`` on a shell."""
    with running(job_id, context) as progress:
        if progress is not None:
            with tempfile.TemporaryDirectory(prefix="issue-pdf-") as folder:
                _split(progress, folder)


def _split(progress, folder):
    options = progress.job.options
    year, number = parse_issue_key(options["issue"])
    issue = Issue.objects.filter(year=year, number=number).first()
    if issue is None:
        raise JobFailed(_("Issue %(issue)s no longer exists.") % {"issue": options["issue"]})
    path = local_path(storages["jobs"], options["file"], folder)
    try:
        source = pdfs.PageSource(path, reopen_every=REOPEN_EVERY)
    except pdfs.PdfRefused as refusal:
        storages["jobs"].delete(options["file"])
        raise JobFailed(str(refusal)) from None
    with source:
        _cut(progress, issue, path, source)


def _cut(progress, issue, path, source):
    options = progress.job.options
    pages = list(Section.objects.filter(issue=issue).order_by("position", "id"))
    if not pages and not options.get("first_page"):
        pages = make_pages(progress, issue, source.count)
    try:
        covered = target_pages(pages, source.count, options.get("first_page") or "")
    except JobFailed:
        storages["jobs"].delete(options["file"])  # refused: nothing of it is kept
        raise
    progress.begin(total=len(covered), step=_("Cutting and drawing pages"))
    drawn = 0
    # Read the pages only when there are articles to find or draft (their reverse
    # relation: a count, not an import of the app above).
    drafting = options.get("articles", False)
    finding = drafting or (options.get("find_areas", True) and issue.articles.exists())
    read = []
    for index, page in enumerate(covered):
        number_ = index + 1
        if progress.done_before(number_):
            continue
        progress.set_step(_("Page %(code)s") % {"code": page.code})
        try:
            pdf, image, size, reading = source.page(index, read=finding)
        except Exception as error:  # this page only: the others go on
            reason = f"{type(error).__name__}: {error}"
            progress.line(
                "refused",
                f"refused: page {page.code}: cannot be drawn ({reason})",
                number=number_,
                code="pdf.page_refused",
                params={"code": page.code, "error": reason},
            )
            continue
        line = f"imported: page {page.code}: PDF page {index + 1}, {size[0]}×{size[1]} px"
        params = {"code": page.code, "pdf_page": index + 1, "width": size[0], "height": size[1]}
        page._history_user = progress.job.created_by  # the editor who uploaded it
        write_page(progress, page, pdf, image, (line, params), number_)
        drawn += 1
        if reading is not None:
            read.append((page, reading[1], reading[0]))
    found = {}
    if options.get("find_areas", True) and not finding:
        params = {"issue": issue.key}
        with translation.override("en"):
            text = said.no_articles(params)
        progress.line("found", text, code="pdf.no_articles", params=params, advance=False)
    found.update(page_reading.tell_read(progress, issue, read, drafting, options.get("update")))
    progress.set_step(_("The issue's PDF"))
    rebuild_issue_pdf(issue)
    storages["jobs"].delete(options["file"])
    params = {"issue": issue.key, "drawn": drawn, "total": len(covered), "pdf": source.count}
    params.update(found)
    progress.job.summary_message = {"code": "pdf.summary", "params": params}
    with translation.override("en"):
        progress.job.summary = said.pdf_summary(params)


def page_list(count):
    """The pages an issue without any gets from its PDF of ``count`` pages: numbered as
    printed from 01 on, named by number until an editor names them."""
    width = max(2, len(str(count)))
    return [(f"{number:0{width}d}", f"第{number}版") for number in range(1, count + 1)]


def make_pages(progress, issue, count, dry_run=False):
    """The pages ``page_list`` gives ``issue`` (unsaved for a dry run), with the job's
    line that says so."""
    pages = page_list(count)
    if not dry_run:
        Section.objects.merge(issue, pages, user=progress.job.created_by, reason="print PDF")
    params = {"issue": issue.key, "count": count, "first": pages[0][0], "last": pages[-1][0]}
    if dry_run:
        params["dry_run"] = True
    with translation.override("en"):
        text = said.pages_made(params)
    progress.line("imported", text, code="pdf.pages_made", params=params, advance=False)
    if dry_run:
        return [Section(issue=issue, code=code, name=name) for code, name in pages]
    return list(Section.objects.filter(issue=issue).order_by("position", "id"))


def target_pages(pages, pdf_pages, first_page=""):
    """The issue's pages a PDF of ``pdf_pages`` pages covers; ``JobFailed`` when it cannot."""
    if first_page:
        codes = [page.code for page in pages]
        if first_page not in codes:
            raise JobFailed(_("The issue has no page %(code)s.") % {"code": first_page})
        start = codes.index(first_page)
        if start + pdf_pages > len(pages):
            raise JobFailed(
                _(
                    "The PDF has %(pdf)s pages, but from page %(code)s on the issue has "
                    "only %(left)s."
                )
                % {"pdf": pdf_pages, "code": first_page, "left": len(pages) - start}
            )
        return pages[start : start + pdf_pages]
    if pdf_pages != len(pages):
        raise JobFailed(
            _(
                "The PDF has %(pdf)s pages and the issue %(issue)s; upload the whole issue's "
                "PDF, or say which page a partial PDF starts at."
            )
            % {"pdf": pdf_pages, "issue": len(pages)}
        )
    return pages


def write_page(progress, page, pdf, image, line, number):
    """The page's files and its line, committed together: a worker killed after this
    page resumes at the next one, one killed before redoes it. Files stored by an
    attempt that did not commit are deleted again."""
    stored = []
    try:
        with transaction.atomic():
            replace_files(page, pdf, image, stored)
            text, params = line
            progress.line("imported", text, number=number, code="pdf.page", params=params)
            progress.flush()
    except BaseException:
        for name in stored:
            page.scan.storage.delete(name)
        raise


def replace_files(page, pdf, image, stored=None):
    """The page's PDF and scan in place of those it had (deleted once this commits:
    ``OwnedFilesMixin``); the names of the files stored are added to ``stored``."""
    page.pdf = clean_pdf.CleanPdf(pdf, name="page.pdf")  # written by pdfs.page_pdf
    page.scan = ContentFile(image, name="scan.jpg")
    page._change_reason = "print PDF"
    page.save()  # stores both and makes the scan's renditions
    if stored is not None:
        stored.extend(_file_names(page))


def _file_names(page):
    yield from (file.name for file in (page.pdf, page.scan) if file)
    for label, data in (page.scan_renditions or {}).items():
        if label != "original":
            yield data["name"]


def rebuild_issue_pdf(issue):
    """The whole issue's PDF from its pages' own PDFs, in page order (none without any)."""
    with_pdf = list(Section.objects.filter(issue=issue).exclude(pdf="").order_by("position", "id"))
    if not with_pdf:
        return
    with tempfile.TemporaryDirectory(prefix="issue-pdf-join-") as folder:
        paths = [local_path(page.pdf.storage, page.pdf.name, folder) for page in with_pdf]
        joined = Path(folder) / "issue.pdf"
        with open(joined, "wb") as output:
            pdfs.join(paths, output)
        replace_issue_pdf(issue, joined)


def replace_issue_pdf(issue, path):
    old = issue.pdf.name if issue.pdf else ""
    with open(path, "rb") as handle:
        # Joined from the pages' own PDFs, each printed content only.
        issue.pdf.save("issue.pdf", clean_pdf.CleanPdfFile(handle), save=False)
    Issue.objects.filter(pk=issue.pk).update(pdf=issue.pdf.name, pdf_size=issue.pdf_size)
    if old:
        issue.pdf.storage.delete(old)
