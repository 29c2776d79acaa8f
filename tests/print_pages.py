"""Pages set for the tests that read printed pages: text written here, pieces and pages
of ``articles.print_layout``, and their PDF with what it printed where."""

import random

from articles import print_layout as layout
from tests.print_issues import Writer

WRITER = Writer(random.Random(34))
MAGAZINE, ISSUE = "基层月刊", "2026年第12期"


def text(lines, column=240.0):
    """Paragraphs filling about ``lines`` lines of a ``column`` points wide column."""
    per_line = int(column // layout.BODY)
    paragraphs = []
    while len(layout.body_lines(paragraphs, column)) < lines:
        paragraphs.append(WRITER.paragraph(per_line * 3))
    return paragraphs


def piece(title, paragraphs, **fields):
    return layout.Piece(key=title, paragraphs=paragraphs, title=title, **fields)


def page(code, *pieces, rows=None, name="本期策划"):
    return layout.Page(code, name, list(pieces), rows)


def pdf(pages):
    """``(PDF bytes, {code: {title: [boxes]}})`` of ``pages``."""
    return layout.pdf(pages, MAGAZINE, ISSUE)
