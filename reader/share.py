"""Share cards: what a link shows when a reader shares an issue, a page or an article
(WeChat, a chat, a social site), and the QR code a phone scans from a screen or paper.

The image is the issue's cover, the page's scan or the article's first image, as
its web rendition (at least ``MIN_SIDE`` px on its short side); without one, a
card drawn with Pillow: the magazine's name and the title, cached. The QR code
is an SVG of the page's canonical address (segno), memoized per address.
"""

import functools
import hashlib
import io
from pathlib import Path

import segno
from django.conf import settings
from django.core.cache import caches
from markupsafe import Markup
from PIL import Image, ImageDraw, ImageFont

MIN_SIDE = 300
CARD_SIZE = (1200, 630)
INK, PAPER, ACCENT = (27, 27, 27), (250, 248, 243), (158, 27, 22)


def share_image(candidate):
    """The web rendition of ``candidate`` (an issue, a page or an article image) if it is
    big enough to share, else None (the card is used)."""
    rendition = candidate.rendition("web") if candidate is not None else None
    if rendition is None or min(rendition.width, rendition.height) < MIN_SIDE:
        return None
    return rendition


@functools.lru_cache(maxsize=4096)
def qr_svg(url, label):
    """The QR code of ``url`` as inline SVG, named ``label`` for screen readers."""
    code = segno.make(url, error="m", micro=False)
    # A quiet zone of 4 modules, as the standard asks: readers find the code by it.
    svg = code.svg_inline(
        scale=4, border=4, title=label, svgclass="share-qr__code", omitsize=True
    )  # a viewBox, no size: the stylesheet sizes it
    return Markup(svg)


def _font(size):
    path = settings.SHARE_CARD_FONT
    if path and Path(path).exists():
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _lines(text, font, width, most):
    """``text`` broken to lines of at most ``width`` px (a Chinese title breaks between
    any two characters), at most ``most`` lines, the last cut with an ellipsis."""
    lines, line = [], ""
    for char in text:
        if font.getlength(line + char) > width and line:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def draw_card(title, eyebrow):
    """A 1200×630 PNG: the magazine's name, ``eyebrow`` (the issue, the page) and the title."""
    image = Image.new("RGB", CARD_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, CARD_SIZE[0], 16], fill=ACCENT)
    draw.text((80, 70), settings.MAGAZINE_NAME, font=_font(44), fill=ACCENT)
    draw.text((80, 140), eyebrow, font=_font(34), fill=(90, 90, 90))
    title_font = _font(68)
    for number, line in enumerate(_lines(title, title_font, CARD_SIZE[0] - 160, 3)):
        draw.text((80, 230 + number * 96), line, font=title_font, fill=INK)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def card_png(kind, pk, title, eyebrow):
    """``draw_card``, kept in the cache under what it shows: drawn once per title."""
    digest = hashlib.sha256(f"{title}\n{eyebrow}".encode()).hexdigest()[:16]
    key = f"share-card:{kind}:{pk}:{digest}"
    store = caches["default"]
    png = store.get(key)
    if png is None:
        png = draw_card(title, eyebrow)
        store.set(key, png, settings.PAGE_CACHE_SECONDS)
    return png
