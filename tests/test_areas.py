"""Article areas (热区): the database's rules, and the JSON of import_areas/export_areas."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from articles import areas
from articles.models import Article, ArticleArea
from magazine.models import Issue
from sections.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2016, number=4)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "本期策划"), ("03", "观察")])
    return issue


def page(issue, code):
    return Section.objects.get(issue=issue, code=code)


def article(issue, title, code="02"):
    return Article.objects.create(issue=issue, section=page(issue, code), title=title, body="正文")


def area(article, section, box):
    x, y, w, h = box
    return ArticleArea.objects.create(article=article, section=section, x=x, y=y, w=w, h=h)


@pytest.mark.parametrize(
    "box",
    [
        (-0.1, 0, 0.5, 0.5),
        (0, 1.2, 0.1, 0.1),
        (0.6, 0, 0.5, 0.2),
        (0, 0.7, 0.2, 0.4),
        (0, 0, 0, 0.2),
    ],
    ids=["x-below-0", "y-above-1", "past-right-edge", "past-bottom", "empty"],
)
def test_the_database_refuses_an_area_outside_the_page(issue, box):
    story = article(issue, "城市的河")
    with pytest.raises(IntegrityError), transaction.atomic():
        area(story, page(issue, "02"), box)
    assert not ArticleArea.objects.exists()


def test_the_database_refuses_a_page_of_another_issue(issue):
    other = Issue.objects.create(year=2016, number=5)
    Section.objects.merge(other, [("02", "本期策划")])
    story = article(issue, "城市的河")
    with pytest.raises(IntegrityError), transaction.atomic():
        area(story, page(other, "02"), (0.1, 0.1, 0.3, 0.3))
    assert not ArticleArea.objects.exists()


def test_an_area_touching_the_edges_and_one_article_on_two_pages(issue):
    story = article(issue, "城市的河")
    area(story, page(issue, "02"), (0.5, 0.5, 0.5, 0.5))
    area(story, page(issue, "02"), (0.0, 0.0, 0.5, 0.2))
    area(story, page(issue, "03"), (0.1, 0.1, 0.8, 0.3))  # 转版: continued on page 03
    assert story.areas.count() == 3
    assert set(story.areas.values_list("section__code", flat=True)) == {"02", "03"}


def test_areas_have_history(issue):
    story = article(issue, "城市的河")
    spot = area(story, page(issue, "02"), (0.1, 0.1, 0.3, 0.3))
    spot.w = 0.4
    spot.save()
    spot.delete()
    assert [record.history_type for record in ArticleArea.history.order_by("history_id")] == [
        "+",
        "~",
        "-",
    ]


def test_export_to_standard_output(issue):
    area(article(issue, "城市的河"), page(issue, "02"), (0.1, 0.2, 0.3, 0.4))
    out = io.StringIO()
    call_command("export_areas", "--issue", issue.key, "-", stdout=out)
    assert json.loads(out.getvalue()) == {
        "pages": {"02": [{"title": "城市的河", "box": [0.1, 0.2, 0.3, 0.4]}]}
    }


def test_export_then_import_gives_the_same_areas(issue, tmp_path):
    first, second = article(issue, "“面对面”问计于民 “实打实”解决问题"), article(issue, "城市的河")
    area(first, page(issue, "02"), (0.05, 0.1, 0.9, 0.45))
    area(second, page(issue, "02"), (0.05, 0.6, 0.9, 0.35))
    area(second, page(issue, "03"), (0.1, 0.1, 0.8, 0.3))
    target = tmp_path / "areas.json"
    call_command("export_areas", "--issue", issue.key, str(target), stdout=io.StringIO())
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["pages"]["02"][0] == {
        "title": "“面对面”问计于民 “实打实”解决问题",
        "box": [0.05, 0.1, 0.9, 0.45],
    }
    before = sorted(ArticleArea.objects.values_list("article_id", "section_id", "x", "y", "w", "h"))
    ArticleArea.objects.all().delete()
    call_command("import_areas", "--issue", issue.key, str(target), stdout=io.StringIO())
    after = sorted(ArticleArea.objects.values_list("article_id", "section_id", "x", "y", "w", "h"))
    assert after == before


def test_an_import_replaces_the_areas_of_the_pages_it_names_only(issue, tmp_path):
    story = article(issue, "城市的河")
    area(story, page(issue, "02"), (0.1, 0.1, 0.3, 0.3))
    kept = area(story, page(issue, "03"), (0.2, 0.2, 0.3, 0.3))
    target = tmp_path / "areas.json"
    target.write_text(json.dumps({"pages": {"02": [{"title": "城市的河", "box": [0, 0, 1, 0.5]}]}}))
    call_command("import_areas", "--issue", issue.key, str(target), stdout=io.StringIO())
    assert list(page(issue, "02").areas.values_list("x", "y", "w", "h")) == [(0, 0, 1, 0.5)]
    assert list(page(issue, "03").areas.all()) == [kept]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("{not json", "not JSON"),
        ({"areas": []}, 'expected {"pages"'),
        ({"pages": {"77": []}}, "page 77: issue 2016-4 has no such page"),
        ({"pages": {"02": {"title": "x"}}}, "page 02: expected a list of areas"),
        (
            {"pages": {"02": [{"title": "无此文", "box": [0, 0, 0.5, 0.5]}]}},
            "page 02, area 1: issue 2016-4 has no article '无此文'",
        ),
        (
            {"pages": {"02": [{"title": "城市的河", "box": [0, 0, 1.5, 0.5]}]}},
            "page 02, area 1: box [0, 0, 1.5, 0.5] is outside 0-1",
        ),
        (
            {"pages": {"02": [{"title": "城市的河", "box": [0.6, 0, 0.5, 0.5]}]}},
            "goes past the page's edge",
        ),
        (
            {"pages": {"02": [{"title": "城市的河", "box": [0, 0, "1", 0.5]}]}},
            "box must be four numbers",
        ),
        ({"pages": {"02": [{"title": "城市的河"}]}}, 'expected {"title": ..., "box"'),
    ],
    ids=["json", "shape", "page", "list", "title", "outside", "edge", "numbers", "keys"],
)
def test_a_bad_file_is_refused_whole_with_the_reason(issue, tmp_path, document, reason):
    story = article(issue, "城市的河")
    area(story, page(issue, "03"), (0.2, 0.2, 0.3, 0.3))
    good = {"title": "城市的河", "box": [0, 0, 0.5, 0.5]}
    if isinstance(document, dict) and "pages" in document and "77" not in document["pages"]:
        document["pages"]["03"] = [good]  # a good page before the bad one: not written either
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    target = tmp_path / "areas.json"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_areas", "--issue", issue.key, str(target), stdout=io.StringIO())
    assert reason in str(refused.value) and str(target) in str(refused.value)
    assert list(ArticleArea.objects.values_list("x", "y", "w", "h")) == [(0.2, 0.2, 0.3, 0.3)]


def test_parse_names_the_area_that_is_wrong(issue):
    article(issue, "城市的河")
    data = {"pages": {"02": [{"title": "城市的河", "box": [0, 0, 0.5, 0.5]}] * 2}}
    data["pages"]["02"].append({"title": "城市的河", "box": [0, 0, 0.5, 2]})
    with pytest.raises(areas.AreasRefused, match="page 02, area 3"):
        areas.parse(json.dumps(data), issue)
