"""Recompute the search index of every article.

    python manage.py rebuild_search_index

The index is kept current as articles are saved (admin, import, --update);
run this after restoring a database dump taken without it, or after
changing how text is indexed.
"""

import time

from django.db import transaction
from django.utils.translation import gettext as _

from articles.search import rebuild
from infra.commands import StaffCommand
from infra.schema import require_migrated


class Command(StaffCommand):
    help = "Recompute the full-text search index of every article."

    def handle(self, *args, verbosity, **options):
        require_migrated()  # a new database: one line, not a traceback
        started = time.perf_counter()

        def progress(count):
            if verbosity >= 2:
                self.stdout.write(_("%(count)s articles…") % {"count": count})

        with transaction.atomic():
            count = rebuild(progress=progress)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s articles indexed in %(seconds)s s")
                % {"count": count, "seconds": f"{seconds:.1f}"}
            )
        )
