"""The author index (/authors/): pinyin order with surnames read as surnames."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.author_index import author_index, read_name
from articles.models import Article
from magazine.models import Issue

pytestmark = pytest.mark.django_db

SURNAMES = [
    ("曾乐", "zēng", "Z"),
    ("单田芳", "shàn", "S"),
    ("解缙", "xiè", "X"),
    ("仇英", "qiú", "Q"),
    ("区家麟", "ōu", "O"),
    ("朴树", "piáo", "P"),
    ("查良镛", "zhā", "Z"),
    ("盖叫天", "gě", "G"),
    ("乐嘉", "yuè", "Y"),
    ("尉迟恭", "yùchí", "Y"),
    ("万俟卨", "mòqí", "M"),
]


@pytest.mark.parametrize("name, surname, initial", SURNAMES)
def test_surnames_are_read_as_surnames(name, surname, initial):
    reading = read_name(name)
    assert reading.pinyin.split()[0] == surname
    assert reading.initial == initial


def test_the_given_name_keeps_its_ordinary_reading():
    # 乐 as a surname is yuè; in a given name it is read as pypinyin reads it.
    assert read_name("曾乐").pinyin == "zēng lè"
    assert read_name("尉迟恭").surname == "尉迟" and read_name("尉迟恭").pinyin == "yùchí gōng"


@pytest.mark.parametrize(
    ("name", "read"),
    [("吴子墨", "wú zǐ mò"), ("王子涵", "wáng zǐ hán"), ("曾子轩", "zēng zǐ xuān"),
     ("李乐乐", "lǐ lè lè"), ("张长青", "zhāng cháng qīng")],
)  # fmt: skip
def test_a_given_name_is_never_read_in_a_suffixs_neutral_tone(name, read):
    # pypinyin reads 子 as the suffix of 桌子 (zi); in a name it is zǐ.
    assert read_name(name).pinyin == read


def test_names_sort_by_letters_then_tones_then_characters():
    names = ["张三", "曾乐", "查良镛", "陈晓", "阿来", "艾青", "David Li", "·某"]
    groups = author_index([(name, 1) for name in names])
    assert [(g.letter, [a.name for a in g.authors]) for g in groups] == [
        ("A", ["阿来", "艾青"]),  # ā before ài: letters a < ai
        ("C", ["陈晓"]),
        ("D", ["David Li"]),
        ("Z", ["曾乐", "查良镛", "张三"]),  # zeng < zha < zhang
        ("#", ["·某"]),
    ]


def test_the_same_letters_go_by_tone():
    names = [("烫一", 1), ("唐一", 1), ("倘一", 1), ("汤一", 1), ("谈一", 1)]
    # tán before tāng (letters first), then tāng táng tǎng tàng.
    assert [a.name for a in author_index(names)[0].authors] == [
        "谈一",
        "汤一",
        "唐一",
        "倘一",
        "烫一",
    ]


def publish_articles(issue, bylines):
    for n, byline in enumerate(bylines):
        article = Article(issue=issue, title=f"文章{issue.number}-{n}", byline=byline, body="正文")
        article.save_and_index()


def test_the_index_page_counts_published_articles_only(client):
    published = Issue.objects.create(year=2015, number=1, published_at=timezone.now())
    draft = Issue.objects.create(year=2015, number=2)
    publish_articles(published, ["文/曾乐", "文/曾乐", "本刊记者 查良镛 通讯员 单田芳"])
    publish_articles(draft, ["文/曾乐", "文/草稿作者"])
    response = client.get("/authors/")
    page = response.content.decode()
    assert response.status_code == 200
    groups = response.context["groups"]
    counts = {a.name: a.article_count for g in groups for a in g.authors}
    assert counts == {"曾乐": 2, "查良镛": 1, "单田芳": 1}  # no draft author, no draft article
    assert "草稿作者" not in page
    assert '<a href="#letter-S">S</a>' in page and '<a href="#letter-Z">Z</a>' in page
    assert '<span aria-hidden="true">B</span>' in page  # no author under B
    assert 'href="/authors/%E6%9B%BE%E4%B9%90/"' in page or 'href="/authors/曾乐/"' in page
    assert 'href="/authors/"' in client.get("/").content.decode()  # linked from the header


@pytest.mark.parametrize("authors", [5, 500])
def test_the_index_runs_the_same_queries_however_many_authors(client, authors):
    issue = Issue.objects.create(year=2015, number=1, published_at=timezone.now())
    publish_articles(issue, [f"文/作者{n:03d}" for n in range(authors)])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/authors/")
    assert sum(len(g.authors) for g in response.context["groups"]) == authors
    assert len(queries) == 1


def test_the_list_is_kept_as_a_fragment_until_what_readers_see_changes(client, settings):
    settings.FRAGMENT_CACHE_ENABLED = True  # the page cache stays off: each page is rendered
    issue = Issue.objects.create(year=2015, number=1, published_at=timezone.now())
    publish_articles(issue, ["文/曾乐", "文/查良镛"])
    first = client.get("/authors/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/authors/").content.decode()
    assert again == first and len(queries) == 0  # the list from its fragment, no query
    Article(issue=issue, title="新来的", byline="文/单田芳", body="正文").save_and_index()
    assert "单田芳" in client.get("/authors/").content.decode()
    assert "单田芳" not in first
