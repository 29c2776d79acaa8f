"""Import article areas (热区) of an issue from JSON.

    python manage.py import_areas --issue YEAR-NUMBER FILE.json

The pages the file names get exactly its areas; other pages keep theirs. A
file with a box outside the page, an unknown page or title is refused whole
with the reason, and nothing of it is written (exit status 1).
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from articles import areas
from infra.commands import StaffCommand
from infra.schema import require_migrated
from sections.arguments import existing_issue, issue_argument


class Command(StaffCommand):
    help = "Import the article areas (热区) of an issue's pages from a JSON file."

    def add_arguments(self, parser):
        issue_argument(parser)
        parser.add_argument("file", type=Path, metavar="FILE.json")

    def handle(self, *args, issue, file, verbosity, **options):
        require_migrated()  # a new database: one line, not a traceback
        found = existing_issue(issue)
        try:
            data = file.read_bytes()
        except OSError as error:
            reason = error.strerror or error
            raise CommandError(
                _("%(file)s: cannot read: %(error)s") % {"file": file, "error": reason}
            ) from None
        try:
            written = areas.replace(found, data)
        except areas.AreasRefused as refusal:
            raise CommandError(
                _("%(file)s: refused: %(reason)s") % {"file": file, "reason": refusal}, returncode=1
            ) from None
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(issue)s: %(count)s areas imported") % {"issue": found, "count": written}
                )
            )
