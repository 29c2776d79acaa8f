"""Import article text files into an issue.

    python manage.py import_text PATH... --issue 2014-5 [--page 10] [--update] [--dry-run]

PATH is a file or a folder (searched recursively for ``*.txt``). Each file is
its own transaction: a refused file writes nothing and never stops the others.
Prints one line per file and a summary, in the interface's language
(``LANGUAGE_CODE``, or ``--language en``); exits 1 if any file was refused.
"""

import re
from collections import Counter
from contextlib import nullcontext

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles import said
from articles.importing import (
    IMPORTED,
    REFUSED,
    SKIPPED,
    UPDATED,
    FileResult,
    find_text_files,
    import_files,
)
from infra.commands import StaffCommand
from infra.schema import require_migrated
from sections.arguments import issue_key, issue_option, page_code
from sections.models import CODE_PATTERN

PROGRESS_BAR_FROM = 20  # files; fewer finish before a bar would be worth seeing


class DryRunRollback(Exception):
    pass


class Command(StaffCommand):
    help = "Import article text files (one article a file) into an issue."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument(
            "--issue",
            required=True,
            type=issue_key,
            metavar="YEAR-NUMBER",
            help="the issue, e.g. 2014-5; created as a draft if it does not exist",
        )
        parser.add_argument(
            "--page", type=page_code, metavar="CODE", help="place the articles on this page"
        )
        parser.add_argument(
            "--update", action="store_true", help="replace articles the issue already has"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and check everything, write nothing"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="import with N worker processes (PostgreSQL; a dry run uses one)",
        )

    def handle(self, *args, paths, issue, page, update, dry_run, jobs, verbosity, **options):
        require_migrated()  # a new database: one line, not a traceback
        year, number = issue_option(issue)
        if page is not None and not re.fullmatch(CODE_PATTERN, page):
            raise CommandError(
                _("A page code is 1 to 8 letters or digits, not “%(code)s”.") % {"code": page}
            )
        files = list(find_text_files(paths))
        counts = Counter()
        self.dry_run = dry_run
        if jobs < 1:
            raise CommandError(_("--jobs must be 1 or more"))
        progress = self._progress_bar(len(files), verbosity)
        try:
            # A dry run does all the work in one transaction and rolls it back,
            # so later files see what earlier ones would have written.
            with transaction.atomic() if dry_run else nullcontext():
                results = import_files(
                    files,
                    jobs=1 if dry_run else jobs,
                    year=year,
                    number=number,
                    page_code=page,
                    update=update,
                )
                for result in results:
                    counts[result.status] += 1
                    self._report(result, verbosity, progress)
                if dry_run:
                    raise DryRunRollback
        except DryRunRollback:
            pass
        finally:
            if progress is not None:
                progress.close()

        summary = said.import_summary(
            {
                **{status: counts[status] for status in (IMPORTED, UPDATED, SKIPPED, REFUSED)},
                "issue": f"{year}-{number}",
                "files": len(files),
                "dry_run": dry_run,
            }
        )
        if verbosity >= 1:
            self.stdout.write(self.style.MIGRATE_HEADING(summary))
        if counts[REFUSED]:
            refused = ngettext("%(count)d file refused", "%(count)d files refused", counts[REFUSED])
            raise CommandError(refused % {"count": counts[REFUSED]}, returncode=1)

    def _progress_bar(self, total, verbosity):
        if total < PROGRESS_BAR_FROM or verbosity < 1 or not _is_terminal(self.stderr):
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="file", file=self.stderr._out, leave=False)

    def _report(self, result: FileResult, verbosity, progress):
        if progress is not None:
            progress.update(1)
        text = said.file_line(result.line_params(self.dry_run))
        if result.status == REFUSED:
            line, stream = self.style.ERROR(text), self.stderr
        elif verbosity < 1:
            return
        else:
            style = {IMPORTED: self.style.SUCCESS, UPDATED: self.style.NOTICE}.get(
                result.status, self.style.WARNING
            )
            line, stream = style(text), self.stdout
        if progress is not None:
            progress.write(line, file=stream._out)  # clears the bar, writes, redraws it
        else:
            stream.write(line)


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
