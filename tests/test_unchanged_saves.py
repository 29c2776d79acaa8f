"""Saving an admin form untouched changes nothing.

The browser side of it: tests/browser/test_article_form.py.
"""

import pytest

from articles.models import Article
from magazine.models import Issue
from sections.models import Section
from tests.admin_forms import unchanged_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed():
    issue = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划")])
    issue.publish()
    page = issue.sections.get(code="10")
    first = Article.objects.create(
        issue=issue, section=page, position=2, title="甲", kicker="引题", body="正文。"
    )
    Article.objects.create(issue=issue, section=page, position=5, title="乙", body="正文。")
    return first


def fields(article):
    article.refresh_from_db()
    return (
        article.issue_id,
        article.section_id,
        article.position,
        article.kicker,
        article.title,
        article.body,
    )


def test_the_article_form_saved_untouched_keeps_the_article_placed(client, editor, placed):
    before = fields(placed)
    url = f"/admin/articles/article/{placed.pk}/change/"
    data = unchanged_post_data(client.get(url))
    assert data["section"] == str(placed.section_id)
    response = client.post(url, data)
    assert response.status_code == 302
    assert fields(placed) == before


def test_the_page_form_saved_untouched_keeps_its_articles_in_order(client, editor, placed):
    page = placed.section
    before = list(page.articles.values_list("pk", "position"))
    url = f"/admin/sections/section/{page.pk}/change/"
    response = client.post(url, unchanged_post_data(client.get(url)))
    assert response.status_code == 302
    assert list(page.articles.values_list("pk", "position")) == before


def test_the_issue_form_saved_untouched_keeps_its_pages_and_state(client, editor, placed):
    issue = placed.issue
    pages = issue.sections.values_list("pk", "code", "name", "position")
    before = (issue.published_at, list(pages))
    url = f"/admin/magazine/issue/{issue.pk}/change/"
    response = client.post(url, unchanged_post_data(client.get(url)))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.published_at, list(pages)) == before
