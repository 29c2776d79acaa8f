"""Import article areas (热区) of an issue from JSON.

    python manage.py import_areas --issue YEAR-NUMBER FILE.json

The pages the file names get exactly its areas; other pages keep theirs. A
file with a box outside the page, an unknown page or title is refused whole
with the reason, and nothing of it is written (exit status 1).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import areas
from magazine.schema import require_migrated
from sections.arguments import existing_issue, issue_argument


class Command(BaseCommand):
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
            raise CommandError(f"{file}: cannot read: {error.strerror or error}") from None
        try:
            written = areas.replace(found, data)
        except areas.AreasRefused as refusal:
            raise CommandError(f"{file}: refused: {refusal}", returncode=1) from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{found.key}: {written} areas imported"))
