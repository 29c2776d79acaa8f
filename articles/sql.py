"""Hand-written SQL, all in one place: what the ORM cannot say, or says slower.

Each piece returns plain rows or querysets, never model instances, and the
README ("Why it is built as it is") gives what each buys:

* ``write_search_rows``: the search rows' upsert, with the pairs as a
  ``tsvector`` literal on PostgreSQL (the ORM has no ``::tsvector`` cast and no
  upsert of a computed column).
* ``fts5_match`` and ``fts5_rank``: SQLite's full-text table, which has no
  model.
* ``through_the_index``: planner settings for the searches the application
  knows the index answers best (``SET LOCAL``, one round trip).
* ``row_estimate``: the search table's size from the statistics, not a count.
* ``published_page_names``: the names of the published issues' pages, one
  index step a name, instead of DISTINCT over every page.
* ``prepared``: the ORM's statements of the reader's hot pages planned once
  per connection on PostgreSQL (``PREPARE``/``EXECUTE``), through Django's
  ``execute_wrapper``: planning them cost the database more than running
  them.
* ``reading_annotations``: an article's neighbours in the reading order and
  whether it has images, as columns of the query that reads it; the same columns as
  ``Subquery``/``Exists`` cost three times as much to build and compile as
  the rest of that query.

Triggers (DDL) are in ``articles/triggers.py``.
"""

import functools
import hashlib
import re
from contextlib import contextmanager

from django.db import connection, connections, models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

SEARCH_TABLE = "articles_articlesearch"
ARTICLES = "articles_article"
IMAGES = "articles_articleimage"


@functools.cache
def reading_annotations():
    """``annotate()`` arguments for ``ArticleQuerySet.for_reading``: ``has_images``,
    ``previous_id``/``previous_title`` and ``next_id``/``next_title``, each one
    lookup of the index on (issue, reading_index).

    Made once: a query resolves a copy of each expression, never the expression
    itself, and making their five output fields cost 1 % of an article's view.
    """

    def neighbour(column, step, field):
        return RawSQL(
            f"SELECT n.{column} FROM {ARTICLES} n WHERE n.issue_id = {ARTICLES}.issue_id"
            f" AND n.reading_index = {ARTICLES}.reading_index {step} 1",
            [],
            output_field=field,
        )

    return {
        "has_images": RawSQL(
            f"EXISTS (SELECT 1 FROM {IMAGES} i WHERE i.article_id = {ARTICLES}.id)",
            [],
            output_field=models.BooleanField(),
        ),
        "previous_id": neighbour("id", "-", models.BigIntegerField()),
        "previous_title": neighbour("title", "-", models.CharField()),
        "next_id": neighbour("id", "+", models.BigIntegerField()),
        "next_title": neighbour("title", "+", models.CharField()),
    }


def write_search_rows(rows):
    """Insert or replace search rows: ``[id, sort_key, published_at, vector]`` on
    PostgreSQL, ``[id, sort_key, published_at, title, head, body]`` on SQLite."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s, %s, %s, '', '', '', %s::tsvector)"] * len(rows))
        sql = (
            f"INSERT INTO {SEARCH_TABLE}"
            " (article_id, sort_key, published_at, title, head, body, vector)"
            f" VALUES {values} ON CONFLICT (article_id) DO UPDATE SET sort_key ="
            " EXCLUDED.sort_key, published_at = EXCLUDED.published_at, vector = EXCLUDED.vector"
        )
    else:
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
        sql = (
            f"INSERT INTO {SEARCH_TABLE}"
            " (article_id, sort_key, published_at, title, head, body)"
            f" VALUES {values} ON CONFLICT (article_id) DO UPDATE SET sort_key = excluded.sort_key,"
            " published_at = excluded.published_at, title = excluded.title,"
            " head = excluded.head, body = excluded.body"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def rebuild_fts5():
    """SQLite: rebuild the full-text table from the search rows."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO articles_search_fts(articles_search_fts) VALUES ('rebuild')")


def fts5_match(text):
    """SQLite: the ids of the rows whose full text matches ``text`` (FTS5 syntax)."""
    return RawSQL(
        "SELECT rowid FROM articles_search_fts WHERE articles_search_fts MATCH %s", [text]
    )


