"""Readers see cover pages named as a magazine names them (封面, 封二, 封三, 封底) and
inner pages as 03版 with their name; addresses and the admin keep the codes."""

import pytest
from django.utils import timezone

from articles.models import Article
from magazine.models import Issue
from sections.models import Section, reader_title

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("code", "name", "title"),
    [
        ("0001", "封面", "封面"),
        ("0002", "广告", "封二 广告"),
        ("9901", "广告", "封三 广告"),
        ("9902", "封底", "封底"),
        ("9901", "封底", "封底"),  # one back cover, named so: not 封三
        ("03", "本期策划", "03版 本期策划"),
        ("03", "封底", "03版 封底"),  # an inner page is never a cover
    ],
)
def test_what_readers_call_a_page(code, name, title):
    assert reader_title(code, name) == title


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2026, number=12, published_at=timezone.now())
    Section.objects.merge(
        issue, [("0001", "封面"), ("0002", "广告"), ("03", "本期策划"), ("9901", "封底")]
    )
    Article.objects.create(
        issue=issue, section=issue.sections.get(code="0002"), title="封二的文章", body="正文。"
    )
    return issue


def test_the_page_list_the_page_and_the_article_say_cover_names(client, issue):
    contents = client.get(issue.get_absolute_url()).content.decode()
    assert "封二</span> 广告" in contents and "0002版" not in contents
    assert "9901版" not in contents and "0001版" not in contents

    cover = client.get("/issues/2026/12/pages/0001/").content.decode()  # the code addresses it
    assert '<h1 id="page-title">封面</h1>' in cover
    assert "<title>封面 · 2026年第12期" in cover
    assert "下一版：封二 广告" in cover

    last = client.get("/issues/2026/12/pages/9901/").content.decode()
    assert '<h1 id="page-title">封底</h1>' in last and "上一版：03版 本期策划" in last

    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">封二 广告</a>" in page


# Covers: an issue without an uploaded cover shows its 封面 page's scan


def test_the_cover_pages_scan_stands_for_a_missing_cover(client, issue):
    from tests.test_uploads import jpeg

    front = issue.sections.get(code="0001")
    front.scan = jpeg(1200, 1700, "0001.jpg")
    front.save()
    thumb = front.rendition_thumb.url
    for address in ("/", "/issues/", "/issues/2026/", issue.get_absolute_url()):
        html = client.get(address).content.decode()
        assert f'<img src="{thumb}"' in html, address
        assert "cover__placeholder" not in html, address


def test_an_uploaded_cover_comes_before_the_cover_page(client, issue):
    from tests.test_uploads import jpeg

    front = issue.sections.get(code="0001")
    front.scan = jpeg(1200, 1700, "0001.jpg")
    front.save()
    issue.cover = jpeg(1200, 1700, "cover.jpg")
    issue.save()
    html = client.get("/").content.decode()
    assert issue.rendition_thumb.url in html and front.rendition_thumb.url not in html


def test_an_issue_saved_from_an_older_copy_keeps_its_cover_pages_scan(client, issue):
    from tests.test_uploads import jpeg

    stale = Issue.objects.get(pk=issue.pk)  # an editor's form, opened before the scan came
    front = issue.sections.get(code="0001")
    front.scan = jpeg(1200, 1700, "0001.jpg")
    front.save()
    stale.cover_alt = "封面上的山"
    stale.save()
    issue.refresh_from_db()
    assert issue.page_cover_renditions["thumb"] == front.scan_renditions["thumb"]
    front.delete()  # and a deleted cover page takes its scan away
    issue.refresh_from_db()
    assert issue.page_cover_renditions == {}
