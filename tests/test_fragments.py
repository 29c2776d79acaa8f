"""Fragment caches: an issue's page list, its contents and a page's titles, rendered once
per content version, never leaking between pages, never for previews or staff."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # The page cache would answer before any fragment is asked for.
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "要闻"), ("03", "本期策划")])
    for code in ("01", "02", "03"):
        page = issue.sections.get(code=code)
        Article.objects.create(issue=issue, section=page, title=f"{code}版的文章", body="正文。")
    issue.publish()
    return issue


def page_url(issue, code):
    return issue.sections.get(code=code).get_absolute_url()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return html, len(queries)


def current_marks(html):
    return html.count('aria-current="page"><span class="page-code">')


def test_the_page_list_is_read_once_and_each_page_marks_itself(client, issue):
    first, cold = queries_for(client, page_url(issue, "01"))
    repeat, warm = queries_for(client, page_url(issue, "01"))
    assert repeat == first
    # The page itself; its page list and its titles come from the fragment cache.
    assert (cold, warm) == (3, 1)
    other = client.get(page_url(issue, "02")).content.decode()
    marked = f'href="{page_url(issue, "02")}" aria-current="page"'
    assert marked in other and current_marks(other) == 1
    assert f'href="{page_url(issue, "01")}" aria-current' not in other  # no leak


def test_an_article_on_a_page_marks_its_page_and_one_without_marks_none(client, issue):
    placed = issue.articles.get(title="02版的文章")
    html = client.get(placed.get_absolute_url()).content.decode()
    assert f'href="{page_url(issue, "02")}" aria-current="page"' in html
    unplaced = Article.objects.create(issue=issue, title="未排版", body="正文。")
    assert current_marks(client.get(unplaced.get_absolute_url()).content.decode()) == 0


def test_previous_and_next_page_follow_the_page_list_when_it_changes(client, issue):
    # 上一版/下一版 come from the issue's page list kept under the content version.
    html, _ = queries_for(client, page_url(issue, "02"))
    assert 'rel="next" href="/issues/2014/5/pages/03/"' in html
    third = issue.sections.get(code="03")
    third.name = "新版名"
    third.save()
    html, _ = queries_for(client, page_url(issue, "02"))
    assert re.search(r'rel="next" href="/issues/2014/5/pages/03/">[^<]*新版名</a>', html)
    Section.objects.filter(pk=third.pk).delete()
    last = client.get(page_url(issue, "02")).content.decode()
    assert 'rel="next"' not in last and 'rel="prev" href="/issues/2014/5/pages/01/"' in last


def test_a_change_readers_can_see_renders_the_fragments_afresh(client, issue):
    client.get(issue.get_absolute_url())
    client.get(page_url(issue, "03"))
    page = issue.sections.get(code="03")
    page.name = "改名的版面"
    page.save()
    article = issue.articles.get(title="03版的文章")
    article.title = "改过的标题"
    article.save()
    contents = client.get(issue.get_absolute_url()).content.decode()
    page_view = client.get(page.get_absolute_url()).content.decode()
    for html in (contents, page_view):
        assert "改名的版面" in html and "改过的标题" in html
        assert "03版的文章" not in html


def staff_client(client):
    user = User.objects.create_user("bianji", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def test_staff_and_previews_never_read_or_store_fragments(client, issue):
    from django.core.cache import caches

    draft = Issue.objects.create(year=2014, number=6)
    Section.objects.merge(draft, [("01", "草稿版")])
    staff = staff_client(client)
    caches["default"].clear()
    staff.get(draft.get_absolute_url())  # a preview
    staff.get(page_url(issue, "01"))  # a published page, seen by staff
    assert not [key for key in caches["default"]._cache if "template.cache" in key]
    # ... and a fragment stored by a reader is not what staff are shown either.
    reader = client.__class__()
    reader.get(page_url(issue, "01"))
    page = issue.sections.get(code="02")
    Section.objects.filter(pk=page.pk).update(name="悄悄改名")  # no signal: the version stays
    in_page_list = "</span> 悄悄改名</a></li>"  # the page list's row of page 02
    assert in_page_list in staff.get(page_url(issue, "01")).content.decode()
    assert in_page_list not in reader.get(page_url(issue, "01")).content.decode()


def test_with_fragment_caches_off_every_byte_is_rendered(client, issue, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    first, cold = queries_for(client, page_url(issue, "01"))
    again, still_cold = queries_for(client, page_url(issue, "01"))
    assert (cold, still_cold) == (3, 3) and again == first


def test_the_search_forms_choices_are_read_once_per_version(client, issue):
    _, first = queries_for(client, "/search/?q=文章")
    _, again = queries_for(client, "/search/?q=文章")
    assert again == first - 2  # the years and the page names, from the cache
    later = Issue.objects.create(year=2015, number=1)
    Section.objects.merge(later, [("01", "新年版")])
    later.publish()
    html = client.get("/search/?q=文章").content.decode()
    assert '<option value="2015">2015</option>' in html and "新年版" in html
