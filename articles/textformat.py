"""The magazine's text file format: one article a file.

Bytes in, a :class:`ParsedArticle` out, or a :class:`Refusal` that says why
(and on which line). No Django here: the import command, the admin and the
tests all use it, and it must never raise anything but :class:`Refusal`,
whatever the bytes. ``format_article`` writes the same format back.

The format (``DESIGN.md``, "The text import format"):

1. line 1: the announced title, possibly cut short with a truncation mark;
2. line 2: the issue's page list (``01版: 卷首语 02版: 目录``) or blank;
3. the head: non-indented lines up to the first indented one; the title is
   the line equal to line 1 (or else the first one starting with line 1
   minus its mark), lines before it the kicker, lines after it the subtitle;
4. the byline: the first indented line if it stands alone, is at most 40
   characters and has no sentence-ending punctuation;
5. the body: each indented line starts a paragraph, non-indented lines
   continue the one before.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from infra import characters

MAX_BYTES = 5 * 1024 * 1024
BYLINE_MAX_CHARS = 40
TITLE_MAX_CHARS = 300
PAGE_NAME_MAX_CHARS = 100
SENTENCE_END = frozenset("。！？")
INDENT = " \t\u3000"
TRUNCATION_MARKS = ("......", "……", "...", "…")
LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
# A page token: a code, 版, a colon (ASCII or full-width), optional spaces.
# It starts the line or follows white space; the name runs to the next token.
PAGE_TOKEN = re.compile(r"(?:^|(?<=\s))([0-9A-Za-z]{1,8})版[:：][ \t\u3000]*")
# What looks like a token but whose code is too long: refused, not glued onto
# the name before it.
LONG_PAGE_CODE = re.compile(r"(?:^|(?<=\s))([0-9A-Za-z]{9,})版[:：]")


class Refusal(Exception):
    """The file cannot be imported; ``reason`` says why, ``line`` where (1-based).

    ``reason`` is the commands' and reports' English; ``code`` and ``params``
    let a form say the same in the reader's language (the admin's page list).
    """

    def __init__(self, reason, line=None, code=None, **params):
        super().__init__(reason, line)
        self.reason = reason
        self.line = line
        self.code = code
        self.params = params

    def __str__(self):
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass(frozen=True)
class ParsedArticle:
    announced_title: str
    title: str
    pages: tuple = ()  # ((code, name), ...) in page order, each code once
    kicker: str = ""
    subtitle: str = ""
    byline: str = ""
    paragraphs: tuple = field(default_factory=tuple)
    encoding: str = "utf-8"

    @property
    def body(self):
        return "\n".join(self.paragraphs)


def parse(data):
    """Parse the bytes of one file; raise :class:`Refusal` if it is not an article."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise Refusal("not bytes", code="not_bytes")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise Refusal(
            f"the file is larger than 5 MiB ({len(data):,} bytes)",
            code="too_large",
            size=f"{len(data):,}",
        )
    text, encoding = decode(data)
    lines = split_lines(text)
    check_characters(lines, nonsense_check=encoding == "gb18030")
    lines = [line.rstrip() for line in lines]
    if not any(lines):
        raise Refusal("the file is empty or only white space", code="empty")

    announced = lines[0].strip()
    if characters.is_blank(announced):
        raise Refusal(
            "the announced title is blank (or only invisible characters)",
            line=1,
            code="blank_title",
        )
    pages = parse_page_list(lines[1] if len(lines) > 1 else "")

    position, head = 2, []
    while position < len(lines) and not is_indented(lines[position]):
        if lines[position]:
            head.append((position + 1, lines[position].strip()))
        position += 1

    title_index = find_title(announced, [text for _, text in head])
    if title_index is None:
        raise Refusal(
            f"no title: no line before the text matches the announced title {announced!r}",
            line=1,
            code="no_title",
            announced=announced,
        )
    title_line, title = head[title_index]
    if len(title) > TITLE_MAX_CHARS:
        raise Refusal(
            f"the title is longer than {TITLE_MAX_CHARS} characters",
            line=title_line,
            code="long_title",
            limit=TITLE_MAX_CHARS,
        )

    byline, paragraphs = parse_body(lines, position)
    if not paragraphs:
        raise Refusal(
            "no body: no indented paragraph after the title", line=title_line, code="no_body"
        )
    return ParsedArticle(
        announced_title=announced,
        title=title,
        pages=pages,
        kicker="\n".join(text for _, text in head[:title_index]),
        subtitle="\n".join(text for _, text in head[title_index + 1 :]),
        byline=byline,
        paragraphs=tuple(paragraphs),
        encoding=encoding,
    )