def fts5_rank(text):
    """SQLite: a row's relevance for ``text`` (bm25, negated so that higher is better)."""
    return RawSQL(
        "SELECT -bm25(articles_search_fts, 10.0, 4.0, 1.0) FROM articles_search_fts"
        f" WHERE articles_search_fts MATCH %s AND rowid = {SEARCH_TABLE}.article_id",
        [text],
        output_field=models.FloatField(),
    )


@contextmanager
def through_the_index():
    """Have PostgreSQL answer from the full-text index, not by reading rows in order.

    Its planner cannot know that testing a row reads a whole document (far
    more than a row) and misjudges how many rows hold a phrase; where the
    application knows better (few candidates, or a count the index answers
    alone), it says so for the queries in this block.
    """
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        # One round trip for both; the commit that ends an outermost block
        # ends SET LOCAL too, so only an inner block sets them back.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        try:
            yield
        finally:
            if not outermost:
                cursor.execute(
                    "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT"
                )


def row_estimate():
    """PostgreSQL: about how many search rows there are (the statistics, not a count)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = '{SEARCH_TABLE}'::regclass"
        )
        return cursor.fetchone()[0]


def published_page_names(now=None):
    """The names of the pages in published issues, each once, in order.

    A 20-year archive holds some 17,000 pages under a few dozen names:
    DISTINCT reads them all. This walks the index on the name instead, one
    step a name, skipping names that only unpublished issues have.
    """
    moment = connection.ops.adapt_datetimefield_value(now or timezone.now())

    def first_name(after=""):
        return f"""(
            SELECT s.name FROM sections_section s
            WHERE {after} EXISTS (
                SELECT 1 FROM magazine_issue i WHERE i.id = s.issue_id AND i.published_at <= %s
            )
            ORDER BY s.name LIMIT 1
        )"""

    sql = f"""
        WITH RECURSIVE names(name) AS (
            SELECT {first_name()}
            UNION ALL
            SELECT {first_name(after="s.name > names.name AND")}
            FROM names WHERE names.name IS NOT NULL
        )
        SELECT name FROM names WHERE name IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment, moment])
        return [name for (name,) in cursor]


@contextmanager
def prepared(using="default"):
    """Run the block's SELECTs as statements prepared once per connection (PostgreSQL).

    The reader's hot pages send the same few statements with other values
    on every request, and planning them cost PostgreSQL more than running
    them. The first use of a statement on a connection sends PREPARE and
    EXECUTE in one round trip, later uses EXECUTE only. A prepared statement
    lives as long as its connection; it is counted as made as soon as it is
    sent. Not for a transaction-mode pooler (PgBouncer before 1.21), which
    would hand it to another connection: see the README.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.execute_wrapper(_run_prepared):
        yield


def _run_prepared(execute, sql, params, many, context):
    if many or not sql.lstrip().upper().startswith("SELECT"):
        return execute(sql, params, many, context)
    connection = context["connection"]
    name, body, count = _prepared_form(sql)
    known = getattr(connection, "prepared_statements", None)
    if known is None or known[0] is not connection.connection:
        # A new connection (or the first use): nothing is prepared on it yet.
        known = connection.prepared_statements = (connection.connection, set())
    run = f"EXECUTE {name} ({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
    if name not in known[1]:
        known[1].add(name)
        run = f"PREPARE {name} AS {body.replace('%', '%%')}; {run}"
    return execute(run, params, many, context)


_forms = {}


def _prepared_form(sql):
    """A name for ``sql`` and its text with $1, $2... for its %s placeholders."""
    form = _forms.get(sql)
    if form is None:
        count = 0

        def number(match):
            nonlocal count
            if match.group() == "%%":
                return "%"
            count += 1
            return f"${count}"

        body = re.sub(r"%%|%s", number, sql)
        name = "reader_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]
        if len(_forms) > 512:  # the hot pages have a dozen shapes; never grow without bound
            _forms.clear()
        form = _forms[sql] = (name, body, count)
    return form
