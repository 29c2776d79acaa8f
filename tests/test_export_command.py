"""export_text writes an issue that import_text gives back whole, placement included."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from magazine.models import Issue
from sections.models import Section

pytestmark = pytest.mark.django_db


def snapshot(year, number):
    issue = Issue.objects.get(year=year, number=number)
    pages = list(issue.sections.values_list("code", "name"))
    articles = sorted(
        issue.articles.values_list("title", "kicker", "subtitle", "byline", "body", "section__code")
    )
    return pages, articles


@pytest.fixture
def full_issue(issue):
    pages = [
        ("0001", "封面"),
        ("01", "卷首语"),
        ("10", "本期策划"),
        ("11", "本期策划"),
        ("57", "博览 · 读书"),
        ("9901", "封底"),
    ]
    sections = {
        code: Section.objects.create(issue=issue, code=code, name=name, position=i)
        for i, (code, name) in enumerate(pages)
    }
    rows = [
        ("卷首语：冬藏", "", "", "文/周明远", "第一段。\n第二段。", "01"),
        (
            "护林员的四季",
            "守护绿水青山系列\n之二",
            "——记一位护林员",
            "本刊记者 沈嘉禾",
            "段落一。\n段落二。\n段落三。",
            "10",
        ),
        ("溪流/回归?", "", "", "", "没有署名的文章，第一段就是一句完整的话。\n第二段。", "10"),
        ("书页间的故乡", "", "——读书札记", "□ 林语冰", "正文。", "57"),
        ("读者来信摘编", "", "", "编辑 王小川", "来信一。\n来信二。", None),
    ]
    for position, (title, kicker, subtitle, byline, body, code) in enumerate(rows):
        Article(
            issue=issue,
            title=title,
            kicker=kicker,
            subtitle=subtitle,
            byline=byline,
            body=body,
            section=sections.get(code),
            position=position,
        ).save_and_index()
    return issue


def test_export_then_import_into_an_empty_database_round_trips(full_issue, tmp_path):
    before = snapshot(2014, 5)
    out = StringIO()
    call_command(
        "export_text", "--language", "en", str(tmp_path / "export"), "--issue", "2014-5", stdout=out
    )
    assert "2014, No. 5: 5 articles, 6 pages written" in out.getvalue()
    assert sorted(p.name for p in (tmp_path / "export").iterdir()) == [
        "01",
        "10",
        "57",
        "unplaced",
    ]
    assert (tmp_path / "export/10/002_溪流_回归_.txt").exists()

    Issue.objects.all().delete()
    call_command("import_text", str(tmp_path / "export"), "--issue", "2014-5", stdout=StringIO())

    assert snapshot(2014, 5) == before


def test_exported_file_is_utf8_with_the_whole_page_list_on_line_2(full_issue, tmp_path):
    call_command(
        "export_text", "--language", "en", str(tmp_path), "--issue", "2014-5", stdout=StringIO()
    )
    text = (tmp_path / "01/001_卷首语：冬藏.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "卷首语：冬藏"
    assert lines[1] == (
        "0001版: 封面 01版: 卷首语 10版: 本期策划 11版: 本期策划 57版: 博览 · 读书 9901版: 封底"
    )


def test_articles_the_format_cannot_express_are_written_with_a_warning(issue, tmp_path):
    Article.objects.create(issue=issue, title="同名", kicker="同名", body="正文。")
    Article.objects.create(issue=issue, title="长署名", byline="长" * 41, body="正文。")
    Article.objects.create(issue=issue, title="短段", body="短短一段")
    Article.objects.create(issue=issue, title="正常", byline="文/王芳", body="正文。")
    err = StringIO()
    call_command(
        "export_text",
        "--language",
        "en",
        str(tmp_path),
        "--issue",
        "2014-5",
        stdout=StringIO(),
        stderr=err,
    )
    warnings = err.getvalue()
    assert len(list((tmp_path / "unplaced").iterdir())) == 4
    for title in ["同名", "长署名", "短段"]:
        assert f"cannot express “{title}”" in warnings
    assert "'正常'" not in warnings


def test_export_of_a_missing_issue_is_an_error(tmp_path):
    with pytest.raises(CommandError, match=r"There is no issue 2014, No\. 5"):
        call_command("export_text", "--language", "en", str(tmp_path), "--issue", "2014-5")


def test_export_refuses_a_folder_that_is_not_empty(full_issue, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_text", "--language", "en", str(tmp_path), "--issue", "2014-5")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]


def test_unplaced_articles_are_exported_and_come_back_unplaced(issue, tmp_path):
    Article.objects.create(issue=issue, title="未排", byline="文/甲", body="正文。")
    call_command(
        "export_text",
        "--language",
        "en",
        str(tmp_path / "e"),
        "--issue",
        "2014-5",
        stdout=StringIO(),
    )
    Article.objects.all().delete()
    call_command("import_text", str(tmp_path / "e"), "--issue", "2014-5", stdout=StringIO())
    assert Article.objects.get().section is None
