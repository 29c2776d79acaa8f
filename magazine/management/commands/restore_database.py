"""Put a copy made by ``backup_database`` back as the SQLite database.

    .venv/bin/python manage.py restore_database FILE

Through SQLite's backup API again, into the database the settings name:
every page replaced in one step, the write-ahead log included. Stop the site
first (``ops/restore.sh`` says so).
"""

import sqlite3
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

from infra.commands import StaffCommand


class Command(StaffCommand):
    help = "Replace the SQLite database with FILE, a copy made by backup_database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the copy to restore")

    def handle(self, *args, file, verbosity, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                _("The database is %(vendor)s, not SQLite: restore it with pg_restore.")
                % {"vendor": connection.vendor}
            )
        source = Path(file)
        try:
            copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            copy.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise CommandError(
                _("%(file)s is no SQLite database: %(error)s") % {"file": source, "error": error}
            ) from None
        connection.ensure_connection()
        with copy:
            copy.backup(connection.connection)
        copy.close()
        if verbosity:
            self.stdout.write(_("Restored the database from %(file)s.") % {"file": source})
