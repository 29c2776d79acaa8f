"""Export an issue's articles as text files in the import format.

    python manage.py export_text --issue 2014-5 OUTDIR
    python manage.py export_text --all OUTDIR      (every issue, drafts too: a backup)

Each article goes to ``OUTDIR/<page code>/NNN_<title>.txt`` (``unplaced/`` for
articles not on a page), UTF-8, line 2 holding the issue's whole page list:
importing the folder into an empty database gives the issue back. With
``--all`` each issue goes to ``OUTDIR/<year>-<number>/``.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from articles.importing import export_issue
from infra.commands import StaffCommand
from infra.schema import require_migrated
from magazine.models import Issue
from sections.arguments import issue_key, issue_option


class Command(StaffCommand):
    help = "Export an issue's articles as text files that import_text reads back."

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR", help="an empty or new folder")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--issue", type=issue_key, metavar="YEAR-NUMBER")
        which.add_argument("--all", action="store_true", help="every issue, in a folder each")

    def handle(self, *args, outdir, issue, verbosity, **options):
        require_migrated()  # a new database: one line, not a traceback
        outdir = Path(outdir)
        if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
            raise CommandError(
                _("%(folder)s is not an empty folder; choose a new one.") % {"folder": outdir}
            )
        if options["all"]:
            for found in Issue.objects.order_by("year", "number"):
                self.export(found, outdir / found.key, verbosity)
            return
        year, number = issue_option(issue)
        found = Issue.objects.filter(year=year, number=number).first()
        if found is None:
            raise CommandError(
                _("There is no issue %(issue)s.") % {"issue": Issue.name_of(year, number)}
            )
        self.export(found, outdir, verbosity)

    def export(self, found, outdir, verbosity):
        written = export_issue(found, outdir)
        for exported in written:
            if not exported.faithful:
                self.stderr.write(
                    self.style.WARNING(
                        _(
                            "warning: %(file)s: the format cannot express “%(title)s” exactly; "
                            "check it after importing"
                        )
                        % {"file": exported.path, "title": exported.article.title}
                    )
                )
            elif verbosity >= 2:
                self.stdout.write(str(exported.path))
        if verbosity >= 1:
            pages = found.sections.count()
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(issue)s: %(articles)s articles, %(pages)s pages written to %(folder)s")
                    % {
                        "issue": found,
                        "articles": len(written),
                        "pages": pages,
                        "folder": outdir,
                    }
                )
            )
