"""/healthz answers 200 only when the database does; views that lose it answer 503."""

import logging

from django.db import connection
from django.db.utils import Error
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from infra.outages import is_outage
from infra.replicas import report

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        return HttpResponse(
            f"database unavailable: {type(error).__name__}\n",
            status=503,
            content_type="text/plain",
        )
    lines = ["ok"]
    # Each replica, asked now: a replica away is no outage (readers use the
    # primary), so the answer stays 200 and says which.
    for alias, state in report().items():
        if state["usable"]:
            lines.append(f"{alias}: ok, lag {state['lag_s']:.3f} s")
        elif state["lag_s"] is None:
            lines.append(f"{alias}: down")
        else:
            lines.append(f"{alias}: lagging {state['lag_s']:.3f} s")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class HealthCheckMiddleware:
    """``/healthz`` answered first, whatever the Host header.

    A load balancer probes by the server's address (``Host: 10.0.0.5:8000``),
    which is not one of ``ALLOWED_HOSTS``: further down, the host check would
    answer 400 and log a DisallowedHost traceback every few seconds. The
    health check reads nothing from the request, so it goes before all that
    (and before the HTTPS redirect: probes come over plain HTTP).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not 500.

    While PostgreSQL restarts, requests fail for a second or two; a 503 tells
    readers, crawlers and the load balancer that it is passing. (Django
    drops the broken connection when the request ends; CONN_HEALTH_CHECKS
    makes the next request open a fresh one.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("database unavailable for %s: %s", request.path, exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "5"
        add_never_cache_headers(response)
        return response
