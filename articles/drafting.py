"""Articles drafted from what an issue's pages print: for a month without text files.

``draft(pages)`` takes the pages' blocks in reading order (``pagelayout``: a
PDF's text layer, or a scan's reading) and gives the articles they print,
each with its fields as the text import defines them:

* a **title** is a heading: set larger than the page's text (or in bold),
  on one line or several;
* short lines just above it, in its column, are its **kicker** (引题); short
  lines just below it, before the text, its **subtitle** (副题, often
  ``——``…); then a **byline** as printed (``文/…``, ``本刊记者 …``): a short
  line of a byline's form, or one standing alone before the text;
* the **body** is the text that follows, column after column, in paragraphs:
  an indented line starts one, a line that is not indented goes on with the
  one before, so a paragraph cut where a column or a page ends stays one;
* ``下转第N版`` / ``上接第N版`` tie an article's parts on several pages
  together (the markers themselves are no text of it); text at the top of a
  page before any title, with no marker, goes on with the last article of
  the page before (a page that prints only a title, and its text on the next
  page, is one article);
* running heads and folios (the top and foot of the page), the magazine's and
  the page's names, contents pages and cover lines (titles with no text of
  their own) are no article.

Nothing here touches the database: ``articles.pdf_articles`` writes the
drafts through the text import (``articles.importing``), so they meet the
same rules as imported files.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from articles.finding import BOLD, HEADING, MARKER, body_size, norm
from pagelayout.model import SPACE, join_text

HEAD_LENGTH = 40  # characters: a kicker, subtitle or byline line is no longer
HEAD_SPACE = 0.18  # of an em: a wider gap in a heading or byline is a space
FULL_WIDTH = {":": "：", ";": "；", ",": "，", "!": "！", "?": "？", "(": "（", ")": "）"}
INDENT = 1.0  # of the text's size: a line this far in from its column starts a paragraph
ABOVE = 1.6  # of the line's size: a kicker stands this close above its title
SAME_COLUMN = 0.04  # of the page's width: lines starting this close share a column
MARGIN = 0.055  # running heads and folios live in this much of the top and foot
SENTENCE_END = re.compile(r"[。！？!?]")
NOT_IN_BYLINE = re.compile(r"[，。！？；,;]")
BYLINE = re.compile(
    r"^\s*(文|图|文图|文/图|图文|撰文|摄影|摄|口述|整理|作者|记者|本刊记者|特约记者|"
    r"本刊特约记者|通讯员|本刊通讯员|本刊特约撰稿|本刊编辑部|编译|翻译|译)\s*[/／:：|｜\s]"
)
# Headings that open a contents page, not an article.
CONTENTS = {"目录", "目次", "本期目录", "本期要目", "要目", "本期导读", "导读", "本期看点"}


@dataclass
class Draft:
    """One article as the pages print it."""

    title: str
    kicker: list = field(default_factory=list)
    subtitle: list = field(default_factory=list)
    byline: str = ""
    paragraphs: list = field(default_factory=list)
    pages: list = field(default_factory=list)  # codes, the title's first
    ocr: bool = False  # some of it was read from a scan
    continues_to: list = field(default_factory=list)  # pages a 下转 line names
    left: float = 0.0  # where its title starts across the page

    @property
    def page(self):
        return self.pages[0]

    @property
    def body(self):
        return "\n".join(self.paragraphs)

    def first_words(self, count=16):
        text = self.paragraphs[0] if self.paragraphs else ""
        return text if len(text) <= count else text[:count] + "…"

    def add_text(self, text, starts_paragraph):
        text = tidy(text)
        if not text:
            return
        if starts_paragraph or not self.paragraphs:
            self.paragraphs.append(text)
        else:
            self.paragraphs[-1] = join_text([self.paragraphs[-1], text])

    def on_page(self, code, ocr):
        if code not in self.pages:
            self.pages.append(code)
        self.ocr = self.ocr or ocr


@dataclass
class PageDrafted:
    """What one page gave: the titles it starts, the text it holds that is no
    article's (first words), or why it was not read."""

    code: str
    how: str = "text"
    titles: list = field(default_factory=list)
    left_out: list = field(default_factory=list)


def tidy(text):
    """Text as stored: runs of spaces as one, none at either end."""
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


