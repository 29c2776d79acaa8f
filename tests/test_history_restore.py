"""History's restore (还原) and the publication state, and the search rows that copy it.

A restore never changes whether readers see an issue, for anyone: the
issue keeps its current publication time, and a deleted issue comes back as
a draft. Publishing goes through publish()/withdraw() and the publish
permission only.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.utils import timezone

from articles.models import Article, ArticleSearch
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.admin_forms import unchanged_post_data

pytestmark = pytest.mark.django_db

SECRET = "秘密文件"


def login(client, group):
    user = User.objects.create_user(group, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def issue_with_article(published):
    issue = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(issue, [("01", "卷首语")])
    article = Article(
        issue=issue, section=issue.sections.get(), title=f"{SECRET}的标题", body=f"{SECRET}正文。"
    )
    article.save_and_index()
    if published:
        issue.publish()
    return issue, article


def restore(client, issue, record):
    url = f"/admin/magazine/issue/{issue.pk}/history/{record.history_id}/"
    response = client.get(url)
    assert response.status_code == 200
    return client.post(url, unchanged_post_data(response))


def found(client, **query):
    """The titles the search lists for ``query``."""
    response = client.get("/search/", query)
    assert response.status_code == 200
    return [hit.title for hit in response.context.get("articles", [])]


def found_in_search(client):
    return bool(found(client, q=SECRET))


def draft_record(issue):
    return issue.history.filter(published_at__isnull=True).earliest("history_date")


@pytest.mark.parametrize("group", [EDITORS, CHIEF_EDITORS])
def test_restoring_a_draft_version_keeps_a_published_issue_published(client, group):
    issue, article = issue_with_article(published=True)
    published_at = Issue.objects.get(pk=issue.pk).published_at
    reader = client.__class__()
    assert reader.get(article.get_absolute_url()).status_code == 200
    login(client, group)
    response = restore(client, issue, draft_record(issue))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.published_at == published_at
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert found_in_search(reader)
    latest = issue.history.latest("history_date")
    assert latest.published_at == published_at  # History tells the truth too


@pytest.mark.parametrize("group", [EDITORS, CHIEF_EDITORS])
def test_restoring_a_published_version_keeps_a_draft_a_draft(client, group):
    issue, article = issue_with_article(published=True)
    published_record = issue.history.filter(published_at__isnull=False).latest("history_date")
    issue.withdraw()
    login(client, group)
    assert restore(client, issue, published_record).status_code == 302
    issue.refresh_from_db()
    assert issue.published_at is None
    reader = client.__class__()
    assert reader.get(article.get_absolute_url()).status_code == 404
    assert not found_in_search(reader)


def test_an_editor_cannot_delete_a_published_issue_by_restoring_a_draft_first(client):
    issue, _ = issue_with_article(published=True)
    login(client, EDITORS)
    restore(client, issue, draft_record(issue))
    response = client.post(f"/admin/magazine/issue/{issue.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Issue.objects.filter(pk=issue.pk, published_at__isnull=False).exists()


def test_a_deleted_published_issue_is_restored_as_a_draft(client):
    issue, _ = issue_with_article(published=True)
    record = issue.history.filter(published_at__isnull=False).latest("history_date")
    pk = issue.pk
    issue.delete()
    login(client, EDITORS)
    url = f"/admin/magazine/issue/{pk}/history/{record.history_id}/"
    response = client.post(url, unchanged_post_data(client.get(url)))
    assert response.status_code == 302
    restored = Issue.objects.get(pk=pk)
    assert restored.published_at is None
    assert client.__class__().get(restored.get_absolute_url()).status_code == 404


def test_a_restored_instance_saved_from_the_shell_keeps_the_publication_state():
    issue, _ = issue_with_article(published=True)
    published_at = Issue.objects.get(pk=issue.pk).published_at
    old = draft_record(issue).instance
    old.version = Issue.objects.get(pk=issue.pk).version  # restored over what is stored now
    old.save()
    assert Issue.objects.get(pk=issue.pk).published_at == published_at
    # And a plain assignment is not a publication either: publish()/withdraw() are.
    issue.refresh_from_db()
    issue.published_at = None
    issue.save()
    assert Issue.objects.get(pk=issue.pk).published_at == published_at
    issue.withdraw()
    assert Issue.objects.get(pk=issue.pk).published_at is None


# The search rows' copies follow the issue by every path (database triggers).
# (Bulk writes send no signal, so the page cache is not told of them: these
# tests ask the search itself.)


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def search_copy(article):
    return ArticleSearch.objects.values_list("published_at", "sort_key").get(article=article)


def test_an_issue_withdrawn_by_a_bulk_update_is_gone_from_search_at_once(client, no_page_cache):
    issue, article = issue_with_article(published=True)
    assert found_in_search(client)
    Issue.objects.filter(pk=issue.pk).update(published_at=None)
    assert search_copy(article)[0] is None
    assert not found_in_search(client)


def test_an_issue_withdrawn_by_raw_sql_is_gone_from_search(client, no_page_cache):
    issue, _article = issue_with_article(published=True)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE magazine_issue SET published_at = NULL WHERE id = %s", [issue.pk])
    assert not found_in_search(client)


def test_an_issue_published_by_a_bulk_update_is_found(client, no_page_cache):
    issue, _article = issue_with_article(published=False)
    assert not found_in_search(client)
    Issue.objects.filter(pk=issue.pk).update(published_at=timezone.now())
    assert found_in_search(client)


def test_a_renumbered_issue_is_found_under_its_new_number(client, no_page_cache):
    from articles.search import sort_key

    issue, article = issue_with_article(published=True)
    Issue.objects.filter(pk=issue.pk).update(year=2015, number=150)
    issue.refresh_from_db()
    assert search_copy(article)[1] == sort_key(issue, article.pk)
    assert found(client, issue="2015-150") == [article.title]
    assert client.get("/search/", {"issue": "2014-5"}).status_code == 400  # no such issue now


def test_an_article_moved_to_a_draft_issue_by_a_bulk_update_leaves_search(client, no_page_cache):
    _issue, article = issue_with_article(published=True)
    draft = Issue.objects.create(year=2014, number=6)
    Article.objects.filter(pk=article.pk).update(issue=draft, section=None)
    assert search_copy(article) == (None, draft.year * 10**14 + 6 * 10**10 + article.pk)
    assert not found_in_search(client)


# Issue numbers of weeklies and dailies: 100 and more do not collide.


def test_issue_150_of_2014_is_in_2014_and_not_in_issue_50_of_2015(client):
    now = timezone.now() - datetime.timedelta(minutes=1)
    wanted = [(2014, 150, "二〇一四年第一五〇期"), (2015, 50, "二〇一五年第五〇期")]
    for year, number, title in wanted:
        issue = Issue.objects.create(year=year, number=number)
        Article(issue=issue, title=title, body="正文。").save_and_index()
        issue.publish(at=now)
    assert found(client, issue="2015-50") == ["二〇一五年第五〇期"]
    assert found(client, issue="2014-150") == ["二〇一四年第一五〇期"]
    assert found(client, year="2014") == ["二〇一四年第一五〇期"]
    assert client.get("/issues/2014/150/").status_code == 200
