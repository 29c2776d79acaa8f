"""The admin's pages run as many queries with many rows as with few: the article list
(with who is editing), the issue's page (its pages, marked), the dashboard (jobs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleArea
from jobs.models import Job, JobKind, JobState
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS
from sections.models import Section
from tests.test_review import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief():
    return account("zhubian", CHIEF_EDITORS)


def queries(client, url):
    client.get(url)  # warm: the user's presence row, caches of content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def make(count):
    issue = Issue.objects.create(year=2026, number=count)
    Section.objects.merge(issue, [(f"{n:02}", f"版名{n % 3}") for n in range(1, count + 1)])
    pages = list(issue.sections.all())
    for n in range(count):
        article = Article.objects.create(
            issue=issue, section=pages[n], title=f"文章{n}", byline="文/林晓", body="正文。"
        )
        ArticleArea.objects.create(article=article, section=pages[n], x=0.1, y=0.1, w=0.5, h=0.5)
        Job.objects.create(
            kind=JobKind.IMPORT,
            title="t",
            permission="articles.add_article",
            state=JobState.DONE,
            title_message={"code": "import.title", "params": {"issue": issue.key, "count": 1}},
        )
    return issue


def test_the_article_list_costs_the_same_with_2_and_20_articles(chief):
    few, many = make(2), make(20)
    url = reverse("admin:articles_article_changelist")
    assert queries(chief, f"{url}?issue__id__exact={few.pk}") == queries(
        chief, f"{url}?issue__id__exact={many.pk}"
    )


def test_the_issues_page_costs_the_same_with_2_and_20_pages(chief):
    few, many = make(2), make(20)
    change = "admin:magazine_issue_change"
    assert queries(chief, reverse(change, args=[few.pk])) == queries(
        chief, reverse(change, args=[many.pk])
    )


def test_the_dashboard_costs_the_same_with_2_and_20_jobs(chief):
    make(2)
    first = queries(chief, reverse("admin:index"))
    make(20)
    assert queries(chief, reverse("admin:index")) == first
