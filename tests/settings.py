"""Test settings: the real settings with a test secret, fast hashing and no shared state."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else")
# The test servers speak plain HTTP on loopback (production assumes HTTPS).
os.environ.setdefault("DJANGO_HTTPS", "0")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "coordination": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "coordination",
    },
}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Worker processes started by the tests write where the tests read.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="magazine-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="magazine-test-static-")
WHITENOISE_USE_FINDERS = True

# A file, not memory, on SQLite: tests that start worker processes share it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"magazine-tests-{os.getpid()}.sqlite3")
    }
# Worker processes started by the tests are given the folder of the tests.
JOB_FILES_ROOT = os.environ.get("JOB_FILES_ROOT") or tempfile.mkdtemp(prefix="magazine-test-jobs-")
STORAGES["jobs"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": JOB_FILES_ROOT, "base_url": None},
}
# In-process jobs of the tests beat no heartbeat (a test's transaction would
# keep the thread waiting); the worker-process tests set their own.
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "3600"))

# The test client reads response.context and .templates from the readers' pages too.
TEMPLATES[0]["BACKEND"] = "tests.jinja2_signals.AnnouncingJinja2"  # noqa: F405