def decode(data):
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030."""
    if not data.strip():
        raise Refusal("the file is empty or only white space", code="empty")
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _strict(data, "gb18030"), "gb18030"
    return text, encoding


def _strict(data, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise Refusal(
            f"cannot be read as UTF-8, UTF-16 or GB18030 text "
            f"(invalid {encoding} at byte {error.start:,})",
            code="undecodable",
            encoding=encoding,
            byte=f"{error.start:,}",
        ) from None


def check_characters(lines, nonsense_check=False):
    """Refuse control characters, a stray BOM and, for GB18030, text that is nonsense."""
    for number, line in enumerate(lines, start=1):
        # Line breaks are gone by now: the rule of a single line of the models.
        found = characters.first_control_character(line)
        if found is not None:
            character = f"U+{ord(found[1]):04X}"
            raise Refusal(
                f"control character {character} in the text",
                line=number,
                code="control_character_text",
                character=character,
            )
        if "\ufeff" in line:
            raise Refusal(
                "a byte-order mark (U+FEFF) in the middle of the text", line=number, code="bom"
            )
    if nonsense_check:
        check_plausible(lines)


def check_plausible(lines):
    """GB18030 decodes almost any bytes: refuse what no one would have written."""
    odd = hanzi = common_hanzi = visible = 0
    for number, line in enumerate(lines, start=1):
        for char in line:
            if unicodedata.category(char) in ("Co", "Cn", "Cs"):
                raise Refusal(
                    f"decodes only as nonsense (U+{ord(char):04X} is not a character in use)",
                    line=number,
                    code="nonsense",
                )
            visible += not char.isspace()
            if "\u4e00" <= char <= "\u9fff":
                hanzi += 1
                common_hanzi += _is_common_hanzi(char)
            elif not _is_plain(char):
                odd += 1
    if (hanzi >= 8 and common_hanzi < hanzi / 2) or odd > visible / 10:
        raise Refusal("decodes only as nonsense in UTF-8, UTF-16 and GB18030", code="nonsense")


def _is_common_hanzi(char):
    """In GB2312's first level: the 3,755 characters of everyday Chinese."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= encoded[0] <= 0xD7


def _is_plain(char):
    code = ord(char)
    return (
        code < 0x80
        or 0xA0 <= code <= 0xFF
        or 0x2000 <= code <= 0x206F  # general punctuation: “”‘’—…
        or 0x2150 <= code <= 0x24FF  # number forms, arrows, enclosed numbers
        or 0x2500 <= code <= 0x25FF  # box drawing, geometric shapes: □ ■
        or 0x3000 <= code <= 0x303F  # CJK punctuation: 、。《》
        or 0xFF00 <= code <= 0xFFEF  # full-width forms: ，：（）
    )


def split_lines(text):
    """Lines split at LF, CRLF or CR alone (and Unicode line separators)."""
    return LINE_BREAK.split(text)


def is_indented(line):
    return bool(line) and line[0] in INDENT and bool(line.strip())


def strip_truncation_mark(text):
    for mark in TRUNCATION_MARKS:
        if text.endswith(mark):
            return text[: -len(mark)].rstrip()
    return text


