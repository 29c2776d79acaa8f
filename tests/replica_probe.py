"""Run by tests/test_replicas.py in a process of its own, with the production
settings against a primary and its streaming replica: one scenario, its
findings printed as JSON. (The suite's own database lives in transactions
that never commit, which no replica ever sees.)

    python tests/replica_probe.py setup|reader|writer|health
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connections, reset_queries  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article  # noqa: E402
from magazine.models import Issue  # noqa: E402
from magazine.roles import CHIEF_EDITORS  # noqa: E402
from sections.models import Section  # noqa: E402


class Counted:
    """The statements a connection runs inside the block. (Django's
    CaptureQueriesContext connects first: a stopped replica would fail it.)"""

    def __init__(self, alias):
        self.connection = connections[alias]

    def __enter__(self):
        self.connection.force_debug_cursor = True
        request_started.disconnect(reset_queries)  # as CaptureQueriesContext does
        self.start = len(self.connection.queries_log)
        return self

    def __exit__(self, *exc):
        self.connection.force_debug_cursor = False
        request_started.connect(reset_queries)
        self.count = len(self.connection.queries_log) - self.start


def counted(client, method, path, **kwargs):
    with Counted("default") as primary, Counted("replica1") as replica:
        response = getattr(client, method)(path, **kwargs)
    return response, primary.count, replica.count


def on_replica(check, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def setup():
    """The published issue, its article and a chief editor, once; and on the replica."""
    if not Issue.objects.exists():
        issue = Issue.objects.create(year=2015, number=3, published_at=timezone.now())
        page = Section.objects.create(issue=issue, code="01", name="卷首语", position=1)
        Article(issue=issue, section=page, title="老街新生", body="第一段。").save_and_index()
        user = User.objects.create_user("zhubian", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    seen = on_replica(
        lambda: Article.objects.using("replica1").filter(title__startswith="老街").exists()
    )
    return {"replicated": seen}


def reader():
    article = Article.objects.get(title__startswith="老街")
    response, primary, replica = counted(Client(), "get", article.get_absolute_url())
    return {
        "status": response.status_code,
        "primary_queries": primary,
        "replica_queries": replica,
        "title_shown": article.title in response.content.decode(),
    }


def writer():
    article = Article.objects.get(title__startswith="老街")
    client = Client()
    client.force_login(User.objects.get(username="zhubian"))
    changed = f"老街新生{int(time.time() * 1000)}"
    # An edit through a POST of this session (the admin's own form is long;
    # any write request pins the session the same way).
    response, _, _ = counted(client, "post", "/admin/logout/")
    pinned = "primary_until" in response.cookies
    Article.objects.filter(pk=article.pk).update(title=changed)
    client.cookies["primary_until"] = response.cookies["primary_until"].value
    seen, primary, replica = counted(client, "get", article.get_absolute_url())
    anonymous, _, anonymous_replica = counted(Client(), "get", article.get_absolute_url())
    return {
        "pinned": pinned,
        "writer_status": seen.status_code,
        "writer_sees_own_write": changed in seen.content.decode(),
        "writer_primary_queries": primary,
        "writer_replica_queries": replica,
        "reader_replica_queries": anonymous_replica,
        "reader_status": anonymous.status_code,
    }


def lost():
    """The replica stops between a check that found it and a page's queries."""
    import subprocess

    article = Article.objects.get(title__startswith="老街")
    _, _, before = counted(Client(), "get", article.get_absolute_url())  # checked: usable
    subprocess.run(os.environ["REPLICA_STOP_COMMAND"], shell=True, check=True)
    response, primary, _ = counted(Client(), "get", article.get_absolute_url())
    return {
        "first_replica_queries": before,
        "status": response.status_code,
        "title_shown": article.title in response.content.decode(),
        "primary_queries": primary,
    }


def health():
    response = Client().get("/healthz")
    return {"status": response.status_code, "body": response.content.decode()}


SCENARIOS = {
    "setup": setup,
    "reader": reader,
    "writer": writer,
    "lost": lost,
    "health": health,
}

if __name__ == "__main__":
    # The production settings but for static files: no collectstatic ran here.
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}):
        sys.stdout.write(json.dumps(SCENARIOS[sys.argv[1]]()) + "\n")
