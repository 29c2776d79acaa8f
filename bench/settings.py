"""Settings for the benchmark's gunicorn: production settings plus a bare view."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")  # gunicorn on loopback, plain HTTP

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
