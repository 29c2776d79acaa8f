"""Give a demo issue a print edition: its pages drawn as a PDF, cut into page
scans and PDFs by the same job as an upload, which finds the articles' areas in
its text, as it would in a typesetter's PDF.

    python manage.py load_demo_print --issue YEAR-NUMBER
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _

from articles import demo_print
from articles.models import ArticleArea
from infra.commands import StaffCommand
from sections.arguments import existing_issue, issue_argument


class Command(StaffCommand):
    help = "Draw a demo issue's pages as a PDF and import it: its articles' areas are found."

    def add_arguments(self, parser):
        issue_argument(parser)

    def handle(self, *args, issue, verbosity, **options):
        found = existing_issue(issue)
        data, _printed = demo_print.issue_pdf(found, settings.MAGAZINE_NAME)
        with tempfile.TemporaryDirectory(prefix="demo-print-") as folder:
            path = Path(folder) / f"{found.key}.pdf"
            path.write_bytes(data)
            call_command("import_pdf", str(path), issue=found.key, verbosity=0)
        if verbosity >= 1:
            count = ArticleArea.objects.filter(section__issue=found, found=True).count()
            self.stdout.write(
                _("Demo print edition of %(issue)s: %(count)s article areas found")
                % {"issue": found, "count": count}
            )
