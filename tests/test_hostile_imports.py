"""A corpus of hostile import files, made here: each refused or skipped on one line, nothing
written for it, the good files beside them imported, and no traceback."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError

from articles.models import Article
from tests.textfiles import article_bytes, article_text, import_text

pytestmark = pytest.mark.django_db

GOOD_TITLES = ["好文章甲", "好文章乙", "好文章丙"]
MB = 1024 * 1024


def hostile_files(folder: Path, outside: Path):
    """Write the corpus; returns the paths that must be refused or skipped."""
    valid = article_text(title="本应导入的文章").encode()
    contents = {
        "binary.txt": bytes(range(256)) * 4,
        "nul-bytes.txt": valid.replace("第一段".encode(), b"\x00\x00\x00"),
        "nul-only.txt": b"\x00" * 1000,
        "bell.txt": valid.replace("第二段".encode(), b"\x07"),
        "escape-sequence.txt": valid.replace("第二段".encode(), b"\x1b[31m"),
        "bom-in-middle.txt": valid.replace("第二段".encode(), "\ufeff".encode()),
        "mixed-utf8-gbk.txt": valid[:60] + "第二段正文是国标码。".encode("gbk") * 3,
        "utf16-no-bom.txt": article_text(title="无BOM").encode("utf-16-le"),
        "utf32.txt": article_text(title="四字节").encode("utf-32"),
        "latin1.txt": "Café déjà vu\n01: À la carte\n\nTitre\n\n  Été\n".encode("latin-1"),
        "shift-jis.txt": "日本語の記事\n01: ページ\n\nタイトル\n\n本文。\n".encode("sjis"),
        "six-megabytes.txt": valid + "正文。".encode() * (6 * MB // 9),
        "empty.txt": b"",
        "whitespace-only.txt": " \n\t\r\n\u3000\n".encode(),
        "title-only.txt": "只有标题\n".encode(),
        "no-page-list.txt": "标题\n这不是版面列表\n\n标题\n\n\u3000\u3000正文。\n".encode(),
        "page-listed-twice.txt": article_bytes(pages="01版: 卷首语 01版: ../../etc"),
        "page-name-too-long.txt": article_bytes(pages="01版: " + "名" * 200),
        "page-without-name.txt": article_bytes(pages="01版: 卷首语 02版:"),
        "blank-title.txt": article_bytes(announced=" ", title=" "),
        "long-title.txt": article_bytes(title="长" * 400),
        "no-body.txt": article_bytes(paragraphs=()),
        "html-only.txt": b"<html><script>alert(1)</script></html>",
        "cr-only-binary.txt": b"\r" * 5000 + b"\xff\xfe\xfd",
        "zip-named-txt.txt": b"PK\x03\x04" + bytes(200),
        "not-a-text-file.md": article_bytes(title="不是txt"),
        "report.docx": b"PK\x03\x04" + bytes(100),
        "program.exe": b"MZ" + bytes(100),
        "article.txt.bak": article_bytes(title="备份文件"),
        "名字\n带换行.txt": b"\x00",
        "bad-bytes-\udcff\udcfe.txt": b"\x01\x02",
        "-rf.txt": b"\x00\x01",
        "x" * 240 + ".txt": b"\xff" * 10,
    }
    paths = []
    for name, data in contents.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    deep = folder.joinpath(*[f"d{n}" for n in range(40)])
    deep.mkdir(parents=True)
    (deep / "deep-binary.txt").write_bytes(b"\x00deep")
    paths.append(deep / "deep-binary.txt")
    secret = outside / "secret.txt"
    secret.write_bytes(article_bytes(title="文件夹外的文章"))
    for name, target in [
        ("link-outside.txt", secret),
        ("link-to-etc.txt", Path("/etc/passwd")),
        ("dangling-link.txt", folder / "nowhere.txt"),
    ]:
        (folder / name).symlink_to(target)
        paths.append(folder / name)
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    paths += [folder / "loop-a.txt", folder / "loop-b.txt"]
    (folder / "a-folder.txt").mkdir()
    os.mkfifo(folder / "fifo.txt")
    paths.append(folder / "fifo.txt")
    return paths


def test_a_hostile_corpus_is_refused_file_by_file_and_the_good_files_are_imported(tmp_path):
    folder, outside = tmp_path / "batch", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    hostile = hostile_files(folder, outside)
    assert len(hostile) >= 30
    for title in GOOD_TITLES:
        (folder / f"good-{title}.txt").write_bytes(article_bytes(title=title))

    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:  # anything else would be a traceback
        import_text(str(folder), "--issue", "2014-5", out=stdout, err=stderr)
    assert refused.value.returncode == 1  # some files were refused
    out, err = stdout.getvalue(), stderr.getvalue()
    assert "Traceback" not in out + err
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted(GOOD_TITLES)
    lines = (out + err).splitlines()
    reports = [line for line in lines if line.startswith(("refused: ", "skipped: "))]
    for path in hostile:
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(path))
        mine = [line for line in reports if line.split(": ", 1)[1].startswith(shown + ":")]
        assert len(mine) == 1, (shown, mine)
        reason = mine[0][len(mine[0].split(": ", 1)[0]) + 2 + len(shown) + 2 :]
        assert reason.strip(), mine  # a reason, on that one line
    imported = [line for line in lines if line.startswith("imported: ")]
    assert len(imported) == len(GOOD_TITLES)
