"""What the editors' walk found on the reader site: a year's archive, the cover page,
the feed's authors, and the page filter of the article list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from magazine.models import Issue
from sections.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    issues = [
        Issue.objects.create(year=2015, number=n, published_at=timezone.now()) for n in (1, 2)
    ]
    Issue.objects.create(year=2015, number=3)  # a draft: not listed
    Issue.objects.create(year=2016, number=1, published_at=timezone.now())
    return issues


def test_a_year_lists_its_published_issues(client, year):
    response = client.get("/issues/2015/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2015年第1期" in page and "2015年第2期" in page
    assert "2015年第3期" not in page and "2016年第1期" not in page
    assert '<link rel="canonical" href="http://testserver/issues/2015/">' in page
    assert reverse("issues:year", kwargs={"year": 2015}) == "/issues/2015/"


def test_a_year_without_published_issues_is_a_404(client, year):
    assert client.get("/issues/2017/").status_code == 404
    Issue.objects.filter(year=2016).update(published_at=None)
    assert client.get("/issues/2016/").status_code == 404


def test_the_feed_names_the_authors_not_the_byline(client):
    issue = Issue.objects.create(year=2015, number=1, published_at=timezone.now())
    Article.objects.create(issue=issue, title="河", byline="文/沈嘉禾", body="正文")
    Article.objects.create(
        issue=issue, title="山", byline="本刊记者 陈晓 通讯员 林一帆", body="正文"
    )
    Article.objects.create(issue=issue, title="评", byline="本刊评论员", body="正文")
    feed = client.get("/feeds/latest/").content.decode()
    assert "<name>沈嘉禾</name>" in feed and "文/沈嘉禾" not in feed
    assert "<name>陈晓、林一帆</name>" in feed
    assert "<name>本刊评论员</name>" in feed


def test_the_cover_page_shows_the_cover(client, tmp_path, settings):
    from tests.test_uploads import jpeg

    settings.MEDIA_ROOT = tmp_path
    issue = Issue.objects.create(year=2015, number=1, published_at=timezone.now())
    issue.cover = jpeg(600, 800)
    issue.cover_alt = "山间小路"
    issue.save()
    Section.objects.merge(issue, [("0001", "封面"), ("01", "卷首语")])
    cover = client.get("/issues/2015/1/pages/0001/").content.decode()
    assert 'alt="山间小路"' in cover and issue.rendition_web.url in cover
    inner = client.get("/issues/2015/1/pages/01/").content.decode()
    assert 'alt="山间小路"' not in inner


def test_the_page_filter_is_one_select_that_keeps_the_other_filters(client, editor):
    issue = Issue.objects.create(year=2015, number=1)
    Section.objects.merge(issue, [(f"{n:02d}", "本期策划") for n in range(1, 69)])
    page = issue.sections.get(code="10")
    Article.objects.create(issue=issue, section=page, title="第十版的文章", body="正文")
    Article.objects.create(issue=issue, title="别处的文章", body="正文")
    listing = client.get(f"/admin/articles/article/?issue__id__exact={issue.pk}&q=文章")
    html = listing.content.decode()
    assert html.count('<select name="section"') == 1 and html.count("<option") >= 69
    assert f'<input type="hidden" name="issue__id__exact" value="{issue.pk}">' in html
    assert '<input type="hidden" name="q" value="文章">' in html
    chosen = client.get(f"/admin/articles/article/?issue__id__exact={issue.pk}&section={page.pk}")
    titles = [a.title for a in chosen.context["cl"].result_list]
    assert titles == ["第十版的文章"]
    assert f'<option value="{page.pk}" selected>' in chosen.content.decode()
    # Before an issue is chosen there is no page filter at all.
    assert '<select name="section"' not in client.get("/admin/articles/article/").content.decode()
    # "Placement" comes first among the filters.
    first = html.index("data-filter-title=")
    assert html.index('data-filter-title="排版"') == first


@pytest.fixture
def issue_with_a_merged_group():
    issue = Issue.objects.create(year=2015, number=5, published_at=timezone.now())
    pages = [("01", "卷首语"), ("10", "本期策划"), ("11", "本期策划"), ("12", "本期策划")]
    pages += [("13", "空白的版"), ("14", "文化")]
    Section.objects.merge(issue, pages)
    on = {page.code: page for page in issue.sections.all()}
    for code, title in [("01", "卷首"), ("10", "十版的稿"), ("12", "十二版的稿"), ("14", "文化稿")]:
        article = Article(issue=issue, section=on[code], title=title, byline="文/王芳", body="正文")
        article.save_and_index()
    return issue


def test_the_contents_leave_out_empty_pages_and_say_each_articles_page(
    client, issue_with_a_merged_group
):
    page = client.get(issue_with_a_merged_group.get_absolute_url()).content.decode()
    contents = page[page.index('class="contents"') : page.index('class="page-nav"')]
    assert "空白的版" not in contents and "空白的版" in page  # in the page list only
    assert '本期策划</a> <span class="page-code">10–12版</span>' in contents
    assert (
        '十版的稿</a> <span class="byline">文/王芳</span> <span class="article-page">10版</span>'
        in (contents)
    )
    assert (
        '十二版的稿</a> <span class="byline">文/王芳</span> <span class="article-page">12版</span>'
        in (contents)
    )
    # A group of one page needs no page on each line.
    assert '卷首</a> <span class="byline">文/王芳</span></li>' in contents
    # The page list stands beside the contents, in one layout.
    assert page.index('class="contents-layout"') < page.index('class="contents"')
    home = client.get("/").content.decode()
    assert "空白的版" not in home and '<span class="article-page">12版</span>' in home


def test_search_filters_fold_away_unless_used(client, issue_with_a_merged_group):
    plain = client.get("/search/?q=稿").content.decode()
    assert '<details class="search-form__more">' in plain
    narrowed = client.get("/search/?q=稿&year=2015").content.decode()
    assert '<details class="search-form__more" open>' in narrowed
    wrong = client.get("/search/?q=稿&issue=nonsense").content.decode()
    assert '<details class="search-form__more" open>' in wrong


def test_a_name_query_links_the_authors_page(client, issue_with_a_merged_group):
    page = client.get("/search/?q=王芳").content.decode()
    assert reverse("authors:detail", kwargs={"name": "王芳"}) in page
    assert "王芳的全部文章" in page
    assert "的全部文章" not in client.get("/search/?q=稿").content.decode()
    issue_with_a_merged_group.withdraw()  # nothing of hers published: no link
    assert "王芳的全部文章" not in client.get("/search/?q=王芳").content.decode()
