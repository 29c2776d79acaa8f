"""The read-only JSON API (/api/v1/): published only, paginated, cached, JSON errors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleArea
from magazine.models import Issue
from sections.models import Section

pytestmark = pytest.mark.django_db


def make_issue(year, number, published=True, articles=3, scheduled=False):
    when = timezone.now() + datetime.timedelta(days=1) if scheduled else timezone.now()
    issue = Issue.objects.create(year=year, number=number, published_at=when if published else None)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划"), ("11", "本期策划")])
    page = issue.sections.get(code="10")
    for n in range(articles):
        article = Article(
            issue=issue,
            section=page if n % 3 else None,
            position=n,
            title=f"{year}-{number}文章{n}",
            byline="文/沈嘉禾" if n % 2 else "本刊记者 陈晓",
            body=f"第{n}篇的正文，老街的河。\n第二段。",
        )
        article.save_and_index()
    return issue


@pytest.fixture
def magazine():
    published = make_issue(2015, 3)
    draft = make_issue(2015, 4, published=False)
    scheduled = make_issue(2015, 5, scheduled=True)
    return published, draft, scheduled


def test_issues_lists_only_published_ones_with_counts_and_next_links(client):
    for number in range(1, 25):
        make_issue(2014, number, articles=0)
    make_issue(2015, 1, published=False, articles=0)
    first = client.get("/api/v1/issues/").json()
    assert first["count"] == 24 and len(first["results"]) == 20
    assert first["results"][0]["key"] == "2014-24" and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/issues/?page=2"
    second = client.get(first["next"]).json()
    assert [i["key"] for i in second["results"]] == ["2014-4", "2014-3", "2014-2", "2014-1"]
    assert second["next"] is None
    assert client.get("/api/v1/issues/?page=3").status_code == 404


def test_drafts_and_scheduled_issues_are_invisible_through_every_endpoint(client, magazine):
    _published, draft, scheduled = magazine
    for hidden in (draft, scheduled):
        y, n = hidden.year, hidden.number
        article = hidden.articles.first()
        for url in [
            f"/api/v1/issues/{y}/{n}/",
            f"/api/v1/issues/{y}/{n}/pages/10/",
            f"/api/v1/articles/{article.pk}/",
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json() == {"detail": "Not found."}
    listed = client.get("/api/v1/issues/").json()
    assert [i["key"] for i in listed["results"]] == ["2015-3"]
    found = client.get("/api/v1/search/?q=老街").json()
    assert {hit["issue"] for hit in found["results"]} == {"2015-3"}
    # A draft's key is refused as one no issue has: nothing tells that it exists.
    draft, none = (client.get(f"/api/v1/search/?issue={key}") for key in ("2015-4", "1999-9"))
    assert draft.status_code == none.status_code == 400
    assert draft.json()["detail"].replace("2015-4", "KEY") == none.json()["detail"].replace(
        "1999-9", "KEY"
    )
    authors = client.get("/api/v1/authors/").json()["results"]
    assert {a["name"]: a["article_count"] for a in authors} == {"沈嘉禾": 1, "陈晓": 2}


def test_an_issue_with_its_pages_and_contents(client, magazine):
    body = client.get("/api/v1/issues/2015/3/").json()
    assert body["name"] == "2015年第3期" and body["key"] == "2015-3"
    assert [p["code"] for p in body["pages"]] == ["01", "10", "11"]
    assert body["pages"][1]["api_url"] == "http://testserver/api/v1/issues/2015/3/pages/10/"
    assert [(a["title"], a["page"]) for a in body["contents"]] == [
        ("2015-3文章1", "10"),
        ("2015-3文章2", "10"),
        ("2015-3文章0", None),  # not placed: after the pages
    ]


def test_a_page_with_its_articles_in_order_and_its_areas(client, magazine):
    issue = magazine[0]
    page = issue.sections.get(code="10")
    article = page.articles.order_by("position").first()
    ArticleArea.objects.create(article=article, section=page, x=0.1, y=0.2, w=0.5, h=0.3)
    body = client.get("/api/v1/issues/2015/3/pages/10/").json()
    assert [a["title"] for a in body["articles"]] == ["2015-3文章1", "2015-3文章2"]
    assert body["areas"] == [{"article_id": article.pk, "x": 0.1, "y": 0.2, "w": 0.5, "h": 0.3}]
    assert body["issue"]["key"] == "2015-3" and body["scan"] is None


def test_an_article_with_every_field_and_its_neighbours(client, magazine):
    issue = magazine[0]
    first, second = issue.articles.filter(section__isnull=False).order_by("position")
    body = client.get(f"/api/v1/articles/{second.pk}/").json()
    assert body["title"] == second.title and body["byline"] == "本刊记者 陈晓"
    assert body["paragraphs"] == ["第2篇的正文，老街的河。", "第二段。"]
    assert body["authors"] == ["陈晓"]
    assert body["page"]["code"] == "10" and body["issue"]["key"] == "2015-3"
    assert body["previous"]["id"] == first.pk and body["next"]["title"] == "2015-3文章0"
    assert body["images"] == []
    assert body["url"] == f"http://testserver/articles/{second.pk}/"


def test_search_follows_the_sites_rules_and_refuses_bad_filters_in_json(client, magazine):
    site = client.get("/search/?q=老街&author=陈晓")
    api = client.get("/api/v1/search/?q=老街&author=陈晓").json()
    assert [h["id"] for h in api["results"]] == [h.pk for h in site.context["articles"]]
    assert api["count"] == 2 and api["count_exact"] is True
    bad = client.get("/api/v1/search/?issue=nonsense")
    assert bad.status_code == 400 and "issue" in bad.json()["detail"]
    empty = client.get("/api/v1/search/")
    assert empty.status_code == 400 and "detail" in empty.json()


def test_errors_are_json_never_html(client, magazine):
    urls = ["/api/v1/nowhere/", "/api/v1/articles/abc/", "/api/v1/issues/?page=0", "/api/x"]
    urls.append("/api/v1/issues/-827/1.5/pages/%1C%0A/")  # a newline in the path
    for url in urls:
        response = client.get(url)
        assert response.status_code in (400, 404, 422), url
        assert response["Content-Type"].startswith("application/json"), url
        assert "detail" in response.json(), url
    post = client.post("/api/v1/nowhere/")
    assert post.status_code == 404 and post.json() == {"detail": "Not found."}


def test_etag_and_conditional_get(client, magazine):
    first = client.get("/api/v1/issues/2015/3/")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/issues/2015/3/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    article = magazine[0].articles.first()
    article.title = "改了标题"
    article.save()  # a change readers can see: a new content version, a new answer
    changed = client.get("/api/v1/issues/2015/3/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "改了标题" in changed.content.decode()


def test_cors_allows_reading_from_anywhere_and_only_reading(client, magazine):
    response = client.get("/api/v1/issues/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/issues/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    site = client.get("/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in site  # the site itself: no CORS


def test_an_issues_pages_and_contents_are_kept_until_readers_see_a_change(client, settings):
    settings.PAGE_CACHE_ENABLED, settings.FRAGMENT_CACHE_ENABLED = False, True
    issue = make_issue(2015, 3)
    first = client.get("/api/v1/issues/2015/3/").json()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/api/v1/issues/2015/3/").json()
    assert again == first and len(captured) == 1  # the issue; its lists from the cache
    elsewhere = client.get("/api/v1/issues/2015/3/", HTTP_HOST="127.0.0.1").json()
    assert elsewhere["contents"][0]["url"].startswith("http://127.0.0.1/articles/")
    article = issue.articles.get(position=1)
    article.title = "改过的标题"
    article.save()
    titles = [a["title"] for a in client.get("/api/v1/issues/2015/3/").json()["contents"]]
    assert "改过的标题" in titles


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/issues/",
        "/api/v1/issues/2015/3/",
        "/api/v1/issues/2015/3/pages/10/",
        "/api/v1/authors/",
    ],
)
def test_each_endpoint_runs_the_same_queries_however_many_articles(client, url, settings):
    settings.PAGE_CACHE_ENABLED = False

    def queries(articles):
        Issue.objects.all().delete()
        make_issue(2015, 3, articles=articles)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(3) == queries(30)


def test_the_article_endpoint_runs_a_fixed_number_of_queries(client, magazine, settings):
    settings.PAGE_CACHE_ENABLED = False
    article = magazine[0].articles.first()
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/api/v1/articles/{article.pk}/")
    assert len(captured) == 1  # no images: the article, its issue, page and neighbours


def test_the_schema_and_its_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/issues/",
        "/api/v1/issues/{year}/{number}/",
        "/api/v1/issues/{year}/{number}/pages/{code}/",
        "/api/v1/articles/{pk}/",
        "/api/v1/authors/",
        "/api/v1/search/",
    } <= paths
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()  # served from this site's own static files
