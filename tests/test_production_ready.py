"""What a new operator meets: the README's production example, HTTPS by default,
the health check by any Host, the staff commands on a development machine,
a database not migrated yet, the first chief editor, a port already taken."""

import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from magazine.roles import CHIEF_EDITORS

PROJECT = Path(__file__).resolve().parent.parent


def run(args, **variables):
    environ = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    environ.update(variables)
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=environ, capture_output=True, text=True
    )


def production_example():
    """The README's production lines: the export and the deploy check, as written."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Serving in production", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("export "))
    end = next(i for i in range(start, len(lines)) if not lines[i].endswith("\\"))
    check = next(line for line in lines if "check --deploy" in line)
    return "\n".join(lines[start : end + 1]), check.split("#")[0].strip()


def test_the_readmes_production_example_passes_the_deploy_check_as_written():
    export, check = production_example()
    assert "DJANGO_HTTPS" not in export  # HTTPS needs no switch: it is the default
    command = check.replace(".venv/bin/python", sys.executable) + " --fail-level WARNING"
    result = subprocess.run(
        ["bash", "-c", f"set -e\n{export}\n{command}"],
        cwd=PROJECT,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


HTTPS_SETTINGS = (
    "import django; from django.conf import settings; django.setup();"
    "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE,"
    " settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)"
)


@pytest.mark.parametrize(
    "variables, expected",
    [
        ({"DJANGO_SECRET_KEY": "x" * 60}, "True True True 31536000"),
        ({"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_HTTPS": "0"}, "False False False 0"),
        ({"DJANGO_DEBUG": "1"}, "False False False 0"),  # make run: plain HTTP
    ],
    ids=["production", "plain-http-asked-for", "debug"],
)
def test_https_is_the_default_without_debug(variables, expected):
    result = run(["-c", HTTPS_SETTINGS], **variables)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected.split()


@pytest.mark.django_db
def test_the_health_check_answers_whatever_the_host(client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.security"):
        response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert not caplog.records  # no DisallowedHost traceback in the log
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400  # the rest is guarded


@pytest.mark.django_db
def test_the_health_check_is_not_redirected_to_https(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        home = client.get("/")
    assert home.status_code == 301 and home["Location"].startswith("https://")


@pytest.mark.own_sqlite
def test_staff_commands_refuse_a_database_not_migrated_in_one_line(tmp_path):
    database = tmp_path / "new.sqlite3"
    article = tmp_path / "a.txt"
    article.write_text("标题\n\n正文。\n", encoding="utf-8")
    # No DJANGO_SECRET_KEY and no DJANGO_DEBUG: a development machine as it comes.
    for args in (
        ["import_text", str(article), "--issue", "2014-5"],
        ["export_text", "--issue", "2014-5", str(tmp_path / "out")],
    ):
        result = run(["manage.py", *args], DATABASE_URL=f"sqlite:///{database}")
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert re.fullmatch(
            rf"CommandError: the database {re.escape(str(database))} is not ready"
            r" \(\d+ migrations not applied\): run `python manage\.py migrate` first",
            lines[0],
        )
    with sqlite3.connect(database) as written:  # nothing was written, not even a table
        assert written.execute("select name from sqlite_master").fetchall() == []


@pytest.mark.own_sqlite
def test_staff_commands_run_on_a_development_machine_without_a_secret(tmp_path):
    database = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    # One rule, no list: every command but the ones that serve pages runs without
    # DJANGO_SECRET_KEY or DJANGO_DEBUG.
    for args in (
        ["migrate", "-v0"],
        ["sync_roles"],
        ["prune_db_task_results"],
        ["axes_reset"],
        ["check"],
    ):
        result = run(["manage.py", *args], DATABASE_URL=database)
        assert result.returncode == 0, (args, result.stderr[-500:])
    article = tmp_path / "a.txt"
    article.write_text("老街新生\n01版: 卷首语\n\n老街新生\n\n　　正文。\n", encoding="utf-8")
    result = run(
        ["manage.py", "import_text", str(article), "--issue", "2014-5"], DATABASE_URL=database
    )
    assert result.returncode == 0, result.stderr
    assert "已导入 1 篇" in result.stdout  # in the interface's language, Chinese
    # Serving still refuses to start without the key.
    served = run(["-c", "import config.wsgi"], DATABASE_URL=database)
    assert served.returncode != 0 and "DJANGO_SECRET_KEY is not set" in served.stderr


@pytest.mark.django_db
def test_create_staff_makes_a_chief_editor(monkeypatch, capsys):
    monkeypatch.setenv("FIRST_PASSWORD", "correct horse battery staple")
    call_command(
        "create_staff",
        "--language",
        "en",
        "zhubian",
        "--role",
        "chief",
        "--password-from-env",
        "FIRST_PASSWORD",
    )
    user = User.objects.get(username="zhubian")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [CHIEF_EDITORS]
    assert user.check_password("correct horse battery staple")
    assert user.has_perm("magazine.publish_issue")
    assert "Created zhubian" in capsys.readouterr().out


@pytest.mark.django_db
def test_create_staff_refuses_a_weak_password_or_a_taken_name_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="Password refused"):
        call_command(
            "create_staff",
            "--language",
            "en",
            "bianji",
            "--role",
            "editor",
            "--password-from-env",
            "WEAK",
        )
    assert not User.objects.filter(username="bianji").exists()
    User.objects.create_user("bianji", password="x")
    monkeypatch.setenv("GOOD", "correct horse battery staple")
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "create_staff",
            "--language",
            "en",
            "bianji",
            "--role",
            "editor",
            "--password-from-env",
            "GOOD",
        )
    with pytest.raises(CommandError, match="NOT_SET is empty or not set"):
        call_command(
            "create_staff",
            "--language",
            "en",
            "other",
            "--role",
            "editor",
            "--password-from-env",
            "NOT_SET",
        )
    assert User.objects.count() == 1


def test_make_run_says_at_once_when_its_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(["ops/port_free.py", f"127.0.0.1:{port}"])
    assert result.returncode == 1
    assert re.fullmatch(
        rf"make run: cannot serve on 127\.0\.0\.1:{port} \(.+\): stop what runs there, or"
        r" choose another address: make run ADDR=127\.0\.0\.1:8001\n",
        result.stderr,
    )
    assert run(["ops/port_free.py", f"127.0.0.1:{port}"]).returncode == 0  # closed now


def test_make_run_checks_its_port_before_installing_anything(tmp_path):
    """On a fresh clone (no virtualenv yet) with the port taken: the one line, and
    nothing installed first."""
    import shutil

    for name in ("Makefile", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy(PROJECT / name, tmp_path / name)
    (tmp_path / "ops").mkdir()
    shutil.copy(PROJECT / "ops" / "port_free.py", tmp_path / "ops" / "port_free.py")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["make", "run", f"ADDR=127.0.0.1:{port}"],
            cwd=tmp_path,
            env={"PATH": os.environ["PATH"]},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"make run: cannot serve on 127.0.0.1:{port}" in result.stderr
    assert not (tmp_path / ".venv").exists()  # the install never began
