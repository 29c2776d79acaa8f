"""Redis stopped and started again under the page cache: a Redis server of its
own on a free loopback port (the machine's Redis serves the other tests)."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from articles.models import Article
from magazine.models import Issue
from reader.page_cache import forget_seen
from sections.models import Section

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port, self.process = free_port(), None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert time.time() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self):
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    store = {
        "BACKEND": "reader.redis_cache.ReusingRedisCache",
        "LOCATION": f"redis://127.0.0.1:{server.port}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
    forget_seen()
    try:
        with override_settings(CACHES={"default": store, "coordination": store}):
            yield server
    finally:
        server.stop()
        forget_seen()


@pytest.fixture
def article():
    issue = Issue.objects.create(year=2014, number=5, published_at=timezone.now())
    page = Section.objects.create(issue=issue, code="10", name="本期策划", position=1)
    article = Article(issue=issue, section=page, title="老街新生", body="第一段。")
    article.save_and_index()
    return article


def test_pages_are_rendered_while_redis_is_down_and_cached_again_once_it_is_back(
    client, redis_server, article
):
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    redis_server.stop()
    down = client.get(url)
    assert down.status_code == 200 and "老街新生" in down.content.decode()
    assert "X-Page-Cache" not in down  # neither read from nor stored in any cache
    article.title = "老街又新"  # an edit while Redis is down is saved, and shown
    article.save()
    assert "老街又新" in client.get(url).content.decode()
    home = client.get("/")  # fragments (the contents) are rendered, not cached
    assert home.status_code == 200 and "老街又新" in home.content.decode()
    redis_server.start()
    again = client.get(url)
    assert again["X-Page-Cache"] == "miss" and "老街又新" in again.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert caches["default"].get("page-cache:version") is not None


def test_the_cache_answers_like_an_empty_one_while_redis_is_down(redis_server):
    store = caches["default"]
    store.set("kept", 1)
    redis_server.stop()
    assert store.get("kept", "gone") == "gone"
    assert store.get_many(["kept"]) == {}
    assert store.add("other", 1) is False
    store.set("kept", 2)  # dropped, no error
    with pytest.raises(ValueError):
        store.incr("kept")
