"""Export the article areas (热区) of an issue as JSON (the form import_areas reads).

python manage.py export_areas --issue YEAR-NUMBER FILE.json   (- for standard output)
"""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from articles import areas
from infra.commands import StaffCommand
from infra.schema import require_migrated
from sections.arguments import existing_issue, issue_argument


class Command(StaffCommand):
    help = "Export the article areas (热区) of an issue's pages to a JSON file."

    def add_arguments(self, parser):
        issue_argument(parser)
        parser.add_argument("file", type=Path, metavar="FILE.json")

    def handle(self, *args, issue, file, verbosity, **options):
        require_migrated()  # a new database: one line, not a traceback
        found = existing_issue(issue)
        document = areas.export(found)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if str(file) == "-":
            self.stdout.write(text, ending="")
            return
        try:
            file.write_text(text, "utf-8")
        except OSError as error:
            reason = error.strerror or error
            raise CommandError(
                _("%(file)s: cannot write: %(error)s") % {"file": file, "error": reason}
            ) from None
        if verbosity >= 1:
            count = sum(len(entries) for entries in document["pages"].values())
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(issue)s: %(count)s areas written to %(file)s")
                    % {"issue": found, "count": count, "file": file}
                )
            )
