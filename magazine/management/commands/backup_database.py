"""Copy the SQLite database, online, into one file: SQLite's backup API.

    .venv/bin/python manage.py backup_database FILE

The site may keep running: the backup API copies a consistent snapshot page
by page while readers and writers go on (a file copy of a database in WAL
mode can miss what the write-ahead log still holds, or catch a write half
done). PostgreSQL has pg_dump for this (``ops/backup.sh`` picks the one the
database needs).
"""

import sqlite3
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

from infra.commands import StaffCommand


class Command(StaffCommand):
    help = "Copy the SQLite database, online, into FILE (SQLite's backup API)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the copy (it must not exist)")

    def handle(self, *args, file, verbosity, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                _("The database is %(vendor)s, not SQLite: back it up with pg_dump.")
                % {"vendor": connection.vendor}
            )
        target = Path(file)
        if target.exists():
            raise CommandError(_("%(file)s exists already.") % {"file": target})
        target.parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        if verbosity:
            self.stdout.write(_("Copied the database into %(file)s.") % {"file": target})
