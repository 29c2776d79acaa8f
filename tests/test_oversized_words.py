"""Text the importer accepts, the index accepts: no word or article too large for it.

Before, on PostgreSQL a run of 2,048 bytes of letters (3,000 ASCII letters,
840 Thai characters) or a body whose index row passed 1 MB stopped the whole
import with a traceback, and the admin answered 503. The index now cuts
words at ``grams.MAX_WORD_CHARS`` and stops an article's tokens within
PostgreSQL's limits, on both databases alike.
"""

import random
from io import StringIO

import pytest
from django.core.management import CommandError
from django.db import connection

from articles import grams
from articles.models import Article, ArticleSearch
from magazine.models import Issue
from tests.textfiles import article_bytes, import_text

pytestmark = pytest.mark.django_db

LETTERS = "a" * 3000
THAI = "ภาษาไทย" * 120  # 840 Thai characters, one run of letters: 2,520 bytes


def many_distinct_words(count=20_000, length=60, seed=7):
    rng = random.Random(seed)
    return " ".join("".join(rng.choices("abcdefghijklmnop", k=length)) for _ in range(count))


HUGE_INDEX = many_distinct_words()  # 1.2 MB of distinct words: a tsvector over 1 MB


def write_files(folder):
    bodies = {
        "一个很长的字母串": f"开头{LETTERS}结尾。",
        "泰文长句": f"泰文：{THAI}。",
        "索引超过一兆": HUGE_INDEX,
        "寻常文章": "干部群众一起服务。",
    }
    for number, (title, body) in enumerate(bodies.items()):
        (folder / f"{number}.txt").write_bytes(article_bytes(title=title, paragraphs=[body]))
    return bodies


def test_an_import_of_oversized_words_imports_every_file(tmp_path, client):
    bodies = write_files(tmp_path)
    out, err = StringIO(), StringIO()
    import_text(str(tmp_path), "--issue", "2014-5", out=out, err=err)
    assert err.getvalue() == ""
    assert "4 imported, 0 updated, 0 skipped, 0 refused (4 files)" in out.getvalue()
    issue = Issue.objects.get()
    assert sorted(issue.articles.values_list("title", flat=True)) == sorted(bodies)
    assert ArticleSearch.objects.count() == 4
    issue.publish()

    def titles(q):
        return [hit.title for hit in client.get("/search/", {"q": q}).context["articles"]]

    assert titles("干部") == ["寻常文章"]
    assert titles("结尾") == ["一个很长的字母串"]
    assert titles(LETTERS[:200]) == ["一个很长的字母串"]  # the index holds its first 200
    assert titles(THAI[:200]) == ["泰文长句"]
    first_word = HUGE_INDEX.split()[0]
    assert titles(first_word) == ["索引超过一兆"]


def test_index_tokens_stay_within_postgresqls_limits():
    fields = ["标题", "副题 文/王芳", HUGE_INDEX + " " + LETTERS]
    kept = grams.index_tokens(fields)
    assert kept[0] == ["标题"] and kept[1] == ["副题", "文", "王芳"]
    body = kept[2]
    assert 0 < len(body) < len(grams.tokens(fields[2]))  # cut, not dropped
    assert sum(len(t.encode()) + 4 for t in set(body)) + 2 * len(body) <= grams.MAX_INDEX_BYTES
    assert max(len(t.encode()) for t in grams.tokens(THAI)) <= 2047
    assert grams.tokens(LETTERS) == ["a" * grams.MAX_WORD_CHARS]
    # SQLite is given the very same tokens.
    assert grams.fts5_columns(fields)[2].split() == body


@pytest.mark.postgresql
def test_postgresql_reads_the_largest_vector_the_index_writes():
    vector = grams.tsvector([("标题", "A"), ("", "B"), (HUGE_INDEX * 3, "D")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(%s::tsvector)", [vector])
        (size,) = cursor.fetchone()
    assert 900_000 < size < 1_048_576


def test_an_oversized_body_saved_in_the_admin_is_stored(admin_client):
    issue = Issue.objects.create(year=2014, number=5)
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            "issue": str(issue.pk),
            "position": "0",
            "title": "后台的长字母串",
            "body": f"开头{LETTERS}结尾。",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Article.objects.get().search is not None


@pytest.mark.postgresql
def test_one_files_unexpected_database_error_is_its_refusal_and_the_rest_go_on(tmp_path):
    # A real error of the database, of the kind the word-length limit raised
    # (SQLSTATE 54000, an OperationalError), for one title only.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_one_title() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.title = '数据库拒绝的文章' THEN
                    RAISE EXCEPTION 'word is too long (2100 bytes, max 2047 bytes)'
                        USING ERRCODE = 'program_limit_exceeded';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse_one_title BEFORE INSERT ON articles_article
            FOR EACH ROW EXECUTE FUNCTION test_refuse_one_title();
            """
        )
    for number, title in enumerate(["第一篇", "数据库拒绝的文章", "第三篇"]):
        (tmp_path / f"{number}.txt").write_bytes(article_bytes(title=title))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:
        import_text(str(tmp_path), "--issue", "2014-5", out=out, err=err)
    assert refused.value.returncode == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("refused: ") and "1.txt: could not be stored: " in lines[0]
    assert "OperationalError: word is too long" in lines[0] and "Traceback" not in err.getvalue()
    assert "2 imported, 0 updated, 0 skipped, 1 refused (3 files)" in out.getvalue()
    assert sorted(Article.objects.values_list("title", flat=True)) == ["第一篇", "第三篇"]


@pytest.mark.postgresql
def test_a_statement_the_database_refuses_is_not_called_an_outage(rf):
    from django.db import DatabaseError, transaction

    from infra.health import DatabaseUnavailableMiddleware, is_outage

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT %s::tsvector", [f"'{'a' * 2100}'"])
    except DatabaseError as error:
        statement_error = error
    assert not is_outage(statement_error)
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), statement_error) is None
