"""The page cache: fast for readers, never stale, never hiding or leaking anything."""

import datetime
import time
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from magazine.models import Issue
from sections.models import Section

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(autouse=True, params=["memory", "redis"])
def page_store(request):
    """Every test runs with the per-worker memory cache and with Redis (and its front)."""
    from django.core.cache import caches
    from django.test import override_settings

    from reader.page_cache import front

    front.clear()
    if request.param == "memory":
        yield request.param
        return
    redis = {"BACKEND": "reader.redis_cache.ReusingRedisCache", "LOCATION": REDIS_TEST_URL}
    with override_settings(CACHES={"default": redis, "coordination": redis}):
        caches["default"].clear()
        yield request.param
        caches["default"].clear()
    front.clear()


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2014, number=5, published_at=timezone.now())
    page = Section.objects.create(issue=issue, code="10", name="本期策划", position=1)
    Article(issue=issue, section=page, title="老街新生", body="第一段。").save_and_index()
    return issue


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.content.decode()


def test_a_repeat_visit_is_served_from_the_cache_without_queries(client, issue):
    first, _ = get(client, "/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, html = get(client, "/")
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert "老街新生" in html


@pytest.mark.parametrize(
    "url_of",
    [
        lambda issue: "/",
        lambda issue: issue.get_absolute_url(),
        lambda issue: issue.sections.get().get_absolute_url(),
        lambda issue: issue.articles.get().get_absolute_url(),
        lambda issue: "/feeds/latest/",
        lambda issue: "/search/?q=老街",
    ],
    ids=["home", "contents", "page", "article", "feed", "search"],
)
def test_an_article_edit_shows_at_once(client, issue, url_of):
    url = url_of(issue)
    get(client, url)
    assert get(client, url)[0]["X-Page-Cache"] == "hit"
    article = issue.articles.get()
    article.title = "老街的新生：改过的标题"
    article.save_and_index()
    response, html = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "改过的标题" in html


def test_with_redis_a_worker_serves_hits_from_its_front(client, issue, page_store):
    from django.core.cache import caches

    from reader.page_cache import front

    get(client, "/")
    if page_store == "memory":
        assert not front.entries  # the memory cache is the worker's own already
        return
    assert len(front.entries) == 1
    (key,) = front.entries
    assert caches["default"].delete(key)  # gone from Redis; the front still has it
    response, html = get(client, "/")
    assert response["X-Page-Cache"] == "hit"
    assert "老街新生" in html


def test_the_front_keeps_to_its_size_least_recent_out():
    from django.http import HttpResponse

    from reader.page_cache import Front

    front = Front(limit=8000)
    for n in range(5):
        front.put(f"page-{n}", HttpResponse(b"x" * 900))
    front.get("page-0")  # used again: kept
    for n in range(5, 12):
        front.put(f"page-{n}", HttpResponse(b"x" * 900))
    assert front.size <= 8000
    assert "page-0" in front.entries and "page-1" not in front.entries
    assert front.get("page-11").content == b"x" * 900
    front.put("huge", HttpResponse(b"x" * 5000))  # more than an eighth: not kept
    assert "huge" not in front.entries


def test_a_page_rename_and_an_issue_edit_show_at_once(client, issue):
    url = issue.get_absolute_url()
    get(client, url)
    page = issue.sections.get()
    page.name = "特别报道"
    page.save()
    assert "特别报道" in get(client, url)[1]
    issue.cumulative_number = 321
    issue.save()
    assert "总第321期" in get(client, url)[1]


def test_a_deleted_article_disappears_at_once(client, issue):
    article = issue.articles.get()
    url = article.get_absolute_url()
    assert get(client, url)[0].status_code == 200
    article.delete()
    assert get(client, url)[0].status_code == 404
    assert "老街新生" not in get(client, "/")[1]


def test_a_withdrawn_issue_disappears_at_once(client, issue):
    article_url = issue.articles.get().get_absolute_url()
    for url in ["/", article_url, "/sitemap.xml"]:
        get(client, url)
    issue.withdraw()
    assert get(client, article_url)[0].status_code == 404
    assert "老街新生" not in get(client, "/")[1]
    assert article_url not in get(client, "/sitemap.xml")[1]


def test_publishing_shows_at_once(client):
    draft = Issue.objects.create(year=2014, number=6)
    Article(issue=draft, title="新的一期", body="正文。").save_and_index()
    url = draft.articles.get().get_absolute_url()
    assert get(client, url)[0].status_code == 404
    get(client, "/")
    draft.publish()
    assert get(client, url)[0].status_code == 200
    assert "新的一期" in get(client, "/")[1]


def test_adding_to_an_unpublished_issue_keeps_the_cache_and_publishing_shows_it(client, issue):

    get(client, "/")
    draft = Issue.objects.create(year=2014, number=6)
    assert get(client, "/")[0]["X-Page-Cache"] == "miss"  # a new issue: moved once
    Section.objects.create(issue=draft, code="01", name="卷首语", position=1)
    Article(issue=draft, title="草稿里的新文章", body="正文。").save_and_index()
    assert get(client, "/")[0]["X-Page-Cache"] == "hit"
    assert get(client, "/")[0]["X-Page-Cache"] == "hit"
    draft.publish()
    response, html = get(client, "/")
    assert response["X-Page-Cache"] == "miss" and "草稿里的新文章" in html
    # Adding to a published issue shows at once.
    Article(issue=draft, title="已发表一期的新文章", body="正文。").save_and_index()
    assert "已发表一期的新文章" in get(client, "/")[1]


def test_an_import_into_a_new_issue_leaves_cached_pages_in_place(client, issue, tmp_path):
    from django.core.management import call_command

    from tests.textfiles import article_bytes

    for n in range(3):
        (tmp_path / f"{n}.txt").write_bytes(article_bytes(title=f"导入的第{n}篇"))
    Issue.objects.create(year=2014, number=6)
    get(client, "/")
    call_command("import_text", str(tmp_path), "--issue", "2014-6", verbosity=0)
    assert get(client, "/")[0]["X-Page-Cache"] == "hit"


def test_a_scheduled_issue_appears_at_its_time_with_a_warm_cache(client):
    issue = Issue.objects.create(year=2014, number=7)
    Article(issue=issue, title="定时发布的文章", body="正文。").save_and_index()
    issue.publish(at=timezone.now() + datetime.timedelta(seconds=1.5))
    url = issue.articles.get().get_absolute_url()
    assert get(client, url)[0].status_code == 404
    assert get(client, url)[0].status_code == 404  # cached 404
    home = get(client, "/")[1]
    assert "定时发布的文章" not in home
    time.sleep(1.6)
    assert get(client, url)[0].status_code == 200
    assert "定时发布的文章" in get(client, "/")[1]


def test_staff_are_never_served_from_nor_stored_in_the_cache(client, issue):
    get(client, "/")  # an anonymous visit warms the cache
    staff = User.objects.create_superuser("root", password="pw")
    client.force_login(staff)
    response, _ = get(client, "/")
    assert "X-Page-Cache" not in response
    draft = Issue.objects.create(year=2014, number=8)
    Article(issue=draft, title="预览中的文章", body="正文。").save_and_index()
    preview_url = draft.articles.get().get_absolute_url()
    assert get(client, preview_url)[0].status_code == 200  # a preview, for staff
    client.logout()
    client.cookies.clear()
    response, html = get(client, preview_url)
    assert response.status_code == 404
    assert "预览中的文章" not in html


def test_a_matching_etag_gets_304_and_a_changed_page_does_not(client, issue):
    url = issue.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    page = issue.sections.get()
    page.name = "改版"
    page.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_languages_are_cached_apart(client, issue):
    chinese = get(client, "/", HTTP_ACCEPT_LANGUAGE="zh-CN")[1]
    english = get(client, "/", HTTP_ACCEPT_LANGUAGE="en")[1]
    assert "往期回顾" in chinese and "Past issues" in english


def test_the_admin_and_healthz_are_never_cached(client, issue):
    assert "X-Page-Cache" not in client.get("/healthz")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.utils import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_made_up_addresses_are_not_cached(client, issue):
    response = client.get("/no/such/place/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response
    # Nor are 404s at addresses the site has: any number would be a key.
    for _ in range(2):
        known = client.get("/articles/999999/")
        assert known.status_code == 404 and "X-Page-Cache" not in known


def stored_pages(page_store):
    from django.core.cache import caches

    if page_store == "memory":
        return [key for key in caches["default"]._cache if ":page:" in key]
    return list(caches["default"]._cache.get_client().scan_iter(match="*:page:*"))


def test_query_parameters_a_page_does_not_read_make_no_new_key(client, issue, page_store):
    article = issue.articles.get().get_absolute_url()
    before = len(stored_pages(page_store))
    for number in range(30):
        response = client.get(f"{article}?r={number}&utm_source=x")
        assert response.status_code == 200
    assert len(stored_pages(page_store)) == before + 1
    assert client.get(article)["X-Page-Cache"] == "hit"


def test_the_search_keeps_its_parameters_normalised(client, issue, page_store):
    old_street, new_life = quote("老街"), quote("新生")
    first = client.get(f"/search/?q={old_street}&page=&r=1&year=")
    found = f'href="{issue.articles.get().get_absolute_url()}"'
    assert first["X-Page-Cache"] == "miss" and found in first.content.decode()
    # The same search written otherwise is the same page: order, empties, extras.
    again = client.get(f"/search/?year=&r=2&q={old_street}")
    assert again["X-Page-Cache"] == "hit"
    other = client.get(f"/search/?q={new_life}")
    assert other["X-Page-Cache"] == "miss"
    # What the page links to carries no parameter it does not read.
    assert "r=1" not in first.content.decode()


def test_an_api_list_keeps_page_and_drops_the_rest(client, issue, page_store):
    response = client.get("/api/v1/issues/?page=1&junk=1")
    assert response.status_code == 200 and "junk" not in response.content.decode()
    assert client.get("/api/v1/issues/?junk=2&page=1")["X-Page-Cache"] == "hit"
    assert client.get("/api/v1/issues/?page=2").status_code == 404
