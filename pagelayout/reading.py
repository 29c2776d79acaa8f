"""Characters to lines, lines to blocks: the layout of a printed page.

``read(chars)`` gives the page's blocks in reading order (``reading_order``:
the page cut at its widest blanks, rows top to bottom, columns left to right).
The rules are those of print:

* a line is characters of one size side by side on one baseline; a gap wider
  than a character parts two lines (a column's gutter, two articles set side
  by side);
* a block is lines of one size, one under the other at the line spacing, in
  the same column (overlapping across most of the narrower): a heading set on
  two lines is one block, a kicker above it and a byline below it are blocks of
  their own, and a paragraph cut where its column ends goes on in the next
  column's block.
"""

from pagelayout.model import LEFT_INKED, Block, Line

GAP_IN_LINE = 0.8  # ems: a wider gap parts two lines (a column's gutter, the space
# between two pieces side by side); a heading's em counts as at most HEADING_EM
# of the page's text, as the space beside a heading is the text's, not its own
HEADING_EM = 1.5
SAME_BASELINE = 0.4  # of the size: centres closer than this are on one line
BLOCK_GAP = 0.9  # of the size: lines closer than this (under one another) are a block
SAME_SIZE = 1.18  # sizes within this ratio set the same kind of text
OVERLAP = 0.5  # of the narrower line: how much two lines of a column share across


def lines_of(chars):
    """The page's lines, top to bottom, each left to right."""
    chars = [c for c in chars if c.text.strip() and c.size > 0]
    if not chars:
        return []
    ems = sorted(c.em_across for c in chars)
    widest = HEADING_EM * ems[len(ems) // 2]  # the page's text's em, most chars'
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
            if char.x0 - _ink_end(current[-1]) > GAP_IN_LINE * min(char.em_across, widest):
                lines.append(Line(current))
                current = []
            current.append(char)
        lines.append(Line(current))
    lines.sort(key=lambda line: (line.box.y0, line.box.x0))
    return lines


def _ink_end(char):
    """Full-width punctuation inks the left half of its em: one hung past a column's
    end (it may not start the next line) must not close the gutter."""
    return char.x1 - 0.5 * char.em_across if char.text in LEFT_INKED else char.x1


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
    """Blocks as a reader takes them: the page cut again and again at its widest
    blank, across (rows, read top to bottom) or down (columns, read left to right),
    so that a piece of several columns, or two set side by side, is read whole
    before the next (an XY cut)."""
    if not blocks:
        return []
    # A gap across the page is measured against one down it in the same unit: the
    # page's height over its width, which each character's two ems give.
    chars = [c for block in blocks for line in block.lines for c in line.chars[:1]]
    ratios = sorted(c.size / c.em_across for c in chars if c.em_across)
    across = ratios[len(ratios) // 2] if ratios else 1.0
    return _xy_cut(list(blocks), across)


def _xy_cut(blocks, across):
    if len(blocks) <= 1:
        return blocks
    boxes = {id(b): b.ink_box for b in blocks}
    down = _widest_gap([(b.box.y0, b.box.y1) for b in blocks])
    side = _widest_gap([(boxes[id(b)].x0, boxes[id(b)].x1) for b in blocks])
    if side is not None and (down is None or side[0] * across > down[0]):
        cut = side[1]
        first = [b for b in blocks if boxes[id(b)].x1 <= cut]
        second = [b for b in blocks if boxes[id(b)].x1 > cut]
    elif down is not None:
        cut = down[1]
        first = [b for b in blocks if b.box.y1 <= cut]
        second = [b for b in blocks if b.box.y1 > cut]
    else:  # overlapping all ways: top to bottom, then left to right
        return sorted(blocks, key=lambda b: (b.box.y0, b.box.x0))
    return _xy_cut(first, across) + _xy_cut(second, across)


def _widest_gap(spans):
    """``(width, where)`` of the widest blank between ``spans`` (start, end), or None."""
    spans = sorted(spans)
    best, reach = None, spans[0][1]
    for start, end in spans[1:]:
        if start > reach and (best is None or start - reach > best[0]):
            best = (start - reach, (start + reach) / 2)
        reach = max(reach, end)
    return best


def read(chars):
    """The page's blocks in reading order."""
    return reading_order(blocks_of(lines_of(chars)))


def read_lines(lines):
    """The blocks of lines already found (a scan's, ``pagelayout.ocr``), in reading
    order."""
    return reading_order(blocks_of(sorted(lines, key=lambda line: (line.box.y0, line.box.x0))))
