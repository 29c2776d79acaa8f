"""Cut an issue's print PDF into its pages' PDFs and scans, here and now.

    python manage.py import_pdf --issue YEAR-NUMBER FILE.pdf [--first-page CODE] [--no-areas]

The same work as an upload on the issue's admin page (a job of the job
list, which this runs at once): PDF page n goes to the issue's n-th page in
page order, or from page CODE on for a partial PDF. The articles' areas are
found in the pages' text (or read from scans by Tesseract) and placed, unless
``--no-areas``; areas an editor drew are kept. Prints one line a page and a
summary; exits 1 when the PDF is refused or a page could not be drawn.
"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jobs.models import JobState
from magazine.commands import StaffCommand
from magazine.schema import require_migrated
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

    def handle(self, *args, issue, file, first_page, find_areas, verbosity, **options):
        require_migrated()  # a new database: one line, not a traceback
        found = existing_issue(issue)
        try:
            with open(file, "rb") as handle:
                job, info = tasks.submit(
                    found,
                    File(handle, name=file.name),
                    first_page=first_page,
                    queue=False,
                    find_areas=find_areas,
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
        if job.lines.filter(status="refused").exists():
            raise CommandError(_("Some pages could not be drawn."), returncode=1)
