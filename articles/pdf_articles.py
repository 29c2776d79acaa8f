"""An issue's articles drafted from its print PDF alone (``articles.drafting``), for a
month without text files.

* ``check_pdf`` is the dry run (a job, ``PDF_CHECK``): the uploaded PDF's pages
  read (their text layer, or Tesseract's reading of a scanned page), the
  articles drafted and listed, one line each (title, byline, first words, the
  pages), and nothing written; the PDF is kept for the job that confirms it
  (``sections.tasks.confirm``).
* ``write()`` makes them, when the print PDF's job was asked to (its pages read,
  ``pages_read`` with ``articles``): each draft becomes a file in the import
  format and goes through the text import (``articles.importing``), so it
  meets the same rules (normalised text, search index, bylines parsed into
  authors, an existing title replaced only with ``update``), placed on the
  page that prints its title. Drafts read by OCR are marked ``from_ocr``.

Only the pages of the issue that have no article yet are drafted from: a month
may mix text files and pages printed only in the PDF.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from articles import drafting, proofing_runs, reading_order, said
from articles.importing import IMPORTED, REFUSED, SKIPPED, UPDATED, Importer
from articles.models import Article
from articles.textformat import format_article
from jobs.running import JobFailed, running
from magazine.models import Issue, parse_issue_key
from sections import page_reading, pdfs
from sections import tasks as print_tasks
from sections.models import Section


def names_of(issue):
    """What the pages print that is no title: the magazine's and the pages' names."""
    return [settings.MAGAZINE_NAME, *issue.sections.values_list("name", flat=True)]


def pages_with_articles(issue):
    return set(
        Article.objects.filter(issue=issue, section__isnull=False).values_list(
            "section__code", flat=True
        )
    )


def draft(issue, pages, update=False):
    """``(drafts, reports, busy)`` for ``pages`` (``[(code, blocks, how)]``): the
    drafts whose title is on a page without articles (and, with ``update``, those
    whose title the issue has, to replace them), what each page gave, and the pages
    left alone for having articles."""
    drafts, reports = drafting.draft(pages, names_of(issue))
    busy = pages_with_articles(issue)
    titles = set(issue.articles.values_list("title", flat=True)) if update else set()
    kept = [d for d in drafts if d.page not in busy or d.title in titles]
    return kept, reports, busy - {d.page for d in kept}


def as_file(one):
    """A draft in the text import's format."""
    return format_article(
        title=one.title,
        kicker="\n".join(one.kicker),
        subtitle="\n".join(one.subtitle),
        byline=one.byline,
        paragraphs=one.paragraphs,
    ).encode("utf-8")


def write(issue, pages, update=False, user=None, progress=None):
    """Make the articles ``pages`` (``[(section, blocks, how)]``) print; how many."""
    read = [(section.code, blocks, how) for section, blocks, how in pages]
    drafts, reports, busy = draft(issue, read, update)
    _say_pages(progress, reports, busy)
    importer = Importer(year=issue.year, number=issue.number, update=update, user=user)
    made, from_ocr = 0, []
    with proofing_runs.deferred(), reading_order.deferred():
        for number, one in enumerate(drafts, start=1):
            result = importer.import_data(Path(one.page) / f"{number:03}.txt", as_file(one))
            if result.status in (IMPORTED, UPDATED):
                made += 1
                if one.ocr:
                    from_ocr.append(result.article.pk)
            _say_draft(progress, one, result.status, result.message)
    if from_ocr:
        Article.objects.filter(pk__in=from_ocr).update(from_ocr=True)
    return made


def _say_draft(progress, one, status, message=""):
    if progress is None:
        return
    params = {
        "status": status,
        "title": one.title,
        "byline": one.byline,
        "words": one.first_words(),
        "pages": one.pages,
        "ocr": one.ocr,
        "message": message if status == REFUSED else "",
    }
    with translation.override("en"):
        text = said.draft_line(params)
    progress.line(status, text, code="draft.article", params=params, advance=False)


def _say_pages(progress, reports, busy):
    """One line for the pages left alone (they have articles), one for each reason
    pages were not read."""
    if progress is None:
        return
    groups = {}
    for report in reports:
        if report.how not in ("text", "ocr"):
            groups.setdefault(f"areas.{report.how}", []).append(report.code)
        elif report.code in busy:
            groups.setdefault("draft.busy", []).append(report.code)
    for code, codes in groups.items():
        params = {"codes": codes}
        with translation.override("en"):
            busy_line = code == "draft.busy"
            text = said.draft_busy(params) if busy_line else said.areas_line(code, params)
        progress.line("found", text, code=code, params=params, advance=False)


@task(takes_context=True)
def check_pdf(context, job_id):
    """The dry run of drafting articles from a print PDF: every article listed,
    nothing written."""
    with running(job_id, context) as progress:
        if progress is not None:
            with tempfile.TemporaryDirectory(prefix="pdf-check-") as folder:
                _check(progress, folder)


def _check(progress, folder):
    job = progress.job
    options = job.options
    year, number = parse_issue_key(options["issue"])
    issue = Issue.objects.filter(year=year, number=number).first()
    if issue is None:
        raise JobFailed(_("Issue %(issue)s no longer exists.") % {"issue": options["issue"]})
    path = print_tasks.local_path(storages["jobs"], options["file"], folder)
    try:
        info = pdfs.inspect(path)
    except pdfs.PdfRefused as refusal:
        storages["jobs"].delete(options["file"])
        raise JobFailed(str(refusal)) from None
    # A dry run starts over: an earlier attempt's lines would be listed twice.
    job.lines.all().delete()
    progress.numbers.clear()
    sections = list(Section.objects.filter(issue=issue).order_by("position", "id"))
    if not sections and not options.get("first_page"):
        sections = print_tasks.make_pages(progress, issue, info.pages, dry_run=True)
    try:
        covered = print_tasks.target_pages(sections, info.pages, options.get("first_page") or "")
    except JobFailed:
        storages["jobs"].delete(options["file"])
        raise
    progress.begin(total=len(covered), step=_("Reading the pages"))
    pages = []
    for section, (how, blocks) in zip(
        covered, page_reading.pdf_pages(path, len(covered)), strict=True
    ):
        progress.set_step(_("Page %(code)s") % {"code": section.code})
        pages.append((section.code, blocks, how))
        progress.advance()
    drafts, reports, busy = draft(issue, pages, options.get("update"))
    _say_pages(progress, reports, busy)
    existing = set(issue.articles.values_list("title", flat=True))
    counts = {IMPORTED: 0, UPDATED: 0, SKIPPED: 0}
    for one in drafts:
        if one.title not in existing:
            status = IMPORTED
        else:
            status = UPDATED if options.get("update") else SKIPPED
        counts[status] += 1
        _say_draft(progress, one, status)
    params = {
        "issue": issue.key,
        "pages": len(covered),
        "drafted": len(drafts),
        "new": counts[IMPORTED],
        "updated": counts[UPDATED],
        "skipped": counts[SKIPPED],
    }
    job.summary_message = {"code": "draft.summary", "params": params}
    with translation.override("en"):
        job.summary = said.draft_summary(params)
