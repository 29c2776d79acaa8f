"""Settings for the magazine CMS, driven by environment variables.

See the README ("Running it") for the variables. Test-only overrides live in
``tests/settings.py``.
"""

import os
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from infra import client_address, env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.env_bool(os.environ, "DJANGO_DEBUG", default=False)
# Uploads (MEDIA_ROOT) served by Django itself: in development, and for the
# browser tests; in production the web server in front serves them.
SERVE_MEDIA = env.env_bool(os.environ, "DJANGO_SERVE_MEDIA", default=DEBUG)
SECRET_KEY = env.secret_key(os.environ, DEBUG)
ALLOWED_HOSTS = env.env_list(
    os.environ, "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
)

# Production is served over HTTPS: with DEBUG off the site redirects to
# HTTPS, keeps its cookies secure and sends HSTS, unless DJANGO_HTTPS=0 (a
# test server on loopback); `make run` (DEBUG on) stays on plain HTTP. Behind
# a TLS-terminating proxy DJANGO_SECURE_PROXY_SSL_HEADER names the header it
# sets ("HTTP_X_FORWARDED_PROTO,https"), so that its requests are not
# redirected again.
HTTPS = env.env_bool(os.environ, "DJANGO_HTTPS", default=not DEBUG)
_proxy_header = env.env_list(os.environ, "DJANGO_SECURE_PROXY_SSL_HEADER")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header[:2])
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# /healthz answers over plain HTTP too (load balancers probe it from inside).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp) on every response, the admin's too:
# scripts only from this site, never inline. The reader site has no script
# at all (JSON-LD blocks are data, not run); the admin's scripts are files.
# Inline style attributes remain allowed: the admin's widgets set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The admin's address: set DJANGO_ADMIN_URL to something only staff know.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin").strip("/") + "/"

# Admin login protection (django-axes): five failures for one user from one
# address lock that pair out; the lock lifts after AXES_COOLOFF_HOURS or
# with `manage.py axes_reset_username NAME`. A success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind a proxy the client's address comes from X-Forwarded-For, and only when
# the request came from one of DJANGO_TRUSTED_PROXIES (infra/client_address.py).
TRUSTED_PROXIES = client_address.networks(env.env_list(os.environ, "DJANGO_TRUSTED_PROXIES"))
# Versions are checked in Python (no database triggers: TriggerVersionField is not used).
CONCURRENCY_AUTO_CREATE_TRIGGERS = False
AXES_CLIENT_IP_CALLABLE = "infra.client_address.client_address"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Uploads: a request body larger than this is refused before it is read
# (infra.uploads.RequestLimitsMiddleware); a single file's own limit
# (20 MB for an image, 50 MB for a page PDF) is checked as it streams in.
MAX_REQUEST_BYTES = int(os.environ.get("DJANGO_MAX_REQUEST_MB", "60")) * 1024 * 1024
# An issue's print PDF (its admin upload streams to disk, then to storage).
ISSUE_PDF_MAX_BYTES = int(os.environ.get("ISSUE_PDF_MAX_MB", "300")) * 1024 * 1024
# The issue's form sends six fields for each of its pages: some 1,800 at the
# most pages an issue can have (magazine.models.MAX_PAGES_PER_ISSUE).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4000

# The domain from the bottom up (magazine: the issue; sections: its pages;
# articles), then the two faces on top: the editors' admin and the readers'
# site. Imports point that way only (import-linter's contract in pyproject.toml).
INSTALLED_APPS = [
    "magazine",
    "jobs",
    "sections",
    "articles",
    "editorial",
    "reader",
    "editorial.apps.EditorialAdminConfig",  # django.contrib.admin, with editorial's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "csp",
    "axes",
    "corsheaders",
    "ninja",  # the API docs' Swagger UI from its own static files, not a CDN
]

MIDDLEWARE = [
    "infra.health.HealthCheckMiddleware",  # first: any Host, no redirect
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache: cached API answers get their CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "infra.uploads.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "reader.page_cache.ReaderPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "infra.locale.RequestLanguageMiddleware",
    # Inside the page cache: a Traditional page is converted once, then cached.
    "reader.traditional.TraditionalChineseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "infra.health.DatabaseUnavailableMiddleware",
    "infra.storage_outage.StorageUnavailableMiddleware",
    "infra.replicas.ReplicaReadsMiddleware",  # inside: it retries on the primary
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
# Only staff log in (at the admin); an unsafe ?next= falls back to its index.
LOGIN_REDIRECT_URL = "admin:index"

# The publication's name, shown in titles, the header and the feed.
MAGAZINE_NAME = os.environ.get("MAGAZINE_NAME", "").strip() or "基层月刊"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    # Readers' pages (reader/jinja2/): see reader/jinja_env.py for why Jinja2.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "reader.jinja_env.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "reader.context_processors.site",
            ],
        },
    },
    # The admin, its widgets and everything else: Django's template language.
    {
        "NAME": "django",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reader.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.database(os.environ, BASE_DIR / "db.sqlite3")}
