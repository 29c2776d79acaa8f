"""Inputs that used to end in a 500 get a one-line refusal and write nothing: a NUL
character anywhere in a request, an area of a new page for another issue's article,
an article with areas moved to another issue."""

import pytest
from django.contrib.auth.models import User

from articles.models import Article, ArticleArea
from magazine.models import Issue
from sections.models import Section
from tests.test_editorial_admin import article_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues():
    published = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(published, [("01", "卷首语"), ("10", "本期策划")])
    article = Article(
        issue=published, section=published.sections.get(code="10"), title="河", byline="文/滕将华"
    )
    article.body = "正文。"
    article.save_and_index()
    published.publish()
    other = Issue.objects.create(year=2014, number=6)
    Section.objects.merge(other, [("01", "卷首语")])
    return published, other


@pytest.mark.usefixtures("issues")
@pytest.mark.parametrize(
    "url",
    [
        "/search/?author=%E6%BB%95%E5%B0%87%E8%8F%AF%00",  # 滕將華 and NUL: a lookup by name
        "/search/?author=%00",
        "/zh-hant/search/?section=%00",
        "/authors/%E6%BB%95%E5%B0%87%E8%8F%AF%00/",
        "/admin/articles/article/?q=%00",
    ],
)
def test_a_nul_character_in_an_address_is_a_400_in_one_line(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.content.decode().count("\n") == 0
    assert "NUL" in response.content.decode()


@pytest.mark.usefixtures("issues")
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/issues/2014/5/pages/%00/",
        "/api/v1/issues/2014/5/pages/0%001/",
        "/api/v1/search/?author=%E6%BB%95%E5%B0%87%E8%8F%AF%00",
    ],
)
def test_a_nul_character_on_the_api_is_a_json_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_nul_character_in_a_login_is_refused_and_counts_nothing(client):
    from axes.models import AccessAttempt

    User.objects.create_user("bianji", password="pw", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "bian\x00ji", "password": "pw"}
    )
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()


def test_a_new_pages_area_for_another_issues_article_is_a_form_error(admin_client, issues):
    published, other = issues
    article = published.articles.get()
    response = admin_client.post(
        "/admin/sections/section/add/",
        {
            "issue": other.pk,
            "position": "5",
            "code": "20",
            "name": "新版面",
            "articles-TOTAL_FORMS": "0",
            "articles-INITIAL_FORMS": "0",
            "areas-TOTAL_FORMS": "1",
            "areas-INITIAL_FORMS": "0",
            "areas-0-article": article.pk,
            "areas-0-x": "0.1",
            "areas-0-y": "0.1",
            "areas-0-w": "0.5",
            "areas-0-h": "0.5",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The article belongs to another issue than this page." in response.content.decode()
    assert not Section.objects.filter(code="20").exists() and not ArticleArea.objects.exists()


def test_moving_an_article_with_areas_to_another_issue_is_a_form_error(admin_client, issues):
    published, other = issues
    article = published.articles.get()
    ArticleArea.objects.create(article=article, section=article.section, x=0.1, y=0.1, w=0.5, h=0.5)
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, issue=str(other.pk), section=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The article has areas on pages 10 of its issue" in response.content.decode()
    article.refresh_from_db()
    assert article.issue == published and article.areas.count() == 1