def find_title(announced, head):
    for index, text in enumerate(head):
        if text == announced:
            return index
    prefix = strip_truncation_mark(announced)
    if prefix:
        for index, text in enumerate(head):
            if text.startswith(prefix):
                return index
    return None


def parse_page_list(line):
    """Line 2: ``((code, name), ...)``; blank gives ``()``."""
    text = line.strip()
    if not text:
        return ()
    found = characters.first_control_character(text)
    if found is not None:  # the file's own check has run; the admin's page list has not
        character = f"U+{ord(found[1]):04X}"
        raise Refusal(
            f"control character {character} in the page list",
            line=2,
            code="control_character",
            character=character,
        )
    too_long = LONG_PAGE_CODE.search(text)
    if too_long:
        code = too_long.group(1)
        shown = code if len(code) <= 20 else f"{code[:20]}…"
        raise Refusal(
            f"page code {shown!r} in the page list is {len(code)} characters long; "
            "a code has 1 to 8 letters or digits",
            line=2,
            code="long_code",
            page=shown,
            length=len(code),
        )
    tokens = list(PAGE_TOKEN.finditer(text))
    if not tokens:
        raise Refusal(
            "not a page list (expected tokens like 01版: 卷首语)", line=2, code="not_a_page_list"
        )
    if tokens[0].start() != 0:
        before = text[: tokens[0].start()]
        raise Refusal(
            f"text before the first page of the page list: {before!r}",
            line=2,
            code="text_before",
            text=before,
        )
    pages = {}
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        code = token.group(1)
        name = text[token.end() : following.start() if following else len(text)].strip()
        if not name:
            raise Refusal(
                f"page {code} has no name in the page list", line=2, code="no_name", page=code
            )
        if len(name) > PAGE_NAME_MAX_CHARS:
            raise Refusal(
                f"the name of page {code} is longer than {PAGE_NAME_MAX_CHARS} characters",
                line=2,
                code="long_name",
                page=code,
                limit=PAGE_NAME_MAX_CHARS,
            )
        if pages.setdefault(code, name) != name:
            raise Refusal(
                f"page {code} is listed twice with different names: {pages[code]!r} and {name!r}",
                line=2,
                code="listed_twice",
                page=code,
                first=pages[code],
                second=name,
            )
    return tuple(pages.items())


def parse_body(lines, start):
    """The byline (or "") and the paragraphs, from the first indented line on."""
    if start >= len(lines):
        return "", []
    byline = ""
    first = lines[start].lstrip(INDENT)
    stands_alone = start + 1 >= len(lines) or not lines[start + 1]
    if stands_alone and is_byline(first):
        byline, start = first, start + 1
    paragraphs = []
    for line in lines[start:]:
        if not line:
            continue
        if is_indented(line) or not paragraphs:
            paragraphs.append(line.lstrip(INDENT).strip())
        else:
            paragraphs[-1] += line.strip()
    return byline, [p for p in paragraphs if p]


def is_byline(text):
    return len(text) <= BYLINE_MAX_CHARS and not SENTENCE_END.intersection(text)


def format_article(*, title, pages=(), kicker="", subtitle="", byline="", paragraphs=()):
    """The text of one file in the import format (LF line endings, no BOM)."""
    page_list = " ".join(f"{code}版: {name}" for code, name in pages)
    head = [*clean_lines(kicker), title, *clean_lines(subtitle)]
    out = [title, page_list, "", *head, ""]
    if byline:
        out += [f"\u3000\u3000{byline}", ""]
    out += [f"\u3000\u3000{paragraph}" for paragraph in paragraphs]
    return "\n".join(out) + "\n"


def clean_lines(text):
    """The non-blank lines of ``text``, stripped: how kickers, subtitles and
    bodies are stored (one line each, no indentation, no blank lines)."""
    return [line.strip() for line in split_lines(str(text or "")) if line.strip()]
