"""Reading settings from environment variables.

Kept apart from ``settings.py`` so that the parsing rules can be tested
without reloading Django's settings.
"""

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(environ, name, default=False):
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}.")


def env_list(environ, name, default=()):
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(environ, name, default, choices):
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
    return raw


def object_storage(environ):
    """django-storages' S3 options from ``DJANGO_S3_*`` variables, or None (local files).

    Keys may also come the way boto3 finds them itself (``AWS_ACCESS_KEY_ID``,
    an instance role): only the bucket is required."""
    bucket = environ.get("DJANGO_S3_BUCKET", "").strip()
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("DJANGO_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": environ.get("DJANGO_S3_REGION", "").strip() or None,
        "access_key": environ.get("DJANGO_S3_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": environ.get("DJANGO_S3_SECRET_ACCESS_KEY", "").strip() or None,
    }
    return {name: value for name, value in options.items() if value is not None}


def origin(url):
    """``scheme://host[:port]`` of ``url``, or None."""
    if not url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def secret_key(environ, debug):
    key = environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key
    if debug:
        # Only ever used with DJANGO_DEBUG=1 on a developer's machine.
        return "django-insecure-development-only-key-never-use-in-production"
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DJANGO_DEBUG=1 for local development."
    )


def database(environ, sqlite_path):
    """The default database: PostgreSQL (or any) from DATABASE_URL, else SQLite."""
    import dj_database_url

    url = environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.update(sqlite_options())
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sqlite_path),
        **sqlite_options(),
    }


def replicas(environ):
    """``{"replica1": config, ...}`` from DATABASE_REPLICA_URLS (comma-separated)."""
    import dj_database_url

    urls = env_list(environ, "DATABASE_REPLICA_URLS")
    configs = {}
    for number, url in enumerate(urls, start=1):
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        # A replica that is away must not hold a reader's page for long.
        config.setdefault("OPTIONS", {})["connect_timeout"] = 2
        configs[f"replica{number}"] = config
    return configs


def sqlite_options():
    # WAL lets readers go on while an import writes; IMMEDIATE takes the write
    # lock at BEGIN so concurrent writers wait (busy timeout) instead of
    # failing with "database is locked" half-way through a transaction.
    return {
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    }
