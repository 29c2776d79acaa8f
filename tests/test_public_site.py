"""The reader site: every view, its navigation, and what readers must never see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleImage
from magazine.models import Issue
from sections.models import Section

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script><b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;"


def as_django_escapes(html):
    # Jinja2 (the readers' pages) writes a quote as &#34;, Django as &quot;: the same text.
    return html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def read_for_page(pk, published_only=True):
    """The article as its page reads it (``for_reading``), or None; its neighbours as pairs."""
    articles = Article.objects.for_reading()
    read = (articles.published() if published_only else articles).filter(pk=pk).first()
    if read is not None:
        read.previous = (read.previous_id, read.previous_title) if read.previous_id else None
        read.following = (read.next_id, read.next_title) if read.next_id else None
    return read


def build_issue(year=2014, number=5, published=True, pages=None, articles_per_page=2):
    """An issue with pages 01 卷首语, 10-11 本期策划, 9901 封底 and articles on them."""
    issue = Issue.objects.create(
        year=year, number=number, published_at=timezone.now() if published else None
    )
    pages = pages or [("01", "卷首语"), ("10", "本期策划"), ("11", "本期策划"), ("9901", "封底")]
    sections = [
        Section.objects.create(issue=issue, code=code, name=name, position=i)
        for i, (code, name) in enumerate(pages, start=1)
    ]
    for section in sections:
        for n in range(articles_per_page):
            Article.objects.create(
                issue=issue,
                section=section,
                position=n,
                title=f"{issue.key} {section.code}版 第{n + 1}篇",
                byline="文/王芳",
                body="第一段。\n第二段。",
            )
    return issue


@pytest.fixture
def published():
    return build_issue()


def article(issue, code, n):
    return Article.objects.get(issue=issue, section__code=code, position=n - 1)


# Home and archive


def test_home_shows_the_latest_published_issue_and_recent_ones(client):
    build_issue(2014, 4)
    latest = build_issue(2014, 5)
    build_issue(2014, 6, published=False)
    build_issue(2015, 1, published=False)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["issue"] == latest
    assert [i.key for i in response.context["recent_issues"]] == ["2014-4"]
    html = response.content.decode()
    assert "2014-5 10版 第1篇" in html
    assert "2014-6" not in html and "2015年第1期" not in html


def test_home_without_any_published_issue_says_so(client):
    build_issue(published=False)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["issue"] is None
    assert "2014-5 01版" not in response.content.decode()


def test_scheduled_issue_is_not_on_home_until_its_time(client):
    build_issue(2014, 4)
    build_issue(2014, 5, published=False).publish(at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/").context["issue"].key == "2014-4"


def test_archive_groups_published_issues_by_year(client):
    for year, number in [(2013, 11), (2013, 12), (2014, 1)]:
        build_issue(year, number, articles_per_page=0)
    build_issue(2014, 2, published=False, articles_per_page=0)
    response = client.get(reverse("issues:list"))
    years = [
        (year, [issue.key for _number, issue in slots if issue])
        for year, slots in response.context["years"]
    ]
    assert years == [(2014, ["2014-1"]), (2013, ["2013-11", "2013-12"])]  # a calendar


def test_archive_filters_by_year(client):
    build_issue(2013, 12, articles_per_page=0)
    build_issue(2014, 1, articles_per_page=0)
    response = client.get(reverse("issues:list"), {"year": "2013"})
    assert [i.key for i in response.context["issues"]] == ["2013-12"]
    assert '<a href="/issues/2013/" aria-current="page">2013</a>' in response.content.decode()


def test_archive_year_filter_cannot_reveal_drafts(client):
    build_issue(2013, 12, published=False, articles_per_page=0)
    build_issue(2014, 1, articles_per_page=0)
    response = client.get(reverse("issues:list"), {"year": "2013"})
    assert response.status_code == 200
    assert list(response.context["issues"]) == []
    assert '<option value="2013"' not in response.content.decode()


@pytest.mark.parametrize("year", ["abc", "99999999999999999999", "2013'--"])
def test_archive_with_an_odd_year_is_not_an_error(client, year):
    build_issue(2014, 1, articles_per_page=0)
    assert client.get(reverse("issues:list"), {"year": year}).status_code == 200


# Table of contents


def test_contents_groups_consecutive_pages_with_the_same_name(client, published):
    response = client.get(published.get_absolute_url())
    groups = response.context["contents"].groups
    assert [(g.name, g.first.code, g.last.code) for g in groups] == [
        ("卷首语", "01", "01"),
        ("本期策划", "10", "11"),
        ("封底", "9901", "9901"),
    ]
    html = response.content.decode()
    assert "10–11版" in html
    assert html.index("2014-5 10版 第1篇") < html.index("2014-5 11版 第2篇")


def test_contents_lists_unplaced_articles_after_the_pages(client, published):
    Article.objects.create(issue=published, title="未排版的文章", body="正文。")
    html = client.get(published.get_absolute_url()).content.decode()
    assert html.index("2014-5 9901版 第2篇") < html.index("未排版的文章")


def test_same_name_apart_is_two_groups(client):
    issue = build_issue(pages=[("01", "专题"), ("02", "目录"), ("03", "专题")], articles_per_page=0)
    groups = client.get(issue.get_absolute_url()).context["contents"].groups
    assert [g.name for g in groups] == ["专题", "目录", "专题"]


# Page view


def test_page_view_shows_its_titles_the_page_list_and_neighbours(client, published):
    page = published.sections.get(code="10")
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert [a.title for a in response.context["articles"]] == [
        "2014-5 10版 第1篇",
        "2014-5 10版 第2篇",
    ]
    assert "2014-5 11版 第1篇" not in html
    assert response.context["previous_section"].code == "01"
    assert response.context["next_section"].code == "11"
    for code in ["01", "10", "11", "9901"]:
        assert f'href="/issues/2014/5/pages/{code}/"' in html


def test_first_and_last_page_have_one_neighbour(client, published):
    first = client.get(published.sections.get(code="01").get_absolute_url())
    assert first.context["previous_section"] is None
    assert first.context["next_section"].code == "10"
    last = client.get(published.sections.get(code="9901").get_absolute_url())
    assert last.context["previous_section"].code == "11"
    assert last.context["next_section"] is None
    assert 'rel="next"' not in last.content.decode()


def test_leading_zeros_matter_in_page_urls(client, published):
    assert client.get("/issues/2014/5/pages/01/").status_code == 200
    assert client.get("/issues/2014/5/pages/1/").status_code == 404


# Article view


def test_article_view_shows_every_part(client, published):
    page = published.sections.get(code="10")
    full = Article.objects.create(
        issue=published,
        section=page,
        position=5,
        kicker="引题一\n引题二",
        title="完整的文章",
        subtitle="——副题",
        byline="本刊记者 陈晓",
        body="第一段。\n第二段。\n第三段。",
    )
    response = client.get(full.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "引题一<br>引题二" in html
    assert '<h1 id="article-title">完整的文章</h1>' in html
    assert "——副题" in html
    assert '本刊记者 <a href="/authors/%E9%99%88%E6%99%93/">陈晓</a>' in html
    assert html.count("<p>第") == 3
    assert 'href="/issues/2014/5/pages/10/"' in html and 'href="/issues/2014/5/"' in html
    assert html.count("<h1") == 1


def test_previous_and_next_article_follow_page_order_then_position(client, published):
    middle = article(published, "10", 2)
    response = client.get(middle.get_absolute_url())
    assert response.context["previous_article"].pk == article(published, "10", 1).pk
    assert response.context["next_article"].pk == article(published, "11", 1).pk


def test_first_and_last_article_of_the_issue(client, published):
    unplaced = Article.objects.create(issue=published, title="最后的未排版文章", body="正文。")
    first = client.get(article(published, "01", 1).get_absolute_url())
    assert first.context["previous_article"] is None
    last = client.get(unplaced.get_absolute_url())
    assert last.context["previous_article"].pk == article(published, "9901", 2).pk
    assert last.context["next_article"] is None


def test_neighbours_follow_the_reading_order_for_every_article(published):
    # Pages out of code order, positions with gaps, two unplaced articles:
    # the one-query window must agree with in_reading_order() everywhere.
    page = published.sections.get(code="10")
    page.position = 99
    page.save()
    for title in ["未排版乙", "未排版甲"]:
        Article.objects.create(issue=published, title=title, body="正文。")
    moved = article(published, "11", 2)
    moved.position = 0
    moved.save()
    order = list(published.articles.in_reading_order())
    for index, current in enumerate(order):
        read = read_for_page(current.pk)
        previous, following = read.previous, read.following
        expected_previous = order[index - 1] if index else None
        expected_next = order[index + 1] if index + 1 < len(order) else None
        assert previous == (
            (expected_previous.pk, expected_previous.title) if expected_previous else None
        )
        assert following == ((expected_next.pk, expected_next.title) if expected_next else None)


def test_prev_next_never_cross_into_another_issue(client, published):
    build_issue(2014, 6)
    last = client.get(article(published, "9901", 2).get_absolute_url())
    assert last.context["next_article"] is None


# What readers must never see


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_unpublished_issue_is_404_everywhere(client, state):
    issue = build_issue(published=False)
    if state == "scheduled":
        issue.publish(at=timezone.now() + datetime.timedelta(days=1))
    one = Article.objects.filter(issue=issue).first()
    for url in [
        issue.get_absolute_url(),
        issue.sections.get(code="10").get_absolute_url(),
        one.get_absolute_url(),
    ]:
        assert client.get(url).status_code == 404, url
    for url in ["/", "/issues/", "/feeds/latest/", "/sitemap.xml"]:
        body = client.get(url).content.decode()
        assert "2014-5" not in body and "/issues/2014/5/" not in body, url
        assert f"/articles/{one.pk}/" not in body, url


def test_withdrawn_issue_disappears(client, published):
    url = article(published, "10", 1).get_absolute_url()
    assert client.get(url).status_code == 200
    published.withdraw()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/issues/2014/6/",
        "/issues/2014/5/pages/77/",
        "/issues/2014/5/pages/..%2F01/",
        "/issues/99999/5/",
        "/issues/2014/99999999999999999999/",
        "/articles/999999/",
        "/articles/99999999999999999999999/",
        "/articles/abc/",
        "/articles/-1/",
    ],
)
def test_nonexistent_and_malformed_addresses_are_404(client, published, url):
    assert client.get(url).status_code == 404


def test_markup_in_every_text_field_is_escaped_on_every_page(client):
    issue = build_issue(pages=[("01", MARKUP)], articles_per_page=0)
    evil = Article.objects.create(
        issue=issue,
        section=issue.sections.get(),
        title="标题" + MARKUP,
        kicker="引题" + MARKUP,
        subtitle="副题" + MARKUP,
        byline="文/" + MARKUP,
        body="正文" + MARKUP,
    )
    for url in [
        "/",
        "/issues/",
        issue.get_absolute_url(),
        issue.sections.get().get_absolute_url(),
        evil.get_absolute_url(),
        "/search/?q=%E6%A0%87%E9%A2%98",  # 标题
        "/search/?q=%E6%AD%A3%E6%96%87",  # 正文: the excerpt
    ]:
        html = as_django_escapes(client.get(url).content.decode())
        assert MARKUP not in html, url
        assert '<script>alert("x")' not in html, url
        if url != "/issues/":  # the archive shows no article or page text
            assert ESCAPED in html, url  # shown, as text
    html = as_django_escapes(client.get(evil.get_absolute_url()).content.decode())
    assert html.count(ESCAPED) >= 5
    # JSON-LD cannot be broken out of either
    jsonld = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in jsonld


def test_feed_markup_is_escaped(client):
    issue = build_issue(articles_per_page=0)
    Article.objects.create(issue=issue, title="标题" + MARKUP, body="正文" + MARKUP)
    body = client.get("/feeds/latest/").content.decode()
    assert MARKUP not in body
    assert "标题&lt;script&gt;" in body


# Metadata


def test_article_page_has_title_canonical_open_graph_and_json_ld(client, published):
    one = article(published, "10", 1)
    html = client.get(one.get_absolute_url()).content.decode()
    assert f"<title>{one.title} · 2014年第5期 · " in html
    assert f'<link rel="canonical" href="http://testserver/articles/{one.pk}/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{one.title}">' in html
    assert '"@type": "Article"' in html and '"@type": "PublicationIssue"' in html
    assert '"author": [{"@type": "Person", "name": "王芳"}]' in html


def test_contents_page_has_publication_issue_json_ld(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    assert '"@type": "PublicationIssue"' in html
    assert '"issueNumber": "5"' in html
    assert '<link rel="canonical" href="http://testserver/issues/2014/5/">' in html


def test_breadcrumbs_lead_from_the_magazine_to_the_article(client, published):
    one = article(published, "10", 1)
    html = client.get(one.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert crumbs.index("刊物") < crumbs.index("2014年第5期") < crumbs.index("10版 本期策划")
    assert crumbs.index("10版 本期策划") < crumbs.index(one.title)


def test_pages_are_chinese_by_default_and_english_on_request(client, published):
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="zh-CN">' in chinese
    assert "往期回顾" in chinese and ">目录</h2>" in chinese
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Contents" in english


# Feed, sitemap, robots


def test_feed_lists_the_latest_issues_articles_newest_issue_first(client):
    build_issue(2014, 4, articles_per_page=1)
    build_issue(2014, 5, articles_per_page=1)
    response = client.get("/feeds/latest/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.index("2014-5 01版 第1篇") < body.index("2014-5 9901版 第1篇")
    assert body.index("2014-5 9901版 第1篇") < body.index("2014-4 01版 第1篇")


def test_feed_holds_at_most_50_entries(client):
    build_issue(2014, 5, articles_per_page=15)
    body = client.get("/feeds/latest/").content.decode()
    assert body.count("<entry>") == 50


def test_sitemap_lists_every_public_page(client, published):
    body = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/</loc>" in body
    assert "<loc>http://testserver/issues/</loc>" in body
    assert "<loc>http://testserver/issues/2014/5/</loc>" in body
    assert "<loc>http://testserver/issues/2014/5/pages/9901/</loc>" in body
    for one in Article.objects.all():
        assert f"<loc>http://testserver/articles/{one.pk}/</loc>" in body


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    # The admin's address is not advertised: it may be a secret (DJANGO_ADMIN_URL).
    assert "admin" not in body


def test_the_favicon_is_found_where_browsers_ask_and_where_pages_link(client, published):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico") and "/static/" in response["Location"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    home = client.get("/").content.decode()
    assert 'rel="icon"' in home and 'rel="apple-touch-icon"' in home


# A fixed number of queries however many articles


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def issue_with(n_articles, number):
    pages = [(f"{i:02d}", "本期策划" if 10 <= i < 16 else f"第{i}版") for i in range(1, 71)]
    issue = build_issue(2014, number, pages=pages, articles_per_page=0)
    sections = list(issue.sections.all())
    Article.objects.bulk_create(
        Article(
            issue=issue,
            section=sections[i % len(sections)] if i % 10 else None,
            position=i,
            title=f"第{i}篇",
            byline="文/王芳",
            body="正文。",
        )
        for i in range(n_articles)
    )
    return issue


@pytest.mark.parametrize(
    "name, url_of, expected",
    [
        ("home", lambda issue, a: "/", 3),
        ("archive", lambda issue, a: "/issues/", 2),
        ("contents", lambda issue, a: issue.get_absolute_url(), 3),
        ("page", lambda issue, a: issue.sections.get(code="10").get_absolute_url(), 3),
        ("article", lambda issue, a: a.get_absolute_url(), 2),
        ("feed", lambda issue, a: "/feeds/latest/", 1),
    ],
)
@pytest.mark.parametrize("script", ["", "/zh-hant"], ids=["simplified", "traditional"])
def test_public_pages_cost_the_same_queries_for_2_and_150_articles(
    client, name, url_of, expected, script
):
    counts = []
    for number, n in [(1, 2), (2, 150)]:
        Issue.objects.all().delete()
        issue = issue_with(n, number)
        one = issue.articles.filter(section__isnull=False).first()
        counts.append(queries_for(client, script + url_of(issue, one)))
    assert counts == [expected, expected], name


def test_an_article_with_images_costs_one_more_query_however_many(client, media):
    from tests.test_uploads import jpeg

    issue = issue_with(4, 1)
    plain, one, three = issue.articles.filter(section__isnull=False)[:3]
    ArticleImage.objects.create(article=one, image=jpeg(40, 30, "a.jpg"), alt="一")
    for n in range(3):
        ArticleImage.objects.create(article=three, image=jpeg(40, 30, "b.jpg"), alt=f"图{n}")
    # Articles without images (most) skip the images query altogether.
    counts = [queries_for(client, a.get_absolute_url()) for a in (plain, one, three)]
    assert counts == [2, 3, 3]
    assert client.get(three.get_absolute_url()).content.decode().count("<figure") == 3


def test_archive_covers_show_the_cover_or_a_placeholder(client, settings):
    settings.MAGAZINE_NAME = "基层<月刊>"
    plain = build_issue(2014, 4, articles_per_page=0)
    covered = build_issue(2014, 5, articles_per_page=0)
    covered.cumulative_number = 321
    covered.cover.name = "covers/2014/05/a.jpg"
    covered.cover_renditions = {
        "thumb": {"name": "covers/2014/05/a-thumb.jpg", "width": 320, "height": 440}
    }
    covered.save()
    html = client.get("/issues/").content.decode()
    assert (
        f'<a class="issue-calendar__issue" href="{covered.get_absolute_url()}">'
        '<img src="/media/covers/2014/05/a-thumb.jpg" width="320" height="440" alt=""'
        ' loading="lazy"><span class="issue-calendar__label"><span class="visually-hidden">'
        f'{covered} · 总第321期</span><span aria-hidden="true">第5期</span></span></a>'
    ) in html
    assert (
        f'<a class="issue-calendar__issue" href="{plain.get_absolute_url()}">'
        '<span class="issue-calendar__blank" aria-hidden="true">基层&lt;月刊&gt;</span>'
    ) in html
    # On the contents, the cover keeps its description.
    covered.cover_alt = '山"<路>'
    covered.save()
    page = client.get(covered.get_absolute_url()).content.decode()
    assert 'alt="山&quot;&lt;路&gt;"' in as_django_escapes(page)
