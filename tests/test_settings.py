"""The settings are read from the environment: test the rules and the real module."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from infra import env

PROJECT = Path(__file__).resolve().parent.parent


def load_settings(**variables):
    """Import config.settings in a fresh interpreter with only these variables."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "db = settings.DATABASES['default'];"
        "print(json.dumps({'DEBUG': settings.DEBUG, 'SECRET_KEY': settings.SECRET_KEY,"
        " 'ALLOWED_HOSTS': settings.ALLOWED_HOSTS, 'ENGINE': db['ENGINE'], 'NAME': str(db['NAME']),"
        " 'HOST': db.get('HOST', ''), 'CONN_MAX_AGE': db.get('CONN_MAX_AGE'),"
        " 'CONN_HEALTH_CHECKS': db.get('CONN_HEALTH_CHECKS'), 'OPTIONS': db.get('OPTIONS', {}),"
        " 'MEDIA_ROOT': str(settings.MEDIA_ROOT), 'LANGUAGE_CODE': settings.LANGUAGE_CODE,"
        " 'TIME_ZONE': settings.TIME_ZONE, 'USE_TZ': settings.USE_TZ}))"
    )
    environ = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environ, capture_output=True, text=True
    )


def loaded(**variables):
    result = load_settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_and_secret_required_by_default():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_use_the_given_secret_and_hosts():
    values = loaded(
        DJANGO_SECRET_KEY="s3cret-from-env", DJANGO_ALLOWED_HOSTS="mag.example.cn, www.example.cn"
    )
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == "s3cret-from-env"
    assert values["ALLOWED_HOSTS"] == ["mag.example.cn", "www.example.cn"]


def test_debug_gets_a_development_secret():
    values = loaded(DJANGO_DEBUG="1")
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"].startswith("django-insecure")


def test_sqlite_by_default_in_wal_mode_with_busy_timeout(tmp_path):
    values = loaded(DJANGO_DEBUG="1")
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(PROJECT / "db.sqlite3")
    assert "journal_mode=WAL" in values["OPTIONS"]["init_command"]
    assert values["OPTIONS"]["timeout"] >= 5
    assert values["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_selects_postgresql_with_persistent_checked_connections():
    values = loaded(DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@db.internal:5432/mag")
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "mag" and values["HOST"] == "db.internal"
    assert values["CONN_MAX_AGE"] > 0
    assert values["CONN_HEALTH_CHECKS"] is True


def test_media_root_locale_and_time_zone(tmp_path):
    values = loaded(DJANGO_DEBUG="1", MEDIA_ROOT=str(tmp_path))
    assert values["MEDIA_ROOT"] == str(tmp_path)
    assert values["LANGUAGE_CODE"] == "zh-hans"
    assert values["TIME_ZONE"] == "Asia/Shanghai"
    assert values["USE_TZ"] is True


@pytest.mark.parametrize(
    "raw, expected", [("1", True), ("true", True), ("0", False), ("", False), (None, False)]
)
def test_env_bool(raw, expected):
    environ = {} if raw is None else {"X": raw}
    assert env.env_bool(environ, "X") is expected


def test_env_bool_refuses_nonsense():
    with pytest.raises(ImproperlyConfigured, match="X must be 1 or 0"):
        env.env_bool({"X": "maybe"}, "X")


def test_env_list_drops_blanks():
    assert env.env_list({"H": " a.cn,,b.cn ,"}, "H") == ["a.cn", "b.cn"]
    assert env.env_list({}, "H", default=["x"]) == ["x"]


def test_the_running_suite_uses_the_database_it_was_given():
    url = os.environ.get("DATABASE_URL", "")
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    assert vendor == ("postgresql" if url.startswith("postgres") else "sqlite3")


def test_production_settings_pass_the_deploy_check_with_https():
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "k" * 20 + "9f$Qz!x" * 8,
        "DJANGO_HTTPS": "1",
        "DJANGO_ALLOWED_HOSTS": "mag.example.cn",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_settings_follow_the_environment():
    values = loaded(DJANGO_DEBUG="1")
    assert values["DEBUG"] is True
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE,"
        " settings.SECURE_HSTS_SECONDS, getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_HTTPS": "1",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environ, capture_output=True, text=True
    ).stdout
    assert out.split() == ["True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
    plain = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**environ, "DJANGO_HTTPS": "0"},
        capture_output=True,
        text=True,
    ).stdout
    assert plain.split()[:3] == ["False", "False", "0"]


def test_the_admin_address_follows_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from django.urls import reverse;"
        "from django.test import Client;"
        "print(reverse('admin:index'),"
        " Client(HTTP_HOST='localhost').get('/admin/').status_code,"
        " Client(HTTP_HOST='localhost').get('/bianjibu-7f3a/').status_code)"
    )
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ADMIN_URL": "/bianjibu-7f3a/",
        # Nothing here needs a database: an empty one, and no page cache, proves it.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "PAGE_CACHE": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # The admin is at the secret address (302: to its login page); /admin/ is nothing.
    assert result.stdout.split() == ["/bianjibu-7f3a/", "404", "302"]
