"""Who else is here: an open change form names the others who have it open, in the
form and in the list; a heartbeat keeps an editor present; no lock is taken."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from editorial.models import Presence
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.test_review import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("03", "本期策划")])
    for title in ("城市的河", "乡村的路"):
        Article.objects.create(issue=issue, title=title, body="正文。")
    return issue


@pytest.fixture
def lin():
    return account("linxiao", EDITORS)


@pytest.fixture
def wang():
    return account("wangfang", EDITORS)


def banner(response):
    found = re.search(r'<div class="presence"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    return found.group(1).strip() if found else None


def test_an_open_form_names_the_editor_who_opened_it_before(issue, lin, wang):
    article = issue.articles.first()
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert banner(lin.get(url)) == ""  # nobody else yet
    Presence.objects.update(opened_at=timezone.now() - datetime.timedelta(minutes=2))
    assert banner(wang.get(url)) == "linxiao 正在编辑此文章，2 分钟前打开"
    # Lin's page hears of Wang at the next heartbeat.
    beat = lin.post(reverse("admin:articles_article_presence", args=[article.pk]))
    assert beat.json()["others"] == "wangfang 正在编辑此文章，刚刚打开"


def test_three_missed_heartbeats_and_leaving_end_the_presence(issue, lin, wang):
    article = issue.articles.first()
    url = reverse("admin:articles_article_change", args=[article.pk])
    lin.get(url)
    Presence.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=91))
    assert banner(wang.get(url)) == ""
    presence = reverse("admin:articles_article_presence", args=[article.pk])
    lin.post(presence)
    assert "linxiao" in wang.post(presence).json()["others"]
    lin.post(presence, {"leaving": "1"})
    assert wang.post(presence).json()["others"] == ""


def test_the_list_names_who_is_editing_each_row(issue, lin, wang):
    article = issue.articles.first()
    lin.get(reverse("admin:articles_article_change", args=[article.pk]))
    listed = wang.get(reverse("admin:articles_article_changelist")).content.decode()
    assert re.search(r'<td class="field-editing_now">linxiao</td>', listed)


def test_a_heartbeat_for_what_the_user_may_not_change_is_refused(issue):
    from django.test import Client

    guest = User.objects.create_user("guest", password="pw", is_staff=True)
    client = Client()
    client.force_login(guest)
    article = issue.articles.first()
    response = client.post(reverse("admin:articles_article_presence", args=[article.pk]))
    assert response.status_code == 403
    assert not Presence.objects.exists()
    presence = reverse("admin:articles_article_presence", args=[article.pk])
    assert client.get(presence).status_code in (403, 405)


def test_a_heartbeat_needs_the_csrf_token(issue, lin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="linxiao"))
    article = issue.articles.first()
    response = client.post(reverse("admin:articles_article_presence", args=[article.pk]))
    assert response.status_code == 403 and not Presence.objects.exists()


def test_presence_in_the_list_costs_one_query_however_many_are_here(
    issue,
    lin,
    wang,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:articles_article_changelist")
    with CaptureQueriesContext(connection) as alone:
        wang.get(url)
    for article in issue.articles.all():
        lin.get(reverse("admin:articles_article_change", args=[article.pk]))
    with CaptureQueriesContext(connection) as together:
        wang.get(url)
    assert len(together.captured_queries) == len(alone.captured_queries)
