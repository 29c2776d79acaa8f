"""Model instances from hand-written SQL, as the ORM itself would make them.

For the reader's two hottest pages (an article, a page): each is one
statement joining the object, its issue and its page. Building that query
through the ORM cost more than running it (profiled: 1.5 of 3 ms for an
article). ``Columns`` writes a model's column list for a table alias and
turns that part of a row back into an instance, through the same database
converters the ORM applies (SQLite returns datetimes as text), so the
instance is the one ``select_related`` would have given.
"""

from functools import cached_property

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

    @cached_property
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