# Streaming replicas for readers' pages (infra/replicas.py): writes, the
# admin, jobs and a session that wrote in the last REPLICA_PIN_SECONDS use
# the primary; a replica that is down or more than REPLICA_MAX_LAG_SECONDS
# behind is left out until it is back.
DATABASES.update(env.replicas(os.environ))
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["infra.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = float(os.environ.get("REPLICA_PIN_SECONDS", "5"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "2"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("en", _("English")),
]
# The Traditional standard of the /zh-hant/ pages (infra/chinese_script.py):
# s2twp, Taiwan's characters and words (软件 is 軟體), is what most readers of
# Traditional read, in Taiwan and abroad; s2hk for Hong Kong's, s2tw for
# Taiwan's characters without its words, s2t for OpenCC's plain Traditional.
TRADITIONAL_CHINESE = env.env_choice(
    os.environ, "DJANGO_TRADITIONAL_CHINESE", "s2twp", ("s2twp", "s2tw", "s2hk", "s2t")
)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The site's own files, shared by the readers' pages and the admin (its CSS,
# the favicon); each app keeps its own scripts and vendored libraries.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files kept for background jobs (an admin import's uploads, until it ends):
# never served by any URL.
JOB_FILES_ROOT = Path(os.environ.get("JOB_FILES_ROOT") or BASE_DIR / "var" / "jobs")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "jobs": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": JOB_FILES_ROOT, "base_url": None},
    },
    # Compressed files with hashed names, served by WhiteNoise with far-future
    # cache headers; `manage.py collectstatic` makes them.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Media on S3-compatible object storage (django-storages) when DJANGO_S3_BUCKET
# is set, local files under MEDIA_ROOT otherwise. Readers' files (covers,
# scans, page and issue PDFs, images and their renditions) are public objects
# under random names (128 bits: nothing of the issue or the upload in them),
# at plain addresses the page cache can keep (no expiring signatures); an
# unpublished issue's files are named by no page a reader can see. The
# files waiting for a job are private objects under jobs/, which any worker
# reads, wherever it runs.
# Publishing an issue whose error rate (编校差错率) is above the 2/10,000 line:
# "confirm" asks the chief editor a second time, "refuse" does not publish it.
PROOFING_ABOVE_LINE = env.env_choice(
    os.environ, "DJANGO_PROOFING_ABOVE_LINE", "confirm", ("confirm", "refuse")
)

OBJECT_STORAGE = env.object_storage(os.environ)
if OBJECT_STORAGE:
    from botocore.config import Config

    # A store that is down fails an upload within seconds, with a clear page
    # (infra/storage_outage.py), instead of holding a worker for minutes.
    OBJECT_STORAGE["client_config"] = Config(
        connect_timeout=3, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
    )
    MEDIA_DOMAIN = os.environ.get("DJANGO_S3_CUSTOM_DOMAIN", "").strip() or None
    STORAGES["default"] = {
        "BACKEND": "infra.object_storage.MediaStorage",
        "OPTIONS": {
            **OBJECT_STORAGE,
            "location": "media",
            "custom_domain": MEDIA_DOMAIN,
            "querystring_auth": False,
            "file_overwrite": False,
            # Names are never reused: a browser or CDN may keep a file for good.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    STORAGES["jobs"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**OBJECT_STORAGE, "location": "jobs", "default_acl": "private"},
    }
    # Scans and covers come from the store: the pages' CSP lets them in.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"https://{MEDIA_DOMAIN}"
        if MEDIA_DOMAIN
        else env.origin(OBJECT_STORAGE.get("endpoint_url")) or "https://*.amazonaws.com"
    )

# The page cache for anonymous readers (reader/page_cache.py): local memory
# by default, Redis when REDIS_URL is set. The counter that invalidates it
# must be seen by every worker: Redis, or else a file cache on this machine.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "reader.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs costs a reader at most this, then the page is
            # rendered without the cache (reader/redis_cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        },
    }
    CACHES["coordination"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "coordination": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR")
            or str(BASE_DIR / ".cache" / "coordination"),
        },
    }
# In development WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# The JSON API (/api/v1/) may be read from any site's scripts; nothing else may.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# The font of the share cards drawn for what has no image of its own (reader.share):
# one with Chinese glyphs. Debian: fonts-wqy-microhei or fonts-noto-cjk.
SHARE_CARD_FONT = os.environ.get("DJANGO_SHARE_CARD_FONT", "").strip() or next(
    (
        path
        for path in (
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        )
        if os.path.exists(path)
    ),
    "",
)
# Its heads in the site's serif: Noto Serif CJK (Debian: fonts-noto-cjk), else the above.
SHARE_CARD_SERIF_FONT = os.environ.get("DJANGO_SHARE_CARD_SERIF_FONT", "").strip() or next(
    (
        path
        for path in ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",)
        if os.path.exists(path)
    ),
    "",
)
PAGE_CACHE_ENABLED = env.env_bool(os.environ, "PAGE_CACHE", default=True)
# Fragments the same on every page of an issue (its page list, its contents),
# cached under the same content version (reader/fragments.py).
FRAGMENT_CACHE_ENABLED = env.env_bool(os.environ, "FRAGMENT_CACHE", default=True)

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

# Background jobs (jobs/): Django's task API on the database queue of
# django-tasks-db, run by `manage.py run_worker` (any number, anywhere).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job's heartbeat, and how long one may be silent before its worker
# is taken for dead and the job run again (jobs/reaper.py).
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "5"))
JOBS_LEASE_SECONDS = float(os.environ.get("JOBS_LEASE_SECONDS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
