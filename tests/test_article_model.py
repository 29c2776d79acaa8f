import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Author
from sections.models import Section

pytestmark = pytest.mark.django_db


def make_article(issue, title="标题", **fields):
    fields.setdefault("body", "第一段。")
    return Article.objects.create(issue=issue, title=title, **fields)


def test_title_identifies_an_article_within_its_issue(make_issue):
    first, second = make_issue(2014, 5), make_issue(2014, 6)
    make_article(first, "同一个标题")
    make_article(second, "同一个标题")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(first, "同一个标题")
    assert first.articles.count() == 1


def test_database_refuses_an_empty_title(issue):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(issue, "")
    assert not Article.objects.exists()


def test_clean_refuses_a_page_of_another_issue(make_issue):
    mine, other = make_issue(2014, 5), make_issue(2014, 6)
    foreign_page = Section.objects.create(issue=other, code="01", name="卷首语")
    article = Article(issue=mine, section=foreign_page, title="错版", body="正文")
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "section" in excinfo.value.message_dict


def test_clean_accepts_a_page_of_its_own_issue(issue):
    page = Section.objects.create(issue=issue, code="01", name="卷首语")
    Article(issue=issue, section=page, title="对版", body="正文").full_clean()


def test_clean_refuses_a_body_without_paragraphs(issue):
    with pytest.raises(ValidationError) as excinfo:
        Article(issue=issue, title="空", body=" \n\u3000\n").full_clean()
    assert "body" in excinfo.value.message_dict


def test_body_is_stored_one_paragraph_a_line_without_indentation(issue):
    article = make_article(issue, body="\u3000\u3000第一段。\r\n\r\n  第二段。\n\t第三段。  \n")
    article.refresh_from_db()
    assert article.body == "第一段。\n第二段。\n第三段。"
    assert article.paragraphs == ["第一段。", "第二段。", "第三段。"]


def test_reading_order_is_page_order_then_position_then_unplaced(issue):
    late = Section.objects.create(issue=issue, code="02", name="后", position=2)
    early = Section.objects.create(issue=issue, code="01", name="前", position=1)
    make_article(issue, "未排版")
    make_article(issue, "后版一", section=late, position=1)
    make_article(issue, "前版二", section=early, position=2)
    make_article(issue, "前版一", section=early, position=1)
    titles = list(issue.articles.in_reading_order().values_list("title", flat=True))
    assert titles == ["前版一", "前版二", "后版一", "未排版"]


def test_deleting_a_page_unplaces_its_articles(issue):
    page = Section.objects.create(issue=issue, code="01", name="卷首语")
    article = make_article(issue, section=page)
    page.delete()
    article.refresh_from_db()
    assert article.section is None and not article.is_placed


def test_published_articles_follow_their_issue(make_issue):
    draft = make_issue(2014, 1)
    live = make_issue(2014, 2, published_at=timezone.now())
    make_article(draft, "草稿文章")
    shown = make_article(live, "公开文章")
    assert list(Article.objects.published()) == [shown]


def test_sync_authors_links_names_from_the_byline(issue):
    article = make_article(issue, byline="本刊记者 陈晓 通讯员 林一帆")
    article.sync_authors()
    assert sorted(article.authors.values_list("name", flat=True)) == ["林一帆", "陈晓"]

    article.byline = "文/陈晓"
    article.save()
    article.sync_authors()
    assert list(article.authors.values_list("name", flat=True)) == ["陈晓"]
    assert Author.objects.count() == 2  # 林一帆 stays for other articles; no duplicate 陈晓
