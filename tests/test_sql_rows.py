"""magazine.sql_rows: instances from hand-written SQL, and statements prepared once
per connection on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from magazine.sql_rows import _prepared_form, execute

pytestmark = pytest.mark.django_db

SQL = "SELECT %s + 1, '100%%', %s"


def run(sql, params):
    with CaptureQueriesContext(connection) as sent, connection.cursor() as cursor:
        execute(cursor, sql, params)
        return cursor.fetchall(), [q["sql"] for q in sent.captured_queries]


def test_placeholders_become_numbered_parameters():
    name, body, count = _prepared_form(SQL)
    assert body == "SELECT $1 + 1, '100%', $2"
    assert count == 2
    assert name.startswith("magazine_")
    assert _prepared_form("SELECT 1")[2] == 0


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_a_statement_is_prepared_once_per_connection():
    connection.close()
    rows, sent = run(SQL, [41, "a"])
    assert rows == [(42, "100%", "a")]
    assert len(sent) == 1 and sent[0].startswith("PREPARE ") and "EXECUTE" in sent[0]
    rows, sent = run(SQL, [1, "b"])
    assert rows == [(2, "100%", "b")]
    assert len(sent) == 1 and sent[0].startswith("EXECUTE ")
    # A new connection knows nothing of it: prepared again.
    connection.close()
    rows, sent = run(SQL, [2, "c"])
    assert rows == [(3, "100%", "c")]
    assert sent[0].startswith("PREPARE ")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_failed_first_run_leaves_the_statement_usable():
    connection.close()
    with pytest.raises(Exception, match="division by zero"):
        run("SELECT 1 / %s", [0])
    rows, sent = run("SELECT 1 / %s", [1])
    assert rows == [(1,)]
    assert sent[0].startswith("EXECUTE ")


def test_the_statement_gives_the_same_rows_on_every_database():
    rows, sent = run(SQL, [41, "a"])
    assert rows == [(42, "100%", "a")]
    if connection.vendor == "postgresql":
        assert sent[0].startswith(("PREPARE ", "EXECUTE "))
    else:  # run as it is
        assert sent == ["SELECT 41 + 1, '100%', 'a'"]
