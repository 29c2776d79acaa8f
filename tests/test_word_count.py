"""字数: counted as printers count it, on the article form, the list and the contents."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.word_count import IssueWordCounts, word_count
from magazine.models import Issue
from sections.models import Section

# Counted by hand: full-width characters one each, half-width ones half
# (rounded up over the text), spaces and line breaks nothing.
SAMPLES = [
    ("", 0),
    ("城市的河", 4),
    ("“你好，世界！”", 8),  # the quotes and the full-width signs count
    ("用Python写作", 6),  # 3 Han + 6 letters / 2
    ("2026年12月", 5),  # 2 Han + 6 digits / 2
    ("Hello, world.", 6),  # 12 half-width signs, the space nothing
    ("一行\n二行\u3000三", 5),  # a line break and an ideographic space: nothing
    ("……——·", 5),
    ("a", 1),  # half a square still takes a square
    ("第3版", 3),  # 2 Han + 1 digit, rounded up
    ("𠀋字", 2),  # outside the BMP: one character, not two
]


@pytest.mark.parametrize("text, count", SAMPLES)
def test_word_counts_as_hand_counted(text, count):
    assert word_count(text) == count


@pytest.fixture
def issue(db):
    issue = Issue.objects.create(year=2016, number=4)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "本期策划"), ("03", "文化")])
    first, second = issue.sections.get(code="01"), issue.sections.get(code="02")
    body = "城市的河\n“你好，世界！”"
    Article.objects.create(issue=issue, section=first, title="卷首", body=body)
    Article.objects.create(issue=issue, section=second, title="甲", body="用Python写作", position=1)
    Article.objects.create(issue=issue, section=second, title="乙", body="2026年12月", position=2)
    Article.objects.create(issue=issue, title="未排", body="Hello, world.")
    return issue


def test_an_issue_counts_per_page_and_in_all(issue, django_assert_num_queries):
    issue = Issue.objects.get(pk=issue.pk)
    with django_assert_num_queries(2):
        contents = IssueWordCounts(issue)
    pages = [(page.code, [a.title for a, _ in rows], n) for page, rows, n in contents.pages]
    assert pages == [("01", ["卷首"], 12), ("02", ["甲", "乙"], 11), ("03", [], 0)]
    assert [(a.title, n) for a, n in contents.unplaced] == [("未排", 6)]
    assert contents.total == 29 and contents.article_count == 4


def test_the_admin_shows_the_counts(db, client, editor, issue):
    page = client.get(reverse("admin:magazine_issue_contents", args=[issue.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "共 4 篇文章，29 字。" in text
    assert '<td class="number">11</td>' in text and "未排" in text
    listing = client.get(f"/admin/articles/article/?issue__id__exact={issue.pk}")
    assert "<th" in listing.content.decode() and "字数" in listing.content.decode()
    assert '<td class="field-words">12</td>' in listing.content.decode()
    article = issue.articles.get(title="甲")
    form = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert '<output id="body-word-count" for="id_body" aria-live="polite">6</output>' in form
    assert "admin/articles/word_count" in form
