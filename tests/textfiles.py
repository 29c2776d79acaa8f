"""Builders for article files in the import format, used by several test modules."""

PAGES = "0001版: 封面 01版: 卷首语 02版: 目录 10版: 本期策划 11版: 本期策划 9901版: 封底"


def article_text(
    *,
    title="一条老街的新生",
    announced=None,
    pages=PAGES,
    head=None,
    byline="文/王芳",
    paragraphs=("第一段正文。", "第二段正文。"),
    indent="\u3000\u3000",
):
    head = [title] if head is None else head
    lines = [announced or title, pages, "", *head, ""]
    if byline:
        lines += [indent + byline, ""]
    lines += [indent + p for p in paragraphs]
    return "\n".join(lines) + "\n"


def article_bytes(encoding="utf-8", newline="\n", **fields):
    return article_text(**fields).replace("\n", newline).encode(encoding)


def import_text(*args, out=None, err=None, **options):
    """``import_text`` with its lines in English, as the tests read them."""
    from io import StringIO

    from django.core.management import call_command

    out, err = out or StringIO(), err or StringIO()
    arguments = ["--language", "en", *map(str, args)]
    call_command("import_text", *arguments, stdout=out, stderr=err, **options)
    return out, err
