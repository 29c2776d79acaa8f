"""A database made by an earlier release migrates to this one: on SQLite, where a
new column rebuilds its table under the triggers of articles/triggers.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def migrate(database, *target):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0", *target],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# Each app as the release before this one left it.
EARLIER = [("magazine", "0009"), ("sections", "0005"), ("jobs", "0003"), ("articles", "0010")]


@pytest.mark.own_sqlite
def test_a_database_of_the_release_before_migrates_under_its_triggers(tmp_path):
    database = tmp_path / "earlier.sqlite3"
    for app, migration in EARLIER:  # each migrate installs the triggers after it
        before = migrate(database, app, migration)
        assert before.returncode == 0, before.stderr[-2000:]
    after = migrate(database)
    assert after.returncode == 0, after.stderr[-2000:]
    import sqlite3

    with sqlite3.connect(database) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(articles_articlearea)")}
        triggers = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert {"found", "confidence"} <= columns
    assert "articles_article_keeps_its_areas_issue" in triggers  # put back after
