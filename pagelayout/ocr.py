"""A scan's characters, read by Tesseract (Debian's tesseract-ocr and
tesseract-ocr-chi-sim, through pytesseract): the only module that knows it.

Tesseract's own page analysis runs a magazine's side-by-side articles into one
another (two pieces' lines at nearly the same height become one line, their
characters interleaved), so the page is cut here and Tesseract only reads:

1. the page's ink is cut into its printed lines by the blank rows and columns
   between them (an XY cut: a gutter or the space between two pieces parts a
   column, a blank row parts two lines), each line's box exact to its ink;
2. the lines are set one under the other on one sheet, which Tesseract reads as
   a single column of text (one call a page: loading its Chinese model takes a
   second);
3. each word read goes back to its line, and each character is given its
   line's top, bottom and size, and Tesseract's confidence (0 to 1).

``pagelayout.reading.read_lines`` then sets these lines in blocks as it does a
text layer's.
The product runs without Tesseract: ``available()`` says whether it is here,
and a page it cannot read is said to be so, never guessed at.
"""

import functools
import os
import shutil
import unicodedata
from dataclasses import dataclass

from pagelayout.model import Box, Char, Line

LANGUAGES = "chi_sim"
SCALE = 3.0  # a PDF page drawn for reading: 216 dpi, a 9 pt character some 27 px tall
INK = 160  # grey levels darker than this are ink
BLANK = 0.002  # a row or column with less ink than this share is blank
GUTTER = 0.012  # of the page's width (7 pt on A4): a blank this wide parts two columns
LINE_GAP = 2.2  # line heights: two full-width stops side by side leave 1.5
COLUMN_SHARE = 0.5  # of a region's height: how much of it each of two columns spans
SPECK = 3  # pixels: ink smaller than this either way is dust, not a character
PICTURE = 0.08  # of the page's height: a "line" taller than this is a picture
SHEET_MARGIN = 16  # pixels around and between the lines on the sheet read
LINE_HEIGHT = 36  # pixels: each line drawn this tall on the sheet


@dataclass
class PrintedLine:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def height(self):
        return self.y1 - self.y0


@functools.cache
def available():
    """Whether Tesseract with its Simplified Chinese data can be run here."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return "chi_sim" in pytesseract.get_languages(config="")
    except Exception:
        return False


def image_lines(image):
    """The printed lines of a page's image (a PIL image) with their characters
    (``pagelayout.model.Line``), boxes in fractions of the page, top to bottom."""
    gray = image.convert("L")
    printed = printed_lines(gray)
    if not printed:
        return []
    sheet, slots = _sheet(gray, printed)
    width, height = gray.size
    lines = []
    for line, scale, words in _by_line(_read(sheet), slots, printed):
        size = line.height / height
        chars = []
        for word in sorted(words, key=lambda w: w["left"]):
            text = word["text"]
            left = line.x0 + word["left"] / scale
            step = word["width"] / scale / sum(_units(ch) for ch in text)
            for character in text:
                x1 = left + step * _units(character)
                chars.append(
                    Char(
                        text=character,
                        x0=left / width,
                        y0=line.y0 / height,
                        x1=x1 / width,
                        y1=line.y1 / height,
                        size=size,
                        em=line.height / width,
                        confidence=word["conf"],
                    )
                )
                left = x1
        read = Line(chars)
        # The line is where its ink is; the words' boxes are Tesseract's guesses.
        read.box = Box(line.x0 / width, line.y0 / height, line.x1 / width, line.y1 / height)
        lines.append(read)
    lines.sort(key=lambda line: (line.box.y0, line.box.x0))
    return lines


def printed_lines(gray):
    """The page's printed lines (``PrintedLine``, in pixels), by XY cuts."""
    mask = gray.point(lambda value: 255 if value < INK else 0)
    width, height = mask.size
    gutter = max(4, int(GUTTER * width))
    found = []
    _cut(mask, (0, 0, width, height), gutter, found)
    tallest = PICTURE * height
    return [line for line in found if line.height <= tallest]


