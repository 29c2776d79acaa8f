"""Whether the database is ready for the staff's commands: one line if it is not.

A new database has no tables until ``migrate`` runs; a command run before
that would stop with a traceback from deep in the ORM ("no such table").
"""

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError


def require_migrated(alias=DEFAULT_DB_ALIAS):
    """Raise CommandError (one line, named) unless every migration is applied."""
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CommandError(f"cannot reach the database {name}: {reason}") from None
    if unapplied:
        raise CommandError(
            f"the database {name} is not ready ({len(unapplied)} migrations not applied):"
            " run `python manage.py migrate` first"
        )
