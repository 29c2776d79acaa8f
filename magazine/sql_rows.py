"""Hand-written SQL for the hot pages: model instances as the ORM makes them,
statements planned once per connection.

For the reader's two hottest pages (an article, a page): each is one
statement joining the object, its issue and its page. Building that query
through the ORM cost more than running it (profiled: 1.5 of 3 ms for an
article). ``Columns`` writes a model's column list for a table alias and
turns that part of a row back into an instance, through the same database
converters the ORM applies (SQLite returns datetimes as text), so the
instance is the one ``select_related`` would have given. ``execute`` runs
such a statement prepared on PostgreSQL.
"""

import functools
import hashlib
import re

from django.db import connections


class Columns:
    def __init__(self, model, alias):
        self.model = model
        self.alias = alias
        self.fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in self.fields]
        self.pk_index = self.fields.index(model._meta.pk)

    def __len__(self):
        return len(self.fields)

    def sql(self, connection):
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)

    @functools.cached_property
    def _converters(self):
        """Per database alias: (index, column, converter functions) where any apply."""
        found = {}
        for connection in connections.all(initialized_only=False):
            found[connection.alias] = [
                (index, column, converters)
                for index, field in enumerate(self.fields)
                if (
                    converters := connection.ops.get_db_converters(
                        column := field.get_col(self.alias)
                    )
                    + column.get_db_converters(connection)
                )
            ]
        return found

    def instance(self, row, start, using):
        """The instance held in ``row`` from position ``start``, or None if all NULL
        (the far side of a LEFT JOIN that found nothing)."""
        values = list(row[start : start + len(self.fields)])
        if values[self.pk_index] is None:
            return None
        connection = connections[using]
        for index, column, converters in self._converters[using]:
            value = values[index]
            for convert in converters:
                value = convert(value, column, connection)
            values[index] = value
        return self.model.from_db(using, self.attnames, values)


def read_one(using, sql, params, parts):
    """Run ``sql`` (prepared) for one row: the instance of each of ``parts``
    (``Columns``) in it, then its remaining values; or None if no row."""
    with connections[using].cursor() as cursor:
        execute(cursor, sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for part in parts:
        instances.append(part.instance(row, start, using))
        start += len(part)
    return instances, row[start:]


def execute(cursor, sql, params=()):
    """``cursor.execute(sql, params)``; on PostgreSQL, planned once per connection.

    The hot pages' hand-written statements are the same on every request but
    for their values, and planning cost PostgreSQL more than running them
    (an article's statement: 0.9 ms of its CPU planned each time, 0.16 ms
    prepared). The first use on a connection sends PREPARE and EXECUTE in one
    round trip, later uses EXECUTE only. A prepared statement lives as long
    as its connection, whatever becomes of the transaction that made it, so
    it is counted as made as soon as it is sent. Not for a transaction-mode
    connection pooler (PgBouncer), which would hand the statement to another
    connection: see the README.
    """
    connection = cursor.db
    if connection.vendor != "postgresql":
        return cursor.execute(sql, params)
    name, body, count = _prepared_form(sql)
    known = getattr(connection, "prepared_statements", None)
    if known is None or known[0] is not connection.connection:
        # A new connection (or the first use): nothing is prepared on it yet.
        known = connection.prepared_statements = (connection.connection, set())
    run = f"EXECUTE {name} ({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
    if name not in known[1]:
        known[1].add(name)
        run = f"PREPARE {name} AS {body.replace('%', '%%')}; {run}"
    return cursor.execute(run, params)


@functools.cache
def _prepared_form(sql):
    """A name for ``sql`` and its text with $1, $2... for its %s placeholders."""
    count = 0

    def number(match):
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    body = re.sub(r"%%|%s", number, sql)
    name = "magazine_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]
    return name, body, count