def _cut(mask, box, gutter, found):
    """Cut ``box`` at its widest blank run, rows or columns, and each part again, until
    what is left are lines. A blank column parts a region of several lines when it is
    ``gutter`` wide and both sides run down most of it (the blanks after punctuation
    fall at other places in each line), a single line only when it is wider than
    ``LINE_GAP`` of the line's height."""
    stack = [box]
    while stack:
        x0, y0, x1, y1 = stack.pop()
        rows = _profile(mask.crop((x0, y0, x1, y1)), across=False)
        inked = [i for i, ink in enumerate(rows) if ink]
        if not inked:
            continue
        top, bottom = y0 + inked[0], y0 + inked[-1] + 1
        columns = _profile(mask.crop((x0, top, x1, bottom)), across=True)
        inked_columns = [i for i, ink in enumerate(columns) if ink]
        left, right = x0 + inked_columns[0], x0 + inked_columns[-1] + 1
        if right - left < SPECK or bottom - top < SPECK:
            continue
        row_gaps = _gaps(rows, inked[0], inked[-1])
        column_gap = _widest_gap(columns, inked_columns[0], inked_columns[-1])
        widest_row = max((b - a for a, b in row_gaps), default=0)
        if column_gap is not None:
            wide = column_gap[1] - column_gap[0]
            needed = gutter if row_gaps else max(gutter, LINE_GAP * (bottom - top))
            parts = [
                (left, top, x0 + column_gap[0], bottom),
                (x0 + column_gap[1], top, right, bottom),
            ]
            if wide >= needed and wide >= widest_row and all(_tall(mask, p) for p in parts):
                stack += parts
                continue
        if row_gaps:
            # Only the widest: a blank row across two pieces side by side is where
            # their lines happen to fall level, not where the page is parted.
            start, end = max(row_gaps, key=lambda gap: gap[1] - gap[0])
            stack += [(left, top, right, y0 + start), (left, y0 + end, right, bottom)]
            continue
        found.append(PrintedLine(left, top, right, bottom))


def _tall(mask, box):
    """Whether the ink of ``box`` runs down most of it: columns side by side do; the
    blank after a line's punctuation, over a paragraph's short last line, parts a
    line's end from the rest, which does not."""
    rows = _profile(mask.crop(box), across=False)
    inked = [index for index, ink in enumerate(rows) if ink]
    return bool(inked) and inked[-1] - inked[0] + 1 >= COLUMN_SHARE * len(rows)


def _profile(region, across):
    """Whether each row (or, ``across``, each column) of ``region`` holds ink."""
    from PIL import Image

    width, height = region.size
    shape = (width, 1) if across else (1, height)
    means = region.resize(shape, Image.Resampling.BOX).tobytes()  # one byte a pixel
    return [mean > BLANK * 255 for mean in means]


def _gaps(profile, first, last):
    gaps, start = [], None
    for index in range(first, last + 1):
        if not profile[index]:
            start = index if start is None else start
        elif start is not None:
            gaps.append((start, index))
            start = None
    return gaps


def _widest_gap(profile, first, last):
    gaps = _gaps(profile, first, last)
    return max(gaps, key=lambda gap: gap[1] - gap[0]) if gaps else None


def _sheet(gray, lines):
    """The lines set one under the other, left-aligned, on one white sheet, each
    drawn ``LINE_HEIGHT`` pixels tall (Tesseract reads best at one size); each
    line's slot ``(top, bottom, scale)`` on it."""
    from PIL import Image

    crops, slots, y = [], [], SHEET_MARGIN
    for line in lines:
        scale = LINE_HEIGHT / line.height
        crop = gray.crop((line.x0, line.y0, line.x1, line.y1))
        crop = crop.resize(
            (max(1, round(crop.width * scale)), LINE_HEIGHT), Image.Resampling.LANCZOS
        )
        crops.append(crop)
        slots.append((y, y + LINE_HEIGHT, scale))
        y += LINE_HEIGHT + SHEET_MARGIN
    width = max(crop.width for crop in crops) + 2 * SHEET_MARGIN
    sheet = Image.new("L", (width, y + SHEET_MARGIN), 255)
    for crop, (top, _, _) in zip(crops, slots, strict=True):
        sheet.paste(crop, (SHEET_MARGIN, top))
    return sheet, slots


def _read(sheet):
    import pytesseract

    # Tesseract's OpenMP threads fight over a shared machine's cores: one thread a
    # page reads several times faster here than four.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(
        sheet, lang=LANGUAGES, config="--psm 6", output_type=pytesseract.Output.DICT
    )
    words = []
    for index, text in enumerate(data["text"]):
        text = text.strip()
        confidence = float(data["conf"][index])
        if text and confidence >= 0:
            words.append(
                {
                    "text": text,
                    "left": data["left"][index] - SHEET_MARGIN,
                    "width": max(1, data["width"][index]),
                    "middle": data["top"][index] + data["height"][index] / 2,
                    "conf": confidence / 100,
                }
            )
    return words


def _by_line(words, slots, lines):
    """Each line with the words read on its slot of the sheet."""
    import bisect

    tops = [top for top, _, _ in slots]
    grouped = {}
    for word in words:
        number = bisect.bisect_right(tops, word["middle"]) - 1
        if number >= 0 and word["middle"] <= slots[number][1] + SHEET_MARGIN / 2:
            grouped.setdefault(number, []).append(word)
    return [(lines[number], slots[number][2], grouped[number]) for number in sorted(grouped)]


def _units(character):
    """A character's width in ems: Chinese characters and full-width forms are square."""
    return 1.0 if unicodedata.east_asian_width(character) in "WF" else 0.55