def line_text(line, head=False, ocr=False):
    """A line's text with the spaces its gaps mean. Chinese prose has none between
    two Chinese characters (a justified line's or a scan's gaps are no spaces); a
    heading or byline has those it prints (本刊记者 王晓芳: a third of a character).
    Read by OCR, whose gaps are between its words' ink, none is kept between two
    Chinese characters; a byline's are put back by its roles (``byline()``)."""
    out, last = "", None
    head = head and not ocr  # a scan's gaps between words say nothing: see byline()
    for char in line.chars:
        text = char.text
        if ocr and text in FULL_WIDTH:
            text = FULL_WIDTH[text]  # a scan's ASCII colon in Chinese text is 「：」
        if last is not None:
            gap = (char.x0 - last.x1) / char.em_across
            wide = _wide(last.text) and _wide(char.text)
            if gap > (HEAD_SPACE if head else SPACE) and (head or not wide):
                out += " "
        out += text
        last = char
    text = tidy(out)
    if ocr:
        # ASCII punctuation read among Chinese characters is the full-width kind (a
        # full-width colon is often read as two marks), and no space stands beside
        # a Chinese character.
        text = re.sub(r"(?<=[^\x00-\x7f]) ?([:;,!?()]) ?", lambda m: FULL_WIDTH[m.group(1)], text)
        text = re.sub(r"：；|；：", "：", text)
        text = re.sub(r"^(一一|--|－－|—一|一—)", "——", text)  # a subtitle's dash
        text = re.sub(r"(?<=[^\x00-\x7f])[.·•‧・-](?=[^\x00-\x7f])", "·", text)  # 见闻·
        text = re.sub(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ", "", text)
    return text


def byline(text, ocr=False):
    """A byline as printed; read by OCR, a space before each role after the first
    and after a role that has no slash (本刊记者 王晓芳 通讯员 李明)."""
    if not ocr:
        return text
    text = text.replace(" ", "")
    text = re.sub(
        r"(?<=.)(本刊特约记者|本刊记者|特约记者|本刊通讯员|通讯员|摄影/|图/|文/)", r" \1", text
    )
    return re.sub(
        r"(本刊特约记者|本刊记者|特约记者|本刊通讯员|通讯员)(?=[^\s/／:：])", r"\1 ", text
    )


def _wide(character):
    return unicodedata.east_asian_width(character) in "WF"


def draft(pages, names=()):
    """``(drafts, [PageDrafted])`` from ``pages``: ``[(code, blocks, how)]`` in page
    order (``how``: "text", "ocr", or why the page was not read); ``names``: the
    magazine's and the pages' names, which are no titles."""
    drafter = _Drafter({norm(name) for name in names if norm(name)})
    for code, blocks, how in pages:
        drafter.page(code, blocks, how)
    return drafter.finish()


class _Drafter:
    def __init__(self, names):
        self.names = names
        self.drafts = []
        self.reports = []
        self.open = None  # the article whose text may go on at the next page's top
        self.waiting = {}  # page code -> [drafts a 下转 line sends there], in order

    def page(self, code, blocks, how):
        report = PageDrafted(code, how)
        self.reports.append(report)
        carried, self.open = self.open, None
        if how not in ("text", "ocr"):
            return
        ocr = how == "ocr"
        size = body_size(blocks)
        kinds = self._kinds(blocks, size)
        kickers = _kickers(blocks, kinds, ocr)
        lefts = _column_lefts(blocks)
        current, heads, pending, titles_here = None, False, [], 0
        for number, block in enumerate(blocks):
            kind = kinds[number]
            if kind == "skip":
                continue
            if kickers[number]:
                pending += [line_text(line, True, ocr) for line in block.lines]
                continue
            if kind == "title":
                current = Draft(title=join_text(line_text(line, True, ocr) for line in block.lines))
                current.kicker, pending = pending, []
                current.left = block.box.x0
                current.on_page(code, ocr)
                self.drafts.append(current)
                report.titles.append(current.title)
                heads, carried = True, None
                titles_here += 1
                continue
            if heads and current is not None:
                taken, heads = self._head_line(current, block, size, blocks, kinds, number, ocr)
                if taken:
                    continue
            left = lefts.get(id(block), block.box.x0)
            for line in block.lines:
                marker = MARKER.match(line.text.strip())
                if marker and marker.group(1) in ("下转", "转"):
                    if current is not None:
                        current.continues_to.append(marker.group(2))
                        self.waiting.setdefault(marker.group(2), []).append(current)
                    current, carried = None, None
                    continue
                if marker:  # 上接: the first article a 下转 line sent here
                    sent = self.waiting.get(code, [])
                    current = sent.pop(0) if sent else carried
                    carried = None
                    if current is not None:
                        current.on_page(code, ocr)
                    continue
                if current is None and carried is not None:
                    current, carried = carried, None
                    current.on_page(code, ocr)
                if current is None:
                    report.left_out.append(_first_words(block.text))
                    break
                current.add_text(
                    line_text(line, False, ocr), line.box.x0 - left > INDENT * line.size
                )
        if current is not None and not current.continues_to:
            # Its text may go on at the top of the next page: a page that ends an
            # article's text, or that prints only its title (an opening spread).
            if current.paragraphs or titles_here == 1:
                self.open = current

    def _kinds(self, blocks, size):
        """Each block's kind: "title", "text", or "skip" (margins, the magazine's and
        the page's names, no letters, a contents heading and the list under it)."""
        kinds, contents, spaced = [], False, ""
        for block in blocks:
            text = norm(block.text)
            heading = size and (
                block.size >= HEADING * size or (block.weight >= BOLD and block.size >= size)
            )
            if _is_margin(block) or not text or text in self.names:
                kinds.append("skip")
            elif heading and len(text) == 1:
                # A heading spaced out letter by letter (目　录) comes one block a letter.
                spaced += text
                contents = contents or spaced in CONTENTS
                kinds.append("skip")
                continue
            elif heading:
                contents = text in CONTENTS
                kinds.append("skip" if contents else "title")
            else:
                kinds.append("skip" if contents else "text")
            spaced = ""
        return kinds

    def _head_line(self, current, block, size, blocks, kinds, number, ocr):
        """``(taken, more)``: whether ``block``, after ``current``'s title, is its
        subtitle or byline (taken as such), and whether more of them may follow."""
        lines = [line_text(line, True, ocr) for line in block.lines]
        if len(lines) > 2 or not all(_short(line) for line in lines):
            return False, False
        if BYLINE.match(lines[0]):
            current.byline = byline(" ".join(lines), ocr)
            return True, False
        if lines[0].startswith(("——", "--", "－－", "—")) or block.size > 1.1 * size:
            current.subtitle += lines
            return True, True
        following = next(
            (kinds[n] for n in range(number + 1, len(blocks)) if kinds[n] != "skip"), None
        )
        if len(lines) == 1 and following == "text" and not NOT_IN_BYLINE.search(lines[0]):
            # A short line alone before the text: its byline, as the text import reads
            # (the first line of the text is indented, and a sentence has commas).
            indent = block.box.x0 - current.left
            if indent < INDENT * block.size:
                current.byline = byline(lines[0], ocr)
                return True, False
        return False, False
        return False, False

    def finish(self):
        # A title with no text is no article (a cover line, a heading alone), and a
        # list of other articles' titles is a contents page.
        titles = {norm(d.title) for d in self.drafts}
        kept = []
        for one in self.drafts:
            if not one.paragraphs:
                continue
            listed = sum(1 for p in one.paragraphs if norm(p) in titles)
            if listed and listed >= 0.5 * len(one.paragraphs):
                continue
            kept.append(one)
        names = {d.title for d in kept}
        for report in self.reports:
            report.titles = [t for t in report.titles if t in names]
        return kept, self.reports


def _kickers(blocks, kinds, ocr):
    """Which text blocks are kickers: short, standing right above a title (or above
    another kicker above one), in its column."""
    flags = [False] * len(blocks)
    following = None
    for number in range(len(blocks) - 1, -1, -1):
        if kinds[number] == "skip":
            continue
        if (
            kinds[number] == "text"
            and following is not None
            and (kinds[following] == "title" or flags[following])
            and _short_block(blocks[number], ocr)
            and _right_above(blocks[number], blocks[following])
        ):
            flags[number] = True
        following = number
    return flags


def _short_block(block, ocr):
    return len(block.lines) <= 2 and all(_short(line_text(line, True, ocr)) for line in block.lines)


def _right_above(upper, lower):
    a, b = upper.box, lower.box
    shared = min(a.x1, b.x1) - max(a.x0, b.x0)
    same_column = abs(a.x0 - b.x0) < SAME_COLUMN or shared > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
    gap = b.y0 - a.y1
    return same_column and -0.005 <= gap < ABOVE * max(upper.size, lower.size)


def _short(text):
    return 0 < len(text.replace(" ", "")) <= HEAD_LENGTH and not SENTENCE_END.search(text)


def _is_margin(block):
    box = block.box
    return (box.y1 < MARGIN or box.y0 > 1 - MARGIN) and len(block.lines) == 1


def _first_words(text, count=12):
    text = tidy(text)
    return text if len(text) <= count else text[:count] + "…"


def _column_lefts(blocks):
    """Each block's column's left edge: its own lines' leftmost, or, for a block of
    one line (which may be indented), that of a block of several lines in the same
    column."""
    lefts = {}
    multi = [b for b in blocks if len(b.lines) > 1]
    for block in blocks:
        if len(block.lines) > 1:
            lefts[id(block)] = min(line.box.x0 for line in block.lines)
            continue
        x0 = block.box.x0
        near = [
            min(line.box.x0 for line in other.lines)
            for other in multi
            if min(line.box.x0 for line in other.lines) <= x0 + 0.001
            and x0 - min(line.box.x0 for line in other.lines) < 3 * block.size
            and other.box.x1 > x0
        ]
        lefts[id(block)] = max(near) if near else x0
    return lefts
