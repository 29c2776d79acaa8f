"""import_text: files and folders, placement, duplicates, --update, --dry-run, refusals."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Author
from magazine.models import Issue
from sections.models import Section
from tests.textfiles import PAGES, article_bytes, import_text

pytestmark = pytest.mark.django_db


def run(*args, expect_refusals=False):
    out, err = StringIO(), StringIO()
    if expect_refusals:
        with pytest.raises(CommandError) as excinfo:
            call_command("import_text", "--language", "en", *map(str, args), stdout=out, stderr=err)
        assert excinfo.value.returncode == 1
    else:
        call_command("import_text", "--language", "en", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(path: Path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def database_state():
    return (
        list(Issue.objects.values_list("year", "number", "published_at")),
        list(Section.objects.values_list("issue__number", "code", "name", "position")),
        list(Article.objects.values_list("title", "section__code", "body")),
    )


def test_imports_a_file_into_a_new_draft_issue_with_its_pages(tmp_path):
    path = write(tmp_path / "a.txt", article_bytes(byline="本刊记者 陈晓 通讯员 林一帆"))
    out, err = run(path, "--issue", "2014-5")

    issue = Issue.objects.get(year=2014, number=5)
    assert issue.published_at is None
    assert list(issue.sections.values_list("code", flat=True)) == [
        "0001",
        "01",
        "02",
        "10",
        "11",
        "9901",
    ]
    article = issue.articles.get()
    assert article.title == "一条老街的新生"
    assert article.section is None
    assert article.paragraphs == ["第一段正文。", "第二段正文。"]
    assert sorted(article.authors.values_list("name", flat=True)) == ["林一帆", "陈晓"]
    assert f"imported: {path}: 一条老街的新生 (unplaced)" in out
    assert "2014, No. 5: 1 imported, 0 updated, 0 skipped, 0 refused (1 file)" in out
    assert err == ""


def test_folder_is_searched_recursively_for_txt_files_only(tmp_path):
    write(tmp_path / "a.txt", article_bytes(title="甲"))
    write(tmp_path / "deep/er/b.TXT", article_bytes(title="乙"))
    write(tmp_path / "notes.md", article_bytes(title="丙"))
    write(tmp_path / "cover.jpg", b"\xff\xd8\xff")
    run(tmp_path, "--issue", "2014-5")
    assert sorted(Article.objects.values_list("title", flat=True)) == ["乙", "甲"]


def test_a_batch_of_good_and_bad_files(tmp_path):
    write(tmp_path / "1_good.txt", article_bytes(title="好文章一"))
    bad_binary = write(tmp_path / "2_binary.txt", bytes(range(256)))
    bad_pages = write(tmp_path / "3_pages.txt", article_bytes(title="坏页", pages="目录 01版: 卷"))
    write(tmp_path / "4_good.txt", article_bytes(title="好文章二"))
    empty = write(tmp_path / "5_empty.txt", b"")

    out, err = run(tmp_path, "--issue", "2014-5", expect_refusals=True)

    assert sorted(Article.objects.values_list("title", flat=True)) == ["好文章一", "好文章二"]
    assert f"refused: {bad_binary}: cannot be read" in err
    assert f"refused: {bad_pages}: line 2: “" in err and "stands before the first page" in err
    assert f"refused: {empty}: the file is empty" in err
    assert "2 imported, 0 updated, 0 skipped, 3 refused (5 files)" in out
    assert len(err.strip().splitlines()) == 3  # one line a refused file, no traceback


def test_a_bad_first_file_creates_no_issue(tmp_path):
    write(tmp_path / "bad.txt", b"\x00\x01")
    run(tmp_path, "--issue", "2014-5", expect_refusals=True)
    assert not Issue.objects.exists()


def test_reimport_is_skipped_without_duplicate(tmp_path):
    path = write(tmp_path / "a.txt", article_bytes())
    run(path, "--issue", "2014-5")
    out, _ = run(path, "--issue", "2014-5")
    assert Article.objects.count() == 1
    assert (
        f"skipped: {path}: already in 2014, No. 5 (--update, or 替换 in the admin, replaces it)"
        in out
    )
    assert "0 imported, 0 updated, 1 skipped" in out


def test_the_same_title_twice_in_one_batch_is_skipped_the_second_time(tmp_path):
    write(tmp_path / "a.txt", article_bytes(paragraphs=("版本一。",)))
    write(tmp_path / "b.txt", article_bytes(paragraphs=("版本二。",)))
    out, _ = run(tmp_path, "--issue", "2014-5")
    assert Article.objects.get().body == "版本一。"
    assert "1 imported, 0 updated, 1 skipped" in out


def test_update_replaces_the_text_and_keeps_the_placement(tmp_path):
    path = write(tmp_path / "a.txt", article_bytes(byline="文/王芳"))
    run(path, "--issue", "2014-5", "--page", "10")
    write(path, article_bytes(byline="文/李四", paragraphs=("改过的正文。",)))

    out, _ = run(path, "--issue", "2014-5", "--update")

    article = Article.objects.get()
    assert article.body == "改过的正文。"
    assert article.byline == "文/李四"
    assert list(article.authors.values_list("name", flat=True)) == ["李四"]
    assert article.section.code == "10"
    assert "0 imported, 1 updated, 0 skipped" in out


def test_update_of_an_unchanged_file_is_reported_as_unchanged(tmp_path):
    path = write(tmp_path / "a.txt", article_bytes())
    run(path, "--issue", "2014-5")
    out, _ = run(path, "--issue", "2014-5", "--update")
    assert f"skipped: {path}: unchanged" in out


def test_dry_run_reports_everything_and_writes_nothing(tmp_path):
    write(tmp_path / "a.txt", article_bytes(title="甲"))
    write(tmp_path / "b.txt", article_bytes(title="甲"))
    write(tmp_path / "c.txt", b"\x00")
    before = database_state()

    out, err = run(tmp_path, "--issue", "2014-5", "--dry-run", expect_refusals=True)

    assert database_state() == before
    assert not Issue.objects.exists()
    assert (
        "Dry run, nothing written: 2014, No. 5: would import 1, update 0, skip 1, refuse 1" in out
    )
    # What would happen, not what did: nothing was written.
    assert "would import:" in out and "would skip:" in out and "would refuse:" in err
    assert "imported:" not in out


def test_dry_run_of_an_update_changes_nothing(tmp_path):
    path = write(tmp_path / "a.txt", article_bytes())
    run(path, "--issue", "2014-5")
    write(path, article_bytes(paragraphs=("新的正文。",)))
    before = database_state()
    out, _ = run(path, "--issue", "2014-5", "--update", "--dry-run")
    assert "would update:" in out and "update 1" in out
    assert database_state() == before


def test_page_option_places_on_a_known_page_in_file_order(tmp_path):
    write(tmp_path / "1.txt", article_bytes(title="第一篇"))
    write(tmp_path / "2.txt", article_bytes(title="第二篇"))
    run(tmp_path, "--issue", "2014-5", "--page", "10")
    placed = Article.objects.filter(section__code="10").order_by("position")
    assert list(placed.values_list("title", flat=True)) == ["第一篇", "第二篇"]


def test_page_option_with_an_unknown_page_refuses_the_file(tmp_path):
    path = write(tmp_path / "a.txt", article_bytes())
    _, err = run(path, "--issue", "2014-5", "--page", "77", expect_refusals=True)
    assert f"refused: {path}: 2014, No. 5 has no page 77" in err
    assert not Article.objects.exists()
    assert not Issue.objects.exists()


def test_page_option_may_name_a_page_the_file_itself_adds(tmp_path):
    path = write(tmp_path / "a.txt", article_bytes(pages="01版: 卷首语 64版: 读者之声"))
    run(path, "--issue", "2014-5", "--page", "64")
    assert Article.objects.get().section.name == "读者之声"


def test_malformed_page_option_is_an_error():
    with pytest.raises(CommandError, match="page code"):
        call_command(
            "import_text", "--language", "en", "x.txt", "--issue", "2014-5", "--page", "../1"
        )


@pytest.mark.parametrize("value", ["2014", "2014-0", "abc", "2014-5-1", "2014-10000"])
def test_malformed_issue_option_is_an_error(value):
    with pytest.raises(CommandError, match="issue"):
        call_command("import_text", "--language", "en", "x.txt", "--issue", value)


def test_subfolder_named_after_a_page_code_places_the_article(tmp_path):
    write(tmp_path / "10/a.txt", article_bytes(title="策划一"))
    write(tmp_path / "10/b.txt", article_bytes(title="策划二"))
    write(tmp_path / "unplaced/c.txt", article_bytes(title="待排"))
    write(tmp_path / "misc/d.txt", article_bytes(title="杂项"))
    run(tmp_path, "--issue", "2014-5")
    placement = dict(Article.objects.values_list("title", "section__code"))
    assert placement == {"策划一": "10", "策划二": "10", "待排": None, "杂项": None}
    positions = Article.objects.filter(section__code="10").order_by("position")
    assert list(positions.values_list("title", flat=True)) == ["策划一", "策划二"]


def test_new_pages_are_added_after_existing_ones_and_never_renamed(tmp_path, issue):
    Section.objects.create(issue=issue, code="01", name="卷首语", position=1)
    Section.objects.create(issue=issue, code="05", name="特别报道", position=2)
    path = write(tmp_path / "a.txt", article_bytes(pages="02版: 目录 01版: 卷首语 03版: 专题"))
    run(path, "--issue", "2014-5")
    assert list(issue.sections.values_list("code", "name")) == [
        ("01", "卷首语"),
        ("05", "特别报道"),
        ("02", "目录"),
        ("03", "专题"),
    ]


def test_page_list_conflicting_with_the_issue_is_refused_and_writes_nothing(tmp_path, issue):
    Section.objects.create(issue=issue, code="10", name="特别报道", position=1)
    before = database_state()
    path = write(tmp_path / "a.txt", article_bytes(pages="09版: 新页 10版: 本期策划"))
    _, err = run(path, "--issue", "2014-5", expect_refusals=True)
    assert f"refused: {path}: line 2: page 10 is “本期策划” here but “特别报道”" in err
    assert database_state() == before  # page 09 was not added either


def test_missing_path_is_refused_and_others_go_on(tmp_path):
    good = write(tmp_path / "a.txt", article_bytes())
    missing = tmp_path / "nope.txt"
    _, err = run(missing, good, "--issue", "2014-5", expect_refusals=True)
    assert f"refused: {missing}: no such file or folder" in err
    assert Article.objects.count() == 1


def test_oversized_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    _, err = run(big, "--issue", "2014-5", expect_refusals=True)
    assert "larger than 5 MiB (6,291,456 bytes)" in err


def test_symlink_leading_outside_the_folder_is_skipped(tmp_path):
    outside = write(tmp_path / "outside/secret.txt", article_bytes(title="外面"))
    inside = tmp_path / "inside"
    write(inside / "a.txt", article_bytes(title="里面"))
    (inside / "link.txt").symlink_to(outside)
    out, _ = run(inside, "--issue", "2014-5")
    assert list(Article.objects.values_list("title", flat=True)) == ["里面"]
    assert f"skipped: {inside / 'link.txt'}: a symlink pointing outside the folder given" in out


def test_quiet_run_prints_only_refusals(tmp_path):
    write(tmp_path / "a.txt", article_bytes())
    write(tmp_path / "b.txt", b"\x00")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        import_text(str(tmp_path), "--issue", "2014-5", verbosity=0, out=out, err=err)
    assert out.getvalue() == ""
    assert err.getvalue().count("refused:") == 1


def test_command_line_exit_status_and_progress(tmp_path):
    """The real command line: exit 1 on a refusal, 0 otherwise, no traceback."""
    import os
    import subprocess
    import sys

    write(tmp_path / "good.txt", article_bytes())
    write(tmp_path / "bad.txt", b"\x00")
    # A database of its own: the suite's test database belongs to pytest-django.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=_project()
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "import_text", str(tmp_path), "--issue", "2014-5"],
        env=env,
        capture_output=True,
        text=True,
        cwd=_project(),
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # In the interface's language (LANGUAGE_CODE) when no --language is given.
    assert "已拒绝：" in result.stderr and "已导入：" in result.stdout
    again = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_text",
            str(tmp_path / "good.txt"),
            "--issue",
            "2014-5",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=_project(),
    )
    assert again.returncode == 0


def _project():
    return Path(__file__).resolve().parent.parent


def test_pages_constant_is_a_valid_page_list():
    from articles.textformat import parse_page_list

    assert len(parse_page_list(PAGES)) == 6


def test_authors_are_shared_across_articles(tmp_path):
    write(tmp_path / "a.txt", article_bytes(title="甲", byline="文/王芳"))
    write(tmp_path / "b.txt", article_bytes(title="乙", byline="□ 王芳"))
    run(tmp_path, "--issue", "2014-5")
    assert Author.objects.get(name="王芳").articles.count() == 2


class Terminal(StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_for_many_files(tmp_path):
    for n in range(25):
        write(tmp_path / f"{n:02d}.txt", article_bytes(title=f"文章{n}"))
    out, err = Terminal(), Terminal()
    import_text(str(tmp_path), "--issue", "2014-5", out=out, err=err)
    assert "/25 [" in err.getvalue() and "file/s" in err.getvalue()
    assert out.getvalue().count("imported:") == 25


def test_no_progress_bar_when_not_on_a_terminal(tmp_path):
    for n in range(25):
        write(tmp_path / f"{n:02d}.txt", article_bytes(title=f"文章{n}"))
    out, err = run(tmp_path, "--issue", "2014-5")
    assert err == "" and out.count("imported:") == 25


def test_load_demo_imports_publishes_and_prints_accounts():
    from django.contrib.auth.models import User

    out = StringIO()
    call_command("load_demo", "--language", "en", stdout=out)
    published = Issue.objects.published()
    assert published.count() == 2
    assert Article.objects.filter(issue__in=published).count() >= 10
    assert Article.objects.filter(section__isnull=False).exists()
    editor = User.objects.get(username="editor")
    chief = User.objects.get(username="chief")
    assert editor.is_staff and not editor.has_perm("magazine.publish_issue")
    assert chief.has_perm("magazine.publish_issue")
    text = out.getvalue()
    assert "username 'editor', password '" in text and "username 'chief'" in text
    password = text.split("username 'editor', password '")[1].split("'")[0]
    assert editor.check_password(password)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_import_gives_what_a_single_process_gives(tmp_path):
    for folder in ["10", "11", "unplaced"]:
        for n in range(8):
            write(tmp_path / folder / f"{n:02d}.txt", article_bytes(title=f"{folder}-{n}"))
    write(tmp_path / "10" / "dup.txt", article_bytes(title="10-3"))  # a duplicate title
    write(tmp_path / "11" / "bad.txt", b"\x00")
    out, err = run(tmp_path, "--issue", "2014-5", "--jobs", "2", expect_refusals=True)
    assert err.count("refused:") == 1 and "bad.txt" in err
    assert "24 imported, 0 updated, 1 skipped, 1 refused (26 files)" in out
    for code in ["10", "11"]:
        titles = Article.objects.filter(section__code=code).order_by("position")
        assert list(titles.values_list("title", flat=True)) == [f"{code}-{n}" for n in range(8)]
    assert Article.objects.filter(section__isnull=True).count() == 8
    assert Section.objects.count() == 6
    # The workers left the reading order to the parent, which numbered it at the end.
    issue = Issue.objects.get(year=2014, number=5)
    expected = list(issue.articles.in_reading_order().values_list("pk", flat=True))
    numbered = issue.articles.order_by("reading_index").values_list("pk", "reading_index")
    assert list(numbered) == [(pk, n) for n, pk in enumerate(expected)]


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(CommandError, match="--jobs"):
        call_command(
            "import_text", "--language", "en", str(tmp_path), "--issue", "2014-5", "--jobs", "0"
        )
