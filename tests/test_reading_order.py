"""Article.reading_index stays the issue's reading order through every kind of write,
and the one-statement article read (for_reading) gives what the ORM would."""

import datetime

import pytest
from django.utils import timezone

from articles import placement
from articles.models import Article
from magazine.models import Issue
from sections.models import Section
from tests.test_public_site import build_issue, read_for_page
from tests.textfiles import article_bytes

pytestmark = pytest.mark.django_db


def assert_numbered(*issues):
    for issue in issues:
        expected = list(issue.articles.in_reading_order().values_list("id", flat=True))
        numbered = list(issue.articles.order_by("reading_index").values_list("id", "reading_index"))
        assert numbered == [(pk, n) for n, pk in enumerate(expected)], issue.key


def on(issue, code):
    return issue.sections.get(code=code)


def test_new_articles_are_numbered_wherever_they_land(issue_with_pages):
    issue = issue_with_pages
    Section.objects.create(issue=issue, code="0001", name="封面", position=0)
    Article.objects.create(
        issue=issue, section=on(issue, "11"), position=5, title="后", body="正文。"
    )
    Article.objects.create(
        issue=issue, section=on(issue, "0001"), position=3, title="前", body="正文。"
    )
    Article.objects.create(issue=issue, title="未排版", body="正文。")
    assert_numbered(issue)
    assert issue.articles.get(title="前").reading_index == 0


def test_moving_an_article_on_its_page_or_to_another_page(issue_with_pages):
    issue = issue_with_pages
    moved = issue.articles.filter(section__code="10").last()
    moved.position = 0
    moved.section = on(issue, "01")
    moved.save()
    assert_numbered(issue)
    moved.section = None
    moved.save(update_fields=["section"])
    assert_numbered(issue)


def test_moving_or_deleting_a_page_renumbers_its_articles(issue_with_pages):
    issue = issue_with_pages
    page = on(issue, "01")
    page.position = 99
    page.save()
    assert_numbered(issue)
    on(issue, "10").delete()  # its articles become unplaced
    assert_numbered(issue)
    assert issue.articles.filter(section=None).count() == 2


def test_deleting_articles_closes_the_gap(issue_with_pages):
    issue = issue_with_pages
    issue.articles.filter(section__code="10").first().delete()
    assert_numbered(issue)
    issue.articles.filter(section__code="11").delete()
    assert_numbered(issue)


def test_moving_an_article_to_another_issue_renumbers_both(issue_with_pages):
    issue = issue_with_pages
    other = build_issue(2014, 6)
    moved = issue.articles.filter(section__code="01").first()
    moved.issue, moved.section = other, None
    moved.save()
    assert_numbered(issue, other)


def test_bulk_writes_keep_djangos_meaning_and_renumber_is_called_after_them(issue_with_pages):
    # Bulk writes send no signal and renumber nothing: who moves articles or
    # pages that way calls reading_order.renumber() after, as the import does.
    from articles.reading_order import renumber

    issue = issue_with_pages
    Article.objects.bulk_create(
        Article(
            issue=issue, section=on(issue, "01"), position=10 - n, title=f"批{n}", body="正文。"
        )
        for n in range(3)
    )
    assert issue.articles.filter(reading_index=None).count() == 3  # not numbered by itself
    renumber({issue.pk})
    assert_numbered(issue)
    articles = list(issue.articles.all())
    for n, article in enumerate(articles):
        article.position = len(articles) - n
    Article.objects.bulk_update(articles, ["position"])
    renumber({issue.pk})
    assert_numbered(issue)
    issue.articles.filter(section__code="11").update(section=None)
    renumber({issue.pk})
    assert_numbered(issue)
    issue.sections.filter(code="9901").update(position=0)
    renumber({issue.pk})
    assert_numbered(issue)
    pages = list(issue.sections.all())
    for page in pages:
        page.position = 100 - page.position
    Section.objects.bulk_update(pages, ["position"])
    renumber({issue.pk})
    assert_numbered(issue)


def test_placing_articles_on_a_page(issue_with_pages):
    issue = issue_with_pages
    placement.place_on(issue.articles.filter(section__code="9901"), on(issue, "01"))
    assert_numbered(issue)


def test_editing_a_title_writes_no_order(issue_with_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = issue_with_pages.articles.first()
    article.title = "新标题"
    with CaptureQueriesContext(connection) as saving:
        article.save(update_fields=["title"])
    assert saving.captured_queries
    assert not [q for q in saving.captured_queries if "reading_index" in q["sql"]]
    article.position = 7
    with CaptureQueriesContext(connection) as moving:
        article.save(update_fields=["position"])
    assert [q for q in moving.captured_queries if "reading_index" in q["sql"]]


def test_for_reading_gives_what_the_orm_gives(issue_with_pages):
    issue = issue_with_pages
    issue.publish(at=timezone.now() - datetime.timedelta(days=1))
    for expected in issue.articles.select_related("issue", "section"):
        read = read_for_page(expected.pk)
        fields = Article._meta.concrete_fields
        assert [f.value_from_object(read) for f in fields] == [
            f.value_from_object(expected) for f in fields
        ]
        assert read.issue.published_at == issue.published_at  # a datetime on SQLite too
        for model, got, want in [(Issue, read.issue, expected.issue)] + (
            [(Section, read.section, expected.section)] if expected.section else []
        ):
            assert [f.value_from_object(got) for f in model._meta.concrete_fields] == [
                f.value_from_object(want) for f in model._meta.concrete_fields
            ]
        assert read.has_images is False


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_for_reading_keeps_unpublished_articles_from_readers(state):
    issue = build_issue(published=False)
    if state == "scheduled":
        issue.publish(at=timezone.now() + datetime.timedelta(hours=1))
    one = issue.articles.first()
    assert read_for_page(one.pk) is None
    assert read_for_page(one.pk, published_only=False).pk == one.pk
    assert read_for_page(10**9, published_only=False) is None


@pytest.fixture
def issue_with_pages():
    return build_issue()


def reading_order_reads(queries):
    # ArticleQuerySet.renumber's read of the issue's order (ids and places).
    return [q for q in queries if '"reading_index" FROM' in q["sql"]]


def test_a_batch_renumbers_each_issue_once_at_its_end(issue_with_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles import reading_order

    issue = issue_with_pages
    with CaptureQueriesContext(connection) as batch, reading_order.deferred():
        for n in range(5):
            Article.objects.create(
                issue=issue, section=on(issue, "01"), position=10 + n, title=f"批{n}", body="正文。"
            )
        assert issue.articles.filter(reading_index=None).count() == 5  # not yet
    assert len(reading_order_reads(batch.captured_queries)) == 1
    assert_numbered(issue)


def test_an_import_numbers_the_issue_once(tmp_path):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(6):
        folder = tmp_path / ("10" if n % 2 else "01")
        folder.mkdir(exist_ok=True)
        (folder / f"{n}.txt").write_bytes(article_bytes(title=f"标题{n}"))
    with CaptureQueriesContext(connection) as imported:
        call_command("import_text", str(tmp_path), "--issue", "2015-3", verbosity=0)
    issue = Issue.objects.get(year=2015, number=3)
    assert issue.articles.count() == 6
    assert len(reading_order_reads(imported.captured_queries)) == 1
    assert_numbered(issue)
