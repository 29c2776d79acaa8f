"""The plain data of a page's reading: characters, lines and blocks."""

from dataclasses import dataclass, field

SPACE = 0.15  # of an em: a gap wider than this between two characters is a space
LEFT_INKED = set("，。、；：？！）」』”’")  # full-width punctuation: ink in the left half


@dataclass(frozen=True)
class Char:
    """One printed character: its box in fractions of the page (y from the top), its
    size (the em's height, as a fraction of the page's height) and the same em as a
    fraction of the page's width (``em``: gaps across a line are measured in it),
    its weight, and how sure the reading of it is (1 for a text layer, Tesseract's
    for a scan)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    weight: int = 400
    confidence: float = 1.0
    em: float = 0.0  # 0: a square page, the same as ``size``

    @property
    def yc(self):
        return (self.y0 + self.y1) / 2

    @property
    def em_across(self):
        return self.em or self.size


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, things):
        return cls(
            min(t.x0 for t in things),
            min(t.y0 for t in things),
            max(t.x1 for t in things),
            max(t.y1 for t in things),
        )

    @property
    def area(self):
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)

    def intersection(self, other):
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def union(self, other):
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def iou(self, other):
        inter = self.intersection(other)
        union = self.area + other.area - inter
        return inter / union if union else 0.0

    def as_area(self, pad=0.0):
        """``[x, y, w, h]`` within the page, ``pad`` around it."""
        x0, y0 = max(0.0, self.x0 - pad), max(0.0, self.y0 - pad)
        x1, y1 = min(1.0, self.x1 + pad), min(1.0, self.y1 + pad)
        return [round(x0, 4), round(y0, 4), round(x1 - x0, 4), round(y1 - y0, 4)]


@dataclass
class Line:
    chars: list
    box: Box = None
    size: float = 0.0
    weight: int = 400

    def __post_init__(self):
        self.box = Box.around(self.chars)
        sizes = sorted(c.size for c in self.chars)
        self.size = sizes[len(sizes) // 2]
        weights = sorted(c.weight for c in self.chars)
        self.weight = weights[len(weights) // 2]

    @property
    def ink_x1(self):
        """Where the line's ink ends: full-width punctuation inks the left half of
        its em (one hung past a column's end must not close the gutter)."""
        last = self.chars[-1]
        return last.x1 - 0.5 * last.em_across if last.text in LEFT_INKED else last.x1

    @property
    def text(self):
        """The characters left to right; a space where a gap parts them (a space is
        about a third of a character wide; Chinese characters abut)."""
        out, last = "", None
        for char in self.chars:
            if last is not None and char.x0 - last.x1 > SPACE * char.em_across:
                out += " "
            out += char.text
            last = char
        return out

    @property
    def confidence(self):
        return sum(c.confidence for c in self.chars) / len(self.chars)


@dataclass
class Block:
    """Lines set together: a heading, a byline, a column's stretch of body text."""

    lines: list = field(default_factory=list)

    @property
    def box(self):
        return Box.around([line.box for line in self.lines])

    @property
    def ink_box(self):
        """The box without punctuation hung past the column's end."""
        box = self.box
        return Box(box.x0, box.y0, max(line.ink_x1 for line in self.lines), box.y1)

    @property
    def size(self):
        sizes = sorted(line.size for line in self.lines)
        return sizes[len(sizes) // 2]

    @property
    def weight(self):
        return max(line.weight for line in self.lines)

    @property
    def text(self):
        return join_text(line.text for line in self.lines)

    @property
    def confidence(self):
        return sum(line.confidence for line in self.lines) / len(self.lines)

    def first_words(self, count=12):
        text = self.text
        return text if len(text) <= count else text[:count] + "…"


def join_text(parts):
    """Pieces of text joined as print runs them: nothing between Chinese characters,
    a space between two Latin words."""
    out = ""
    for part in parts:
        if out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii():
            out += " "
        out += part
    return out
