"""The printed page as readers see it: the scan with its articles' areas as links,
the strip of scans, the PDFs to download, the article's place on its page;
nothing of it for an issue readers may not see; a fixed number of queries
however many areas."""

import re

import pytest
from django.utils import timezone

from articles.models import Article, ArticleArea
from magazine.models import Issue
from tests import pdf_files
from tests.test_public_site import build_issue, queries_for

pytestmark = pytest.mark.django_db


def give_scan(section, stem):
    section.scan.name = f"scans/2014/05/{stem}.jpg"
    section.pdf.name = f"pdf/2014/05/{stem}.pdf"
    section.scan_renditions = {
        "original": {"name": section.scan.name, "width": 1131, "height": 1600},
        "web": {"name": f"scans/2014/05/{stem}-web.jpg", "width": 1131, "height": 1600},
        "thumb": {"name": f"scans/2014/05/{stem}-thumb.jpg", "width": 320, "height": 453},
    }
    section.save()
    return section


@pytest.fixture
def issue():
    issue = build_issue()
    for section in issue.sections.all():
        give_scan(section, f"page-{section.code}")
    issue.pdf.name = "pdf/issues/2014/05/whole.pdf"
    issue.save()
    return issue


def areas_for(issue, code, count):
    page = issue.sections.get(code=code)
    stories = list(Article.objects.filter(issue=issue, section=page))
    made = []
    for n in range(count):
        story = stories[n % len(stories)]
        made.append(
            ArticleArea.objects.create(
                article=story, section=page, x=0.05, y=round(n / count, 4), w=0.9, h=0.02
            )
        )
    return page, made


def test_the_scan_carries_each_area_as_a_link_named_by_its_title(client, issue):
    page = issue.sections.get(code="10")
    first, second = Article.objects.filter(section=page).order_by("position")
    ArticleArea.objects.create(article=first, section=page, x=0.05, y=0.1, w=0.9, h=0.45)
    ArticleArea.objects.create(article=second, section=page, x=0.05, y=0.6, w=0.425, h=0.35)
    html = client.get(page.get_absolute_url()).content.decode()
    links = re.findall(
        r'<a class="page-area" href="([^"]+)" style="([^"]+)"><span class="page-area__title">'
        r"([^<]+)</span></a>",
        html,
    )
    assert links == [
        (f"/articles/{first.pk}/", "left:5.0%;top:10.0%;width:90.0%;height:45.0%", first.title),
        (f"/articles/{second.pk}/", "left:5.0%;top:60.0%;width:42.5%;height:35.0%", second.title),
    ]
    # The links sit in the scan's own box, so the percentages follow the image's size.
    assert html.index('class="page-scan__sheet"') < html.index('class="page-area"')
    assert 'src="/media/scans/2014/05/page-10-web.jpg"' in html


def test_the_page_offers_its_pdf_the_issues_and_the_arrow_keys(client, issue):
    html = client.get(issue.sections.get(code="10").get_absolute_url()).content.decode()
    # The named downloads (tests/test_downloads.py), not the stored files' addresses.
    assert '<a href="/issues/2014/5/pages/10/pdf/" download>' in html
    assert 'href="/issues/2014/5/pdf/" download>' in html
    assert re.search(r'<script src="/static/js/page_keys[^"]*\.js" defer></script>', html)
    assert 'rel="prev" href="/issues/2014/5/pages/01/"' in html
    assert 'rel="next" href="/issues/2014/5/pages/11/"' in html


@pytest.mark.parametrize("url", ["/", "/issues/2014/5/"])
def test_home_and_contents_offer_the_whole_issue(client, issue, url):
    assert 'href="/issues/2014/5/pdf/" download>' in client.get(url).content.decode()


def test_the_strip_of_scans_marks_the_current_page(client, issue):
    plain = issue.sections.get(code="9901")
    plain.scan, plain.scan_renditions = "", {}
    plain.save()
    html = client.get(issue.sections.get(code="11").get_absolute_url()).content.decode()
    start = html.index('<ol class="page-strip">')
    strip = html[start : html.index("</ol>", start)]
    assert re.findall(r'href="/issues/2014/5/pages/(\w+)/"', strip) == ["01", "10", "11"]
    assert (
        '<a href="/issues/2014/5/pages/11/" aria-current="page">'
        '<img src="/media/scans/2014/05/page-11-thumb.jpg"'
    ) in strip


