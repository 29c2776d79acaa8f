"""gunicorn settings for production (`make serve`): `gunicorn -c gunicorn.conf.py`.

Everything can be overridden with GUNICORN_* environment variables.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the pages are CPU-bound and short; two per core keeps a
# worker busy while another waits for the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a stuck request is killed
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that no slow leak can grow for ever. The
# jitter is as wide as the limit: workers that start together and share the
# load evenly would otherwise reach it within the same second and leave the
# server without a worker while they boot (seen under `make scale` with
# 2,000 ± 200: a 6 s stall at 1,000 requests/s).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "20000"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
