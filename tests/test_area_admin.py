"""Article areas edited on the page's admin form, over HTTP: the rows the area
editor fills (the same rows an editor without JavaScript types in)."""

import pytest

from articles.models import Article, ArticleArea
from magazine.models import Issue
from sections.models import Section
from tests.admin_forms import unchanged_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    issue = Issue.objects.create(year=2017, number=2)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "本期策划")])
    page = Section.objects.get(issue=issue, code="02")
    Article.objects.create(
        issue=issue, section=issue.sections.get(code="01"), title="卷首", body="正文"
    )
    for title in ("城市的河", "山里的学校"):
        Article.objects.create(issue=issue, section=page, title=title, body="正文")
    return page


def url(page):
    return f"/admin/sections/section/{page.pk}/change/"


def form_with(client, page, rows):
    data = unchanged_post_data(client.get(url(page)))
    initial = int(data["areas-INITIAL_FORMS"])
    for number, row in enumerate(rows, start=initial):
        for key, value in row.items():
            data[f"areas-{number}-{key}"] = str(value)
        data[f"areas-{number}-section"] = str(page.pk)
    data["areas-TOTAL_FORMS"] = str(initial + len(rows))
    return data


def story(title):
    return Article.objects.get(title=title)


def test_the_pages_own_articles_are_offered_first(client, editor, page):
    form = client.get(url(page)).context["inline_admin_formsets"][1].formset.empty_form
    titles = [label for value, label in form.fields["article"].choices if value]
    assert titles == ["城市的河", "山里的学校", "卷首"]


def test_an_editor_adds_moves_and_deletes_areas(client, editor, page):
    river, school = story("城市的河"), story("山里的学校")
    data = form_with(
        client,
        page,
        [
            {"article": river.pk, "x": 0.05, "y": 0.1, "w": 0.9, "h": 0.4},
            {"article": school.pk, "x": 0.05, "y": 0.55, "w": 0.9, "h": 0.4},
        ],
    )
    assert client.post(url(page), data).status_code == 302
    assert sorted(page.areas.values_list("article__title", "y")) == [
        ("城市的河", 0.1),
        ("山里的学校", 0.55),
    ]
    assert ArticleArea.history.filter(history_user=editor).count() == 2

    data = unchanged_post_data(client.get(url(page)))
    rows = {data[f"areas-{n}-article"]: n for n in range(2)}
    data[f"areas-{rows[str(river.pk)]}-x"] = "0.1"  # moved
    data[f"areas-{rows[str(river.pk)]}-w"] = "0.5"  # and narrower
    data[f"areas-{rows[str(school.pk)]}-DELETE"] = "on"
    assert client.post(url(page), data).status_code == 302
    assert list(page.areas.values_list("article__title", "x", "w")) == [("城市的河", 0.1, 0.5)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"x": 0.6, "y": 0.1, "w": 0.5, "h": 0.2}, "热区超出了版面的右边缘。"),
        ({"x": 0.1, "y": 0.9, "w": 0.5, "h": 0.2}, "热区超出了版面的下边缘。"),
        ({"x": 1.5, "y": 0.1, "w": 0.1, "h": 0.2}, "小于或等于1"),
    ],
    ids=["right", "bottom", "over-one"],
)
def test_an_area_off_the_page_is_refused_and_nothing_saved(client, editor, page, row, message):
    river = story("城市的河")
    data = form_with(
        client,
        page,
        [
            {"article": river.pk, "x": 0, "y": 0, "w": 0.5, "h": 0.5},
            {"article": river.pk, **row},
        ],
    )
    response = client.post(url(page), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ArticleArea.objects.exists()


def test_an_article_of_another_issue_cannot_be_picked(client, editor, page):
    other = Issue.objects.create(year=2017, number=3)
    stranger = Article.objects.create(issue=other, title="别期文章", body="正文")
    data = form_with(client, page, [{"article": stranger.pk, "x": 0, "y": 0, "w": 0.5, "h": 0.5}])
    response = client.post(url(page), data)
    assert response.status_code == 200
    assert not ArticleArea.objects.exists()


def test_the_form_reads_the_article_choices_once_however_many_areas(client, editor, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    river = story("城市的河")
    client.get(url(page))  # the editor has it open already (their presence is a row)

    def queries_with(count):
        ArticleArea.objects.filter(section=page).delete()
        ArticleArea.objects.bulk_create(
            ArticleArea(section=page, article=river, x=0.0, y=n / 20, w=0.5, h=0.04)
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(page))
        assert response.content.count(b'name="areas-') > count * 4
        return len(captured)

    assert queries_with(2) == queries_with(12)