def test_an_article_shows_where_it_stands_on_its_page(client, issue):
    page = issue.sections.get(code="10")
    story = Article.objects.filter(section=page).first()
    ArticleArea.objects.create(article=story, section=page, x=0.1, y=0.2, w=0.3, h=0.4)
    elsewhere = issue.sections.get(code="11")
    ArticleArea.objects.create(article=story, section=elsewhere, x=0, y=0, w=1, h=0.5)
    html = client.get(story.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="on-page">') : html.index("</figure>")]
    assert '<a class="on-page__sheet" href="/issues/2014/5/pages/10/">' in figure
    assert 'src="/media/scans/2014/05/page-10-thumb.jpg"' in figure
    # Its area on this page, not the one where it goes on (转版).
    assert re.findall(r'class="on-page__area" style="([^"]+)"', figure) == [
        "left:10.0%;top:20.0%;width:30.0%;height:40.0%"
    ]


def test_an_article_without_a_scan_of_its_page_shows_none(client):
    issue = build_issue()
    story = Article.objects.filter(issue=issue, section__isnull=False).first()
    assert 'class="on-page"' not in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled", "withdrawn"])
def test_nothing_of_an_unpublished_issues_print_edition_reaches_readers(client, issue, state):
    page, _ = areas_for(issue, "10", 2)
    story = Article.objects.filter(section=page).first()
    if state == "draft":
        Issue.objects.filter(pk=issue.pk).update(published_at=None)
    elif state == "scheduled":
        issue.publish(at=timezone.now() + timezone.timedelta(days=1))
    else:
        issue.withdraw()
    for url in (page.get_absolute_url(), story.get_absolute_url(), issue.get_absolute_url()):
        assert client.get(url).status_code == 404, url
    for url in ("/", "/issues/", "/feeds/latest/", "/sitemap.xml", "/search/?q=第1篇"):
        body = client.get(url).content.decode()
        assert "/media/scans/" not in body and "/media/pdf/" not in body, url
        assert "page-area" not in body, url


def test_the_files_of_the_print_edition_have_unguessable_names(tmp_path, settings):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    issue = Issue.objects.create(year=2014, number=6)
    page = issue.sections.create(code="01", name="卷首语")
    page.pdf = ContentFile(pdf_files.pdf_bytes(1), name="2014-6-01.pdf")
    page.save()
    name = page.pdf.name.rsplit("/", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", name)  # 128 random bits, nothing of the issue


def test_a_page_costs_the_same_queries_with_1_and_30_areas(client, issue):
    from django.core.cache import caches

    pages, articles = [], []
    for count in (1, 30):
        ArticleArea.objects.all().delete()
        page, made = areas_for(issue, "10", count)
        caches["default"].clear()  # no fragment from the last round
        pages.append(queries_for(client, page.get_absolute_url()))
        html = client.get(page.get_absolute_url()).content.decode()
        assert html.count('class="page-area"') == count
        caches["default"].clear()
        articles.append(queries_for(client, made[0].article.get_absolute_url()))
    assert pages == [4, 4]  # the page, its list, its titles and its areas
    assert articles == [3, 3]  # the article, its page's list and its own areas


def test_the_scan_and_its_areas_are_fresh_after_an_area_changes(client, issue):
    page, (first,) = areas_for(issue, "10", 1)
    assert client.get(page.get_absolute_url()).content.decode().count('class="page-area"') == 1
    ArticleArea.objects.create(article=first.article, section=page, x=0, y=0.5, w=1, h=0.5)
    html = client.get(page.get_absolute_url()).content.decode()
    assert html.count('class="page-area"') == 2
    first.delete()
    html = client.get(page.get_absolute_url()).content.decode()
    assert html.count('class="page-area"') == 1 and "top:50.0%" in html


def test_an_articles_place_on_its_page_is_fresh_after_an_area_changes(client, issue):
    page = issue.sections.get(code="10")
    story = Article.objects.filter(section=page).first()
    assert 'class="on-page"' not in client.get(story.get_absolute_url()).content.decode()
    area = ArticleArea.objects.create(article=story, section=page, x=0.1, y=0.2, w=0.3, h=0.4)
    assert 'class="on-page__area"' in client.get(story.get_absolute_url()).content.decode()
    area.delete()
    assert 'class="on-page"' not in client.get(story.get_absolute_url()).content.decode()
