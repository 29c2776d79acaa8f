"""Test settings: the real settings with a test secret, fast hashing and no shared state."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else")

from magazine.settings import *  # noqa: F403

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
MEDIA_ROOT = tempfile.mkdtemp(prefix="magazine-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="magazine-test-static-")
WHITENOISE_USE_FINDERS = True

# The test client reads response.context and .templates from the readers' pages too.
TEMPLATES[0]["BACKEND"] = "tests.jinja2_signals.AnnouncingJinja2"  # noqa: F405
