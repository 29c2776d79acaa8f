"""Readers' pages read from streaming replicas; everything else from the primary.

``ReplicaReadsMiddleware`` decides per request: a GET or HEAD outside the
admin, from a session that has not written in the last
``REPLICA_PIN_SECONDS``, reads from a replica; the admin, every write, jobs
and commands (no request at all) use the primary, so what an editor saved
is what the editor sees next. A small router of our own rather than
django-multidb-router: that one pins by a cookie too, but knows nothing of
a replica's lag or of one that is down, which is most of what is needed.

Each process checks its replicas at most every ``REPLICA_CHECK_SECONDS``: a
replica that does not answer, or that has WAL received but not replayed
for more than ``REPLICA_MAX_LAG_SECONDS``, is left out until a later check
finds it back. A page whose replica fails mid-request is read again from
the primary: the reader sees the page, not an error.
"""

import contextvars
import time

from django.conf import settings
from django.db import connections
from django.db.utils import Error

from infra.outages import is_outage

PRIMARY = "default"
PIN_COOKIE = "primary_until"
_reading_replicas = contextvars.ContextVar("reading_replicas", default=False)
# alias -> (usable, lag in seconds or None, when checked)
_status = {}

LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
    " THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias != PRIMARY]


def check(alias):
    """``(usable, lag_seconds)`` of a replica, asked now."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except Error:
        connections[alias].close()
        return False, None
    lag = float(lag)
    return bool(in_recovery) and lag <= settings.REPLICA_MAX_LAG_SECONDS, lag


def refresh(alias):
    usable, lag = check(alias)
    _status[alias] = (usable, lag, time.monotonic())
    return usable, lag


def status(alias):
    """``check(alias)``, asked again only every REPLICA_CHECK_SECONDS."""
    usable, lag, checked = _status.get(alias, (None, None, 0.0))
    if time.monotonic() - checked >= settings.REPLICA_CHECK_SECONDS:
        return refresh(alias)
    return usable, lag


def mark_down(alias):
    connections[alias].close()
    _status[alias] = (False, None, time.monotonic())


def usable_replica():
    for alias in replica_aliases():
        if status(alias)[0]:
            return alias
    return None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_replicas.get():
            return usable_replica() or PRIMARY
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on every database

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        token = _reading_replicas.set(self.may_read_replicas(request))
        try:
            response = self.get_response(request)
        finally:
            _reading_replicas.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # This session sees its own writes: the primary, for a while.
            until = time.time() + settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{until:.3f}",
                max_age=int(settings.REPLICA_PIN_SECONDS) + 1,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def may_read_replicas(request):
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            return False
        try:
            return float(request.COOKIES.get(PIN_COOKIE, "0")) < time.time()
        except ValueError:
            return True

    def process_exception(self, request, exception):
        """A replica lost mid-request: leave it out and read the page from the primary."""
        if not _reading_replicas.get() or not is_outage(exception):
            return None
        for alias in replica_aliases():
            mark_down(alias)
        _reading_replicas.set(False)
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response


def report():
    """``{alias: {"usable": bool, "lag_s": float|None}}`` for /healthz, checked now."""
    out = {}
    for alias in replica_aliases():
        usable, lag = refresh(alias)
        out[alias] = {"usable": usable, "lag_s": None if lag is None else round(lag, 3)}
    return out
