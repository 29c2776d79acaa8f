"""Search in Chinese, on whichever database the suite runs (CI runs both)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleSearch
from articles.search import Query, excerpt, highlight, one_line, search
from magazine.models import Issue
from sections.models import Section
from tests.admin_forms import signed_version

pytestmark = pytest.mark.django_db


def make_issue(year=2014, number=5, published=True):
    return Issue.objects.create(
        year=year, number=number, published_at=timezone.now() if published else None
    )


def add(issue, title, body="正文。", byline="", kicker="", section=None):
    article = Article(
        issue=issue, title=title, body=body, byline=byline, kicker=kicker, section=section
    )
    article.save_and_index()
    return article


@pytest.fixture
def archive():
    old = make_issue(2013, 12)
    new = make_issue(2014, 5)
    draft = make_issue(2014, 6, published=False)
    plan = Section.objects.create(issue=new, code="10", name="本期策划", position=1)
    Section.objects.create(issue=old, code="10", name="本期策划", position=1)
    letters = Section.objects.create(issue=old, code="20", name="基层来信", position=2)
    return {
        "cadres": add(
            new, "组工干部走基层", "温州鹿城区组工干部深入一线。", "文/滕将华", section=plan
        ),
        "economy": add(old, "县域经济发展新路子", "推动经济发展，服务群众。", "本刊记者 陈晓"),
        "apart": add(old, "经济与发展", "经济，发展，各有其道。", "文/王芳", section=letters),
        "body_only": add(new, "山区的课堂", "老师说：干部要带头。", "本刊记者 陈晓 通讯员 林一帆"),
        "draft": add(draft, "草稿里的干部", "干部经济发展。", "文/陈晓"),
    }


def found(query_text, **kwargs):
    rows = search(ArticleSearch.objects.published(), Query(query_text), **kwargs)
    return set(rows.values_list("article__title", flat=True))


def ordered(query_text, field="article__title", **kwargs):
    rows = search(ArticleSearch.objects.published(), Query(query_text), **kwargs)
    return list(rows.values_list(field, flat=True))


def test_two_character_word_is_found_inside_longer_words(archive):
    assert found("干部") == {"组工干部走基层", "山区的课堂"}


def test_a_longer_word_must_occur_as_written(archive):
    assert found("经济发展") == {"县域经济发展新路子"}
    assert found("组工干部") == {"组工干部走基层"}


def test_several_words_are_all_required(archive):
    assert found("经济 发展") == {"县域经济发展新路子", "经济与发展"}
    assert found("干部 温州") == {"组工干部走基层"}
    assert found("干部 经济") == set()


def test_a_quoted_phrase_is_one_term(archive):
    assert found('"经济发展"') == {"县域经济发展新路子"}


def test_names_in_bylines_are_found(archive):
    assert found("陈晓") == {"县域经济发展新路子", "山区的课堂"}
    assert found("林一帆") == {"山区的课堂"}


def test_latin_letters_and_digits(archive):
    issue = make_issue(2015, 1)
    add(issue, "GDP增长5%的背后", "2014年全年GDP增长。")
    assert found("gdp") == {"GDP增长5%的背后"}
    assert found("GDP增长") == {"GDP增长5%的背后"}


def test_no_match(archive):
    assert found("宇宙飞船") == set()


def test_drafts_are_never_found(archive, client):
    assert "草稿里的干部" not in found("干部")
    html = client.get("/search/", {"q": "草稿"}).content.decode()
    assert "草稿里的干部" not in html


def test_a_single_character_is_looked_for_in_titles(archive):
    assert found("山") == {"山区的课堂"}
    assert Query("山").titles_only


def test_a_single_character_with_a_word_narrows_the_word(archive):
    assert found("干部 温") == {"组工干部走基层"}


def test_relevance_puts_title_matches_first(archive):
    issue = make_issue(2015, 2)
    add(issue, "新的一天", "干部" * 1 + "在田间。")
    add(issue, "干部的故事", "正文。")
    titles = ordered("干部", relevance=True)
    assert titles.index("干部的故事") < titles.index("新的一天")


def test_default_order_is_newest_issue_first(archive):
    numbers = ordered("经济", field="article__issue__number")
    assert numbers == sorted(numbers, reverse=True)
    assert ordered("经济 发展", field="article__issue__year") == [2013, 2013]
    assert ordered("陈晓", field="article__issue__year") == [2014, 2013]


def marked_html(parts):
    """Highlighted parts as the results list writes them (the ``marked`` macro)."""
    from django.template import engines

    template = '{% import "includes/macros.html" as m %}{{ m.marked(parts) }}'
    return engines["jinja2"].from_string(template).render({"parts": parts})


def test_highlight_and_excerpt_escape_and_mark():
    assert (
        marked_html(highlight("<b>组工干部</b>", ["干部"]))
        == "&lt;b&gt;组工<mark>干部</mark>&lt;/b&gt;"
    )
    text = "前" * 200 + "干部" + "后" * 200
    passage = marked_html(excerpt(text, ["干部"], length=60))
    assert "<mark>干部</mark>" in passage
    assert passage.startswith("…") and passage.endswith("…")
    assert len(passage) < 120


# The search page


def test_search_page_highlights_the_words(archive, client):
    response = client.get("/search/", {"q": "干部"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "组工<mark>干部</mark>走基层" in html
    assert "老师说：<mark>干部</mark>要带头。" in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"year": "2013"}, {"县域经济发展新路子", "经济与发展"}),
        ({"issue": "2014-5"}, {"组工干部走基层", "山区的课堂"}),
        ({"section": "本期策划"}, {"组工干部走基层"}),
        ({"author": "陈晓"}, {"县域经济发展新路子", "山区的课堂"}),
        ({"q": "经济", "year": "2013", "section": "基层来信"}, {"经济与发展"}),
        ({"q": "干部", "author": "林一帆"}, {"山区的课堂"}),
    ],
)
def test_each_filter_alone_and_combined(archive, client, params, expected):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert {a.title for a in response.context["articles"]} == expected


def test_the_issue_filter_lists_the_published_issues_newest_first(archive, client):
    html = client.get("/search/").content.decode()
    listed = re.findall(r'<option value="(\d+-\d+)">([^<]+)</option>', html)
    published = Issue.objects.published().latest_first()
    assert listed == [(issue.key, str(issue)) for issue in published]
    assert all(not issue.is_published() for issue in Issue.objects.exclude(
        pk__in=[i.pk for i in published]))  # fmt: skip


def test_snippets_join_chinese_paragraphs_without_a_space():
    assert one_line("第一段话。\n第二段话。") == "第一段话。第二段话。"
    assert one_line("in English.\nNext line") == "in English. Next line"
    assert one_line("中文。\nEnglish") == "中文。 English"


def test_filters_list_newest_first_without_words(archive, client):
    response = client.get("/search/", {"author": "陈晓"})
    assert [a.title for a in response.context["articles"]] == ["山区的课堂", "县域经济发展新路子"]


def test_empty_search_lists_nothing_and_explains(archive, client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "articles" not in response.context
    assert (
        "all of them must occur"
        in client.get("/search/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_pagination_keeps_the_filters(client):
    issue = make_issue(2014, 5)
    for n in range(25):
        add(issue, f"干部故事第{n}篇", "正文。")
    response = client.get("/search/", {"q": "干部", "year": "2014"})
    html = response.content.decode()
    assert "?q=%E5%B9%B2%E9%83%A8&amp;year=2014&amp;page=2" in html
    second = client.get("/search/", {"q": "干部", "year": "2014", "page": "2"})
    assert len(second.context["articles"]) == 5
    assert second.context["next_page"] is None and second.context["previous_page"] == 1
    assert second.context["count"] == 25 and second.context["count_exact"]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"干部',
        "%",
        "干部%",
        "\\",
        "干\\部",
        "'; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "a" * 1000,
        "干部\x00",
        "AND OR NOT ( ) * ^ :",
        "NEAR(干部 经济)",
        "!!! ??? ...",
        "   ",
        "&|<->!",
    ],
)
def test_odd_queries_never_fail(archive, client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Article.objects.count() == 5


@pytest.mark.parametrize(
    "params",
    [
        {"year": "99999999999999999999"},
        {"year": "abc"},
        {"issue": "2014"},
        {"issue": "99999-99999"},
        {"issue": "2014-6"},  # a draft: not among the choices
        {"section": "不存在"},
        {"page": "999"},
        {"page": "abc"},
        {"sort": "whatever"},
        {"author": "x" * 500},
    ],
)
def test_odd_filters_answer_400_or_an_empty_page(archive, client, params):
    response = client.get("/search/", params)
    assert response.status_code in (200, 400, 404)


# Author pages


def test_author_page_lists_published_articles_across_issues(archive, client):
    response = client.get("/authors/陈晓/")
    assert response.status_code == 200
    titles = [a.title for a in response.context["articles"]]
    assert titles == ["山区的课堂", "县域经济发展新路子"]
    assert "草稿里的干部" not in response.content.decode()


def test_author_page_is_404_for_unknown_or_draft_only_authors(archive, client):
    draft = Issue.objects.get(number=6)
    add(draft, "只在草稿里", "正文。", "文/赵六")
    assert client.get("/authors/赵六/").status_code == 404
    assert client.get("/authors/没有这个人/").status_code == 404


def test_bylines_link_to_author_pages(archive, client):
    html = client.get(archive["body_only"].get_absolute_url()).content.decode()
    assert '本刊记者 <a href="/authors/%E9%99%88%E6%99%93/">陈晓</a>' in html
    assert '通讯员 <a href="/authors/%E6%9E%97%E4%B8%80%E5%B8%86/">林一帆</a>' in html


# The index is kept current by the same code that saves articles


def test_an_admin_edit_updates_the_index(archive, client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="pw"))
    article = archive["cadres"]
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "issue": article.issue_id,
            "version": signed_version(article),
            "section": article.section_id,
            "position": 0,
            "title": "组工人员走基层",
            "body": "换了说法，没有那个词。",
            "byline": "文/滕将华",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert "组工人员走基层" not in found("干部")
    assert found("换了说法") == {"组工人员走基层"}


def test_import_and_update_keep_the_index_current(tmp_path):
    from tests.textfiles import article_bytes

    path = tmp_path / "a.txt"
    path.write_bytes(article_bytes(title="秋收时节话粮安", paragraphs=("粮食安全是国之大者。",)))
    call_command("import_text", str(path), "--issue", "2014-5", stdout=StringIO())
    Issue.objects.get().publish()
    assert found("粮食安全") == {"秋收时节话粮安"}
    path.write_bytes(article_bytes(title="秋收时节话粮安", paragraphs=("种粮农民有奔头。",)))
    call_command("import_text", str(path), "--issue", "2014-5", "--update", stdout=StringIO())
    assert found("粮食安全") == set()
    assert found("种粮农民") == {"秋收时节话粮安"}


def test_deleting_an_article_removes_it_from_the_index(archive):
    archive["cadres"].delete()
    assert found("组工") == set()
    assert not ArticleSearch.objects.filter(article_id=archive["cadres"].pk).exists()


def test_renumbering_an_issue_moves_its_articles_in_the_order(archive):
    old = Issue.objects.get(year=2013, number=12)
    old.year, old.number = 2015, 1
    old.save()
    assert ordered("经济", field="article__issue")[0] == old.pk


def test_rebuild_command_restores_a_lost_index(archive):
    ArticleSearch.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO articles_search_fts(articles_search_fts) VALUES ('rebuild')"
            )
    assert found("干部") == set()
    out = StringIO()
    call_command("rebuild_search_index", "--language", "en", stdout=out)
    assert "5 articles indexed" in out.getvalue()
    assert found("干部") == {"组工干部走基层", "山区的课堂"}


# A fixed number of queries


def test_search_page_queries_do_not_grow_with_results(client):
    counts = []
    for number, n in [(1, 2), (2, 150)]:
        Issue.objects.all().delete()
        issue = make_issue(2014, number)
        page = Section.objects.create(issue=issue, code="10", name="本期策划", position=1)
        for i in range(n):
            add(issue, f"干部文章{i}", "正文里的干部。", "文/王芳", section=page)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "干部", "year": "2014"}).status_code == 200
        counts.append(len(captured))
    # The number depends on how PostgreSQL is told to fetch (a few SET
    # statements), never on how many rows match.
    assert counts[1] <= counts[0] <= 17, counts


def test_publishing_and_withdrawing_reach_the_index(archive):
    draft = Issue.objects.get(number=6)
    assert "草稿里的干部" not in found("干部")
    draft.publish()
    assert "草稿里的干部" in found("干部")
    draft.withdraw()
    assert "草稿里的干部" not in found("干部")
    draft.publish(at=timezone.now() + timezone.timedelta(hours=1))
    assert "草稿里的干部" not in found("干部")
    rows = ArticleSearch.objects.filter(article__issue=draft)
    later = timezone.now() + timezone.timedelta(hours=2)
    assert rows.published(now=later).count() == 1


def test_the_count_is_exact_for_few_matches_and_about_for_many(client):
    issue = make_issue(2014, 5)
    for n in range(30):
        add(issue, f"文章{n}", "乡村振兴的故事。" if n % 2 else "乡村的振兴。")
    response = client.get("/search/", {"q": "乡村振兴"})
    assert response.context["count"] == 15 and response.context["count_exact"]
    assert len(response.context["articles"]) == 15


@pytest.mark.parametrize("text", ["干部", "经济发展", "陈晓", "经济 发展", "干部 温"])
def test_both_ways_of_fetching_give_the_same_rows(archive, text):
    """Walking newest-first (dense) and asking the index (sparse) agree."""
    base = ArticleSearch.objects.published()
    dense = list(search(base, Query(text), dense=True).values_list("pk", flat=True))
    sparse = list(search(base, Query(text), dense=False).values_list("pk", flat=True))
    assert dense == sparse and dense


def test_counting_candidates_leaves_the_planner_as_it_was(archive):
    from articles.search import count_candidates

    base = ArticleSearch.objects.published()
    assert count_candidates(search(base, Query("经济发展"), phrases=False), 100) == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql  # planner settings
def test_planner_settings_end_with_an_outermost_block():
    # Outside any transaction the block's own commit ends SET LOCAL.
    from articles.sql import through_the_index

    def settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
            )
            return cursor.fetchone()

    assert not connection.in_atomic_block
    with through_the_index():
        assert settings() == ("off", "off")
    assert settings() == ("on", "on")
