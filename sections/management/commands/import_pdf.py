"""Cut an issue's print PDF into its pages' PDFs and scans, here and now.

    python manage.py import_pdf --issue YEAR-NUMBER FILE.pdf [--first-page CODE] [--no-areas]
        [--articles [--dry-run] [--update]]

The same work as an upload on the issue's admin page (a job of the job
list, which this runs at once): PDF page n goes to the issue's n-th page in
page order, or from page CODE on for a partial PDF. The articles' areas are
found in the pages' text (or read from scans by Tesseract) and placed, unless
``--no-areas``; areas an editor drew are kept. ``--articles`` also drafts the
articles the PDF prints on pages that have none yet (for a month without text
files), through the text import's rules (a title the issue has is replaced only
with ``--update``); with ``--dry-run`` it lists them and writes nothing. Prints
one line a page (or article) and a summary; exits 1 when the PDF is refused or
a page could not be drawn.
"""

from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from infra.commands import StaffCommand
from infra.schema import require_migrated
from jobs import registry
from jobs.models import JobState
from sections import pdfs, tasks
from sections.arguments import existing_issue, issue_argument, page_code


class Command(StaffCommand):
    help = "Cut an issue's print PDF into its pages' PDFs and scans (the admin's job, here)."

    def add_arguments(self, parser):
        issue_argument(parser)
        parser.add_argument("file", type=Path, metavar="FILE.pdf")
        parser.add_argument(
            "--first-page", type=page_code, metavar="CODE", help="where a partial PDF starts"
        )
        parser.add_argument(
            "--no-areas",
            dest="find_areas",
            action="store_false",
            help="cut and draw the pages only: do not find the articles' areas",
        )
        parser.add_argument(
            "--articles",
            action="store_true",
            help="draft the articles the PDF prints, on pages without articles",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="with --articles: list the articles it would draft, write nothing",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="with --articles: replace an article whose title the issue has",
        )

    def handle(
        self,
        *args,
        issue,
        file,
        first_page,
        find_areas,
        articles,
        dry_run,
        update,
        verbosity,
        **options,
    ):
        require_migrated()  # a new database: one line, not a traceback
        if (dry_run or update) and not articles:
            raise CommandError(_("--dry-run and --update go with --articles."))
        found = existing_issue(issue)
        try:
            with open(file, "rb") as handle:
                job, info = tasks.submit(
                    found,
                    File(handle, name=file.name),
                    first_page=first_page,
                    queue=False,
                    find_areas=find_areas,
                    articles=articles,
                    update=update,
                    check=dry_run,
                )
        except OSError as error:
            raise CommandError(
                _("%(file)s: cannot read: %(error)s")
                % {"file": file, "error": error.strerror or error}
            ) from None
        except pdfs.PdfRefused as refusal:
            raise CommandError(
                _("%(file)s: refused: %(reason)s") % {"file": file, "reason": refusal}, returncode=1
            ) from None
        if info is not None and info.active_content:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "%(file)s: its scripts, links, bookmarks, forms and embedded files are "
                        "left out: readers get the printed pages only"
                    )
                    % {"file": file}
                )
            )
        if dry_run:
            try:
                registry.task_for(job.kind).func(None, job.pk)
            finally:
                storages["jobs"].delete(job.options["file"])  # a command's dry run keeps none
        else:
            tasks.run(job.pk)
        job.refresh_from_db()
        for line in job.lines.order_by("number"):
            stream = self.stderr if line.status == "refused" else self.stdout
            if line.status == "refused" or verbosity >= 1:
                stream.write(line.display)
        if job.state == JobState.FAILED:
            raise CommandError(
                _("%(file)s: refused: %(reason)s") % {"file": file, "reason": job.error},
                returncode=1,
            )
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(job.display_summary))
        refused = set(job.lines.filter(status="refused").values_list("code", flat=True))
        if "pdf.page_refused" in refused:
            raise CommandError(_("Some pages could not be drawn."), returncode=1)
        if refused:
            raise CommandError(_("Some articles could not be made."), returncode=1)
