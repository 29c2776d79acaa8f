"""The root URLconf: the reader site (its pages in both scripts, see
``infra/locale.py``), the admin, the health check, uploads in development.

It knows the apps above it only by name (``include("reader.urls")``), as
settings do: imports point down, never up.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from infra import uploads
from infra.health import healthz
from infra.locale import language_patterns

urlpatterns = [
    *language_patterns(path("", include("reader.urls"))),
    path("", include("reader.service_urls")),
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    # Uploads in development (`make run`); in production the proxy or object
    # storage serves MEDIA_ROOT, and this answers 404.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", uploads.serve_in_development),
]
