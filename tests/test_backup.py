"""ops/backup.sh and ops/restore.sh: a backup restores into an empty database, whole."""

import os
import subprocess
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from magazine.models import Issue
from sections.models import Section

PROJECT = Path(__file__).resolve().parent.parent
RESTORED = "magazine_restore_test"


def database_url(name):
    settings = connection.settings_dict
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings.get('USER') or 'postgres'}@{host}:{port}/{name}"


def rows(url, sql):
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_database_and_the_media_into_an_empty_database(tmp_path):
    issue = Issue.objects.create(year=2014, number=5, published_at=timezone.now())
    page = Section.objects.create(issue=issue, code="10", name="本期策划", position=1)
    for n in range(3):
        Article(
            issue=issue, section=page, position=n, title=f"备份的文章{n}", body="正文。"
        ).save_and_index()
    Issue.objects.create(year=2014, number=6)  # a draft is backed up too
    media = tmp_path / "media"
    (media / "covers/2014/05").mkdir(parents=True)
    (media / "covers/2014/05/cover.jpg").write_bytes(b"\xff\xd8\xff cover")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "TEST_MEDIA_ROOT": str(media),  # MEDIA_ROOT, as tests.settings reads it
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHON": os.sys.executable,
    }

    made = subprocess.run(
        ["bash", "ops/backup.sh", str(tmp_path / "backups")],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "texts.tar.gz"}
    with tarfile.open(backup / "texts.tar.gz") as texts:
        names = texts.getnames()
    assert any(n.startswith("texts/2014-5/10/") and n.endswith("备份的文章0.txt") for n in names)

    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", RESTORED], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", RESTORED], check=True)
    try:
        restored_media = tmp_path / "restored-media"
        done = subprocess.run(
            ["bash", "ops/restore.sh", str(backup)],
            cwd=PROJECT,
            env={
                **env,
                "DATABASE_URL": database_url(RESTORED),
                "TEST_MEDIA_ROOT": str(restored_media),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        url = database_url(RESTORED)
        assert rows(url, "SELECT title FROM articles_article ORDER BY title") == [
            (f"备份的文章{n}",) for n in range(3)
        ]
        assert rows(url, "SELECT year, number FROM magazine_issue ORDER BY number") == [
            (2014, 5),
            (2014, 6),
        ]
        assert rows(url, "SELECT count(*) FROM articles_articlesearch") == [(3,)]
        assert (restored_media / "covers/2014/05/cover.jpg").read_bytes() == b"\xff\xd8\xff cover"
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", RESTORED])


@pytest.mark.django_db
def test_export_all_writes_every_issue_in_a_folder_each_and_they_import_back(tmp_path):
    for number in (5, 6):
        issue = Issue.objects.create(year=2014, number=number)
        page = Section.objects.create(issue=issue, code="01", name="卷首语", position=1)
        Article(issue=issue, section=page, title=f"第{number}期的文章", body="正文。").save()
    call_command("export_text", str(tmp_path / "all"), "--all", verbosity=0)
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["2014-5", "2014-6"]
    Issue.objects.all().delete()
    for number in (5, 6):
        call_command(
            "import_text",
            str(tmp_path / "all" / f"2014-{number}"),
            "--issue",
            f"2014-{number}",
            verbosity=0,
        )
    assert sorted(Article.objects.values_list("title", "section__code")) == [
        ("第5期的文章", "01"),
        ("第6期的文章", "01"),
    ]


@pytest.mark.own_sqlite
def test_the_sqlite_database_is_backed_up_online_and_restored(tmp_path):
    """The default database: copied by SQLite's backup API while a connection
    holds an open write in its log, not copied as a file."""
    import re
    import sqlite3
    import sys

    database = tmp_path / "site.sqlite3"
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHON": sys.executable,
    }

    def manage(*args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-1000:]
        return done.stdout

    manage("migrate", "-v0")
    manage(
        "shell",
        "-c",
        "from magazine.models import Issue; Issue.objects.create(year=2014, number=5)",
    )
    # A write still in the write-ahead log, its connection open (a site at work).
    writer = sqlite3.connect(database)
    writer.create_function(  # the table's CHECK constraints call Django's REGEXP
        "REGEXP", 2, lambda pattern, text: re.search(pattern, text or "") is not None
    )
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute(
        "INSERT INTO magazine_issue (year, number, cover, cover_renditions, "
        "page_cover_renditions, cover_alt, pdf, review, created_at, updated_at, "
        "version) VALUES (2014, 6, '', '{}', '{}', '', '', 'editing', "
        "'2026-01-01', '2026-01-01', 1)"
    )
    writer.commit()
    made = subprocess.run(
        ["bash", "ops/backup.sh", str(tmp_path / "backups")],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    writer.close()
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert (folder / "database.sqlite3").exists() and not (folder / "database.dump").exists()
    manage("shell", "-c", "from magazine.models import Issue; Issue.objects.all().delete()")
    restored = subprocess.run(
        ["bash", "ops/restore.sh", str(folder)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    numbers = manage(
        "shell",
        "-c",
        "from magazine.models import Issue; "
        "print(sorted(Issue.objects.values_list('number', flat=True)))",
    )
    assert numbers.strip().splitlines()[-1] == "[5, 6]"
    # Not a SQLite database: one line, nothing replaced.
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database")
    refused = subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(bad)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1 and "CommandError" in refused.stderr
    assert "Traceback" not in refused.stderr
