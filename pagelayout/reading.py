"""Characters to lines, lines to blocks: the layout of a printed page.

``read(chars)`` gives the page's blocks in reading order: the columns left to
right within each band of the page, each column top to bottom. The rules are
those of print:

* a line is characters of one size side by side on one baseline; a gap wider
  than a character parts two lines (a column's gutter, two articles set side
  by side);
* a block is lines of one size, one under the other at the line spacing, in
  the same column (overlapping across most of the narrower): a heading set on
  two lines is one block, a kicker above it and a byline below it are blocks of
  their own, and a paragraph cut where its column ends goes on in the next
  column's block.
"""

from pagelayout.model import Block, Line

GAP_IN_LINE = 0.8  # characters: a wider gap parts two lines (gutters are wider)
SAME_BASELINE = 0.4  # of the size: centres closer than this are on one line
BLOCK_GAP = 0.9  # of the size: lines closer than this (under one another) are a block
SAME_SIZE = 1.18  # sizes within this ratio set the same kind of text
OVERLAP = 0.5  # of the narrower line: how much two lines of a column share across


def lines_of(chars):
    """The page's lines, top to bottom, each left to right."""
    chars = [c for c in chars if c.text.strip() and c.size > 0]
    chars.sort(key=lambda c: (c.yc, c.x0))
    rows = []
    for char in chars:
        for row in reversed(rows[-6:]):  # the rows this char could still be on
            if (
                abs(char.yc - row["yc"]) < SAME_BASELINE * min(char.size, row["size"])
                and max(char.size, row["size"]) / min(char.size, row["size"]) < SAME_SIZE
            ):
                row["chars"].append(char)
                break
        else:
            rows.append({"yc": char.yc, "size": char.size, "chars": [char]})
    lines = []
    for row in rows:
        row["chars"].sort(key=lambda c: c.x0)
        current = [row["chars"][0]]
        for char in row["chars"][1:]:
            if char.x0 - current[-1].x1 > GAP_IN_LINE * char.size:
                lines.append(Line(current))
                current = []
            current.append(char)
        lines.append(Line(current))
    lines.sort(key=lambda line: (line.box.y0, line.box.x0))
    return lines


def _overlap(a, b):
    shared = min(a.x1, b.x1) - max(a.x0, b.x0)
    narrower = min(a.x1 - a.x0, b.x1 - b.x0)
    return shared / narrower if narrower > 0 else 0.0


def blocks_of(lines):
    """The lines in blocks (see the module); each block's lines top to bottom."""
    blocks = []
    for line in lines:
        best, best_gap = None, None
        for block in blocks:
            last = block.lines[-1]
            size = max(line.size, last.size)
            if size / min(line.size, last.size) >= SAME_SIZE:
                continue
            gap = line.box.y0 - last.box.y1
            # Below zero: a font's ascent and descent (the boxes' height) taller
            # than a tightly led heading's line spacing.
            if not (-0.6 * size < gap < BLOCK_GAP * size):
                continue
            if _overlap(line.box, block.box) < OVERLAP:
                continue
            if best_gap is None or gap < best_gap:
                best, best_gap = block, gap
        if best is None:
            blocks.append(Block([line]))
        else:
            best.lines.append(line)
    return blocks


def reading_order(blocks):
    """Blocks as a reader takes them: bands of the page top to bottom, within a band
    its columns left to right, each column top to bottom."""
    ordered = sorted(blocks, key=lambda b: (b.box.y0, b.box.x0))
    bands = []
    for block in ordered:
        box = block.box
        for band in bands:
            if box.y0 < band["y1"] and box.y1 > band["y0"]:  # overlaps the band's height
                band["blocks"].append(block)
                band["y0"], band["y1"] = min(band["y0"], box.y0), max(band["y1"], box.y1)
                break
        else:
            bands.append({"y0": box.y0, "y1": box.y1, "blocks": [block]})
    result = []
    for band in sorted(bands, key=lambda b: b["y0"]):
        result.extend(sorted(band["blocks"], key=lambda b: (round(b.box.x0, 2), b.box.y0)))
    return result


def read(chars):
    """The page's blocks in reading order."""
    return reading_order(blocks_of(lines_of(chars)))


def read_lines(lines):
    """The blocks of lines already found (a scan's, ``pagelayout.ocr``), in reading
    order."""
    return reading_order(blocks_of(sorted(lines, key=lambda line: (line.box.y0, line.box.x0))))
