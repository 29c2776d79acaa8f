"""Text readers see holds no control characters, and a title is never only invisible.

Before, a byline ``文/张\\x01三`` typed in the admin made the article page and
the whole feed answer 500, and a title of zero-width spaces was accepted.
The models refuse both (validators for forms, check constraints for every
other route); the importer refuses them with a line of its own.
"""

import re
from io import StringIO

import pytest
from django.core.management import CommandError
from django.db import IntegrityError, transaction

from articles.models import Article, ArticleImage, Author
from magazine.models import Issue
from sections.models import Section
from tests.textfiles import article_bytes, import_text

pytestmark = pytest.mark.django_db

ARTICLE_FORM = {"position": "0", "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0"}


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(issue, [("01", "卷首语")])
    issue.publish()
    return issue


def post_article(admin_client, issue, **fields):
    data = {**ARTICLE_FORM, "issue": str(issue.pk), "title": "标题", "body": "正文。", **fields}
    return admin_client.post("/admin/articles/article/add/", data)


@pytest.mark.parametrize(
    "field, value, code, position",
    [
        ("byline", "文/张\x01三", "U+0001", 4),
        ("title", "标题\x07", "U+0007", 3),
        ("kicker", "引题\x1b", "U+001B", 3),
        ("body", "第一段。\n第二\x0c段。", "U+000C", 8),
        ("subtitle", "——副\x85题", "U+0085", 4),
    ],
)
def test_the_admin_refuses_control_characters_naming_field_and_place(
    admin_client, issue, field, value, code, position
):
    response = post_article(admin_client, issue, **{field: value})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    message = errors[field][0]  # names the character and where it is
    assert code in message and re.search(rf"\b{position}\b", message.replace(code, ""))
    assert not Article.objects.exists()


def test_line_breaks_and_tabs_stay_allowed_where_text_has_lines(admin_client, issue):
    response = post_article(
        admin_client, issue, kicker="第一行\r\n第二行", body="第一段\t有制表符。\r\n第二段。"
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.kicker == "第一行\n第二行" and article.paragraphs == [
        "第一段\t有制表符。",
        "第二段。",
    ]


def refused(write):
    with pytest.raises(IntegrityError, match="no_control_characters"), transaction.atomic():
        write()


def test_the_database_refuses_them_from_the_shell_and_bulk_writes(issue):
    article = Article.objects.create(issue=issue, title="好标题", byline="文/张三", body="正文。")
    refused(lambda: Article.objects.create(issue=issue, title="坏\x07标题", body="正文。"))
    refused(lambda: Article.objects.filter(pk=article.pk).update(byline="文/张\x01三"))
    # PostgreSQL's driver refuses NUL before the database sees it.
    with pytest.raises((IntegrityError, ValueError)), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(body="正\x00文")
    refused(lambda: Section.objects.filter(issue=issue).update(name="卷首\x02语"))
    refused(lambda: Issue.objects.filter(pk=issue.pk).update(cover_alt="封面\x03"))
    refused(lambda: Author.objects.create(name="张\x01三"))
    refused(
        lambda: ArticleImage.objects.create(
            article=article, image="x.jpg", alt="图\x04", caption=""
        )
    )
    article.refresh_from_db()
    assert article.byline == "文/张三"


def test_the_article_page_and_the_feed_stay_up(client, issue):
    Article.objects.create(issue=issue, title="好标题", byline="文/张三", body="正文。")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(issue=issue, title="另一篇", byline="文/张\x01三", body="正文。")
    assert client.get(Article.objects.get().get_absolute_url()).status_code == 200
    assert client.get("/feeds/latest/").status_code == 200


def test_a_page_list_with_a_control_character_is_refused_in_the_admin(admin_client, issue):
    url = f"/admin/magazine/issue/{issue.pk}/change/"
    data = {
        "year": "2014",
        "number": "5",
        "page_list": "01版: 卷首语 02版: 要\x01闻",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "U+0001" in str(response.context["adminform"].form.errors["page_list"])
    assert list(issue.sections.values_list("code", flat=True)) == ["01"]


# Titles of invisible characters only


@pytest.mark.parametrize("title", ["\u200b\u200b\u200b", " \u200d\u2060 ", "\ufeff"])
def test_a_title_of_invisible_characters_is_empty_to_the_admin(admin_client, issue, title):
    response = post_article(admin_client, issue, title=title)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["title"]
    assert not Article.objects.exists()


def test_a_file_whose_title_is_invisible_is_refused(tmp_path):
    (tmp_path / "a.txt").write_bytes(article_bytes(title="\u200b\u200b"))
    err = StringIO()
    with pytest.raises(CommandError):  # exit status 1
        import_text(str(tmp_path), "--issue", "2014-6", out=StringIO(), err=err)
    assert "a.txt: line 1: the announced title is blank" in err.getvalue()
    assert not Article.objects.exists()


def test_a_right_to_left_override_is_kept_but_escaped_in_the_report(tmp_path):
    title = "标题\u202e反向"
    (tmp_path / "a.txt").write_bytes(article_bytes(title=title))
    out = StringIO()
    import_text(str(tmp_path), "--issue", "2014-6", out=out, err=StringIO())
    assert Article.objects.get().title == title
    line = next(line for line in out.getvalue().splitlines() if line.startswith("imported: "))
    assert "\u202e" not in line and "标题\\u202e反向" in line
