"""Areas place articles: drawing or typing an area for an unplaced article puts it on
that page, a page's order follows its areas, and the bulk action keeps printed order."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ArticleArea
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.admin_forms import unchanged_post_data
from tests.test_review import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("03", "本期策划"), ("04", "本期策划"), ("05", "人物")])
    for title in ("左边的文章", "右边的文章", "下面的文章"):
        Article.objects.create(issue=issue, title=title, body="正文。")
    return issue


@pytest.fixture
def editor():
    return account("bianji", EDITORS)


def article(title):
    return Article.objects.get(title=title)


def draw(client, page, *areas):
    """The page's form saved with these ``(title, [x, y, w, h])`` areas added."""
    url = reverse("admin:sections_section_change", args=[page.pk])
    data = unchanged_post_data(client.get(url))
    start = int(data["areas-TOTAL_FORMS"])
    for number, (title, box) in enumerate(areas, start=start):
        data[f"areas-{number}-article"] = str(article(title).pk)
        for field, value in zip("xywh", box, strict=True):
            data[f"areas-{number}-{field}"] = str(value)
    data["areas-TOTAL_FORMS"] = str(start + len(areas))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def test_an_area_for_an_unplaced_article_places_it_on_that_page(editor, issue):
    page = issue.sections.get(code="03")
    draw(editor, page, ("下面的文章", [0.05, 0.1, 0.9, 0.3]))
    placed = article("下面的文章")
    assert placed.section == page and placed.position == 1
    assert article("左边的文章").section is None  # no area, not placed


def test_the_pages_order_follows_its_areas_top_to_bottom_then_left_to_right(editor, issue):
    page = issue.sections.get(code="03")
    draw(
        editor,
        page,
        ("下面的文章", [0.05, 0.6, 0.9, 0.3]),
        ("右边的文章", [0.52, 0.1, 0.43, 0.4]),
        ("左边的文章", [0.05, 0.12, 0.43, 0.38]),
    )
    order = list(page.articles.order_by("position").values_list("title", "position"))
    assert order == [("左边的文章", 1), ("右边的文章", 2), ("下面的文章", 3)]


def test_an_article_continued_on_another_page_is_placed_where_it_starts(editor, issue):
    draw(editor, issue.sections.get(code="05"), ("下面的文章", [0.05, 0.05, 0.9, 0.2]))
    assert article("下面的文章").section.code == "05"
    draw(editor, issue.sections.get(code="04"), ("下面的文章", [0.05, 0.6, 0.9, 0.3]))
    assert article("下面的文章").section.code == "04"  # its first area is there


def test_an_article_an_editor_placed_without_an_area_is_not_moved(editor, issue):
    mine = article("左边的文章")
    mine.section = issue.sections.get(code="05")
    mine.save()
    draw(editor, issue.sections.get(code="03"), ("左边的文章", [0.05, 0.1, 0.9, 0.3]))
    assert article("左边的文章").section.code == "05"


def test_the_bulk_action_places_in_printed_order_numbering_from_1(editor, issue):
    page = issue.sections.get(code="04")
    for title, y in (("左边的文章", 0.5), ("右边的文章", 0.1)):
        ArticleArea.objects.create(article=article(title), section=page, x=0.1, y=y, w=0.8, h=0.3)
    chosen = [article(t).pk for t in ("下面的文章", "左边的文章", "右边的文章")]
    response = editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "place_on_page", "_selected_action": chosen, "section": page.pk,
         "apply": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    order = list(page.articles.order_by("position").values_list("title", "position"))
    assert order == [("右边的文章", 1), ("左边的文章", 2), ("下面的文章", 3)]


def test_importing_areas_places_their_articles(issue, tmp_path):
    path = tmp_path / "areas.json"
    path.write_text(
        json.dumps({"pages": {"05": [{"title": "右边的文章", "box": [0.1, 0.1, 0.8, 0.4]}]}}),
        encoding="utf-8",
    )
    call_command("import_areas", "--issue", "2026-12", str(path), stdout=io.StringIO())
    assert article("右边的文章").section.code == "05"
