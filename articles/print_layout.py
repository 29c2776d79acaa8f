"""Pages set as a Chinese magazine sets them, drawn as a PDF with a real text layer.

For the demo's print edition and for the tests and benchmarks that read printed
pages back (finding articles' areas, drafting articles from a PDF): each page
has a running head (the magazine, the issue, the page's code and name) and a
folio, and its pieces — an article, or the part of one continued from or to
another page — stacked in bands or set side by side, each with its kicker,
title (wrapped over two lines when long), subtitle and byline, and its body in
one to three columns, paragraphs indented two characters and cut across
columns where they fall. A cover's lines and a contents page name articles
without printing them. A piece continued elsewhere ends with 下转第N版; its
continuation starts with 上接第N版. What each piece covers on its page is
returned beside the PDF, as fractions of the page: where the text is printed.

Text is drawn with reportlab in a TrueType CJK font from Debian
(fonts-wqy-microhei), embedded as a subset with its Unicode map, so PDFium
reads the characters back with their boxes, as from a typesetting system's PDF.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0  # A4, points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 44.0, 64.0, 52.0
GAP = 18.0  # between bands, and between pieces set side by side
GUTTER = 14.0  # between columns
BODY, LEADING = 9.5, 14.5
SIZES = {"kicker": 11.0, "title": 19.0, "subtitle": 12.0, "byline": 10.0, "marker": 9.0}
FONT = "PrintCJK"
FONT_FILES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]
# Not at the start of a line (禁则): such a character hangs at the end of the last.
NO_LINE_START = set("，。、；：？！）》」』”’…—·%")


@dataclass
class Piece:
    """What one page prints of one article."""

    key: str  # the article's title: how the areas name it
    paragraphs: list
    kicker: str = ""
    title: str = ""  # empty on a continuation that does not repeat it
    subtitle: str = ""
    byline: str = ""
    columns: int = 2
    continued_to: str = ""  # 下转第N版
    continued_from: str = ""  # 上接第N版
    height: float = 0.0  # of its band, in points; 0: what its text needs
    indent_first: bool = True  # False: its first paragraph goes on from another page


@dataclass
class Page:
    code: str
    name: str
    pieces: list = field(default_factory=list)
    # Rows of the page: each a list of piece indexes set side by side.
    rows: list = None
    # Lines that name articles without printing them (a cover's lines, a contents
    # page): ``(text, size)``, stacked from the top; no article's area.
    notes: list = field(default_factory=list)


@dataclass
class Line:
    text: str
    x: float
    y: float  # baseline, from the top of the page
    size: float

    @property
    def box(self):
        return (
            self.x,
            self.y - self.size,
            self.x + width(self.text, self.size),
            self.y + 0.2 * self.size,
        )


def font_path():
    for path in FONT_FILES:
        if Path(path).exists():
            return path
    raise FileNotFoundError(
        "no CJK TrueType font: install Debian's fonts-wqy-microhei (make and .ci/run do)"
    )


_registered = False


def register_font():
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(FONT, font_path(), subfontIndex=0))
        _registered = True


_widths = {}


def width(text, size):
    """The printed width of ``text`` at ``size`` points."""
    from reportlab.pdfbase import pdfmetrics

    register_font()
    total = 0.0
    for character in text:
        if character not in _widths:
            _widths[character] = pdfmetrics.stringWidth(character, FONT, 1000) / 1000
        total += _widths[character]
    return total * size


def wrap(text, line_width, size, indent=0.0):
    """``text`` in lines no wider than ``line_width`` (the first ``indent`` in)."""
    lines, current, used, room = [], "", 0.0, line_width - indent
    for character in text:
        advance = width(character, size)
        if used + advance > room and current and character not in NO_LINE_START:
            lines.append(current)
            current, used, room = "", 0.0, line_width
        current += character
        used += advance
    if current:
        lines.append(current)
    return lines


def head_lines(piece, x, top, line_width):
    """The kicker, title, subtitle and byline of ``piece`` from ``top``: lines, and the
    height they take."""
    lines, y = [], top
    for kind in ("kicker", "title", "subtitle", "byline"):
        text = getattr(piece, kind)
        if not text:
            continue
        size = SIZES[kind]
        for part in text.split("\n"):
            for wrapped in wrap(part, line_width, size):
                y += size * 1.35
                lines.append(Line(wrapped, x, y, size))
        y += size * 0.35
    if piece.continued_from:
        y += SIZES["marker"] * 1.35
        lines.append(Line(f"（上接第{piece.continued_from}版）", x, y, SIZES["marker"]))
    if lines:
        y += LEADING * 0.4
    return lines, y - top


def body_lines(paragraphs, column_width, indent_first=True):
    """Each paragraph wrapped, its first line indented two characters (the first
    paragraph's not, when it goes on from another page)."""
    lines = []
    for index, paragraph in enumerate(paragraphs):
        indent = 2 * BODY if index or indent_first else 0.0
        for number, text in enumerate(wrap(paragraph, column_width, BODY, indent=indent)):
            lines.append((text, indent if number == 0 else 0.0))
    return lines


def columns_of(piece, frame_width):
    count = max(1, min(3, piece.columns))
    return count, (frame_width - GUTTER * (count - 1)) / count


def needed_height(piece, frame_width):
    """What ``piece`` needs in a frame ``frame_width`` wide: head, then its body in
    balanced columns, then the 下转 line."""
    _, head = head_lines(piece, 0, 0, frame_width)
    count, column = columns_of(piece, frame_width)
    body = body_lines(piece.paragraphs, column, piece.indent_first)
    rows = -(-len(body) // count)
    marker = LEADING if piece.continued_to else 0
    return head + rows * LEADING + marker


def set_piece(piece, x, top, frame_width, height):
    """The lines of ``piece`` in the frame, and the paragraphs that did not fit."""
    lines, head = head_lines(piece, x, top, frame_width)
    count, column = columns_of(piece, frame_width)
    body = body_lines(piece.paragraphs, column, piece.indent_first)
    room = max(1, int((height - head - (LEADING if piece.continued_to else 0)) // LEADING))
    per_column = min(room, -(-len(body) // count))
    shown = body[: per_column * count]
    for index, (text, indent) in enumerate(shown):
        col, row = divmod(index, per_column)
        left = x + col * (column + GUTTER) + indent
        lines.append(Line(text, left, top + head + (row + 1) * LEADING, BODY))
    if piece.continued_to:
        marker = f"（下转第{piece.continued_to}版）"
        last = lines[-1]
        right = x + frame_width - width(marker, SIZES["marker"])
        lines.append(Line(marker, right, last.y + LEADING, SIZES["marker"]))
    overflow = len(body) - len(shown)
    return lines, overflow


def layout(page, magazine="", issue=""):
    """``(lines, {key: [boxes]})`` of a page: its running head, folio and pieces."""
    lines = [
        Line(f"{magazine}  {issue}", MARGIN_X, MARGIN_TOP - 30, 9),
        Line(f"{page.code}版 · {page.name}", PAGE_WIDTH - MARGIN_X - width(
            f"{page.code}版 · {page.name}", 9), MARGIN_TOP - 30, 9),
        Line(f"— {page.code} —", PAGE_WIDTH / 2 - width(f"— {page.code} —", 9) / 2,
             PAGE_HEIGHT - MARGIN_BOTTOM + 28, 9),
    ]  # fmt: skip
    boxes = {}
    y = MARGIN_TOP
    for text, size in page.notes:
        y += size * 1.6
        lines.append(Line(text, MARGIN_X, y, size))
    frame_width = PAGE_WIDTH - 2 * MARGIN_X
    rows = page.rows or [[index] for index in range(len(page.pieces))]
    top, bottom = MARGIN_TOP, PAGE_HEIGHT - MARGIN_BOTTOM
    heights = []
    for row in rows:
        each = (frame_width - GAP * (len(row) - 1)) / len(row)
        heights.append(
            max(page.pieces[i].height or needed_height(page.pieces[i], each) for i in row)
        )
    for row, height in zip(rows, heights, strict=True):
        each = (frame_width - GAP * (len(row) - 1)) / len(row)
        height = min(height, bottom - top)
        for slot, index in enumerate(row):
            piece = page.pieces[index]
            x = MARGIN_X + slot * (each + GAP)
            placed, _ = set_piece(piece, x, top, each, height)
            lines.extend(placed)
            if placed:
                boxes.setdefault(piece.key, []).append(fraction_box(placed))
        top += height + GAP
    return lines, boxes


def fraction_box(lines):
    x0 = min(line.box[0] for line in lines)
    y0 = min(line.box[1] for line in lines)
    x1 = max(line.box[2] for line in lines)
    y1 = max(line.box[3] for line in lines)
    return [
        round(x0 / PAGE_WIDTH, 4),
        round(y0 / PAGE_HEIGHT, 4),
        round((x1 - x0) / PAGE_WIDTH, 4),
        round((y1 - y0) / PAGE_HEIGHT, 4),
    ]


def pdf(pages, magazine="", issue=""):
    """``(PDF bytes, {code: {key: [boxes]}})`` of ``pages`` in order."""
    from reportlab.pdfgen import canvas

    register_font()
    output = io.BytesIO()
    drawing = canvas.Canvas(output, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    drawing.setTitle(f"{magazine} {issue}")
    printed = {}
    for page in pages:
        lines, boxes = layout(page, magazine, issue)
        for line in lines:
            drawing.setFont(FONT, line.size)
            drawing.drawString(line.x, PAGE_HEIGHT - line.y, line.text)
        drawing.showPage()
        printed[page.code] = boxes
    drawing.save()
    return output.getvalue(), printed
