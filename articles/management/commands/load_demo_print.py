"""Give a demo issue a print edition: its pages drawn as a PDF, cut into page
scans and PDFs by the same job as an upload, and the articles' areas.

    python manage.py load_demo_print --issue YEAR-NUMBER
"""

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _

from articles import areas, demo_print
from magazine.commands import StaffCommand
from sections.arguments import existing_issue, issue_argument


class Command(StaffCommand):
    help = "Draw a demo issue's pages as a PDF and import it, with the articles' areas."

    def add_arguments(self, parser):
        issue_argument(parser)

    def handle(self, *args, issue, verbosity, **options):
        found = existing_issue(issue)
        data, document = demo_print.issue_pdf(found, settings.MAGAZINE_NAME)
        with tempfile.TemporaryDirectory(prefix="demo-print-") as folder:
            path = Path(folder) / f"{found.key}.pdf"
            path.write_bytes(data)
            call_command("import_pdf", str(path), issue=found.key, verbosity=0)
        written = areas.replace(found, json.dumps(document))
        if verbosity >= 1:
            self.stdout.write(
                _("Demo print edition of %(issue)s: %(count)s article areas")
                % {"issue": found, "count": written}
            )
