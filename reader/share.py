"""Share cards: what a link shows when a reader shares an issue, a page or an article
(WeChat, a chat, a social site), and the QR code a phone scans from a screen or paper.

An issue shares its cover, as its web rendition (at least ``MIN_SIDE`` px on its
short side). A page or an article shares a card drawn with Pillow at 1200×630
(1.91:1, what social sites show uncropped; a portrait scan is cropped to its
middle): the magazine and the issue, the kicker or subtitle, the title in the
site's serif, the byline and the QR code of its address, in the script of the
page it is shared from; cached. The QR code on the pages is an SVG of the
page's canonical address (segno), memoized per address.
"""

import functools
import hashlib
import io
from dataclasses import astuple, dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.core.cache import caches
from markupsafe import Markup
from PIL import Image, ImageDraw, ImageFont

from reader.traditional import typeset

MIN_SIDE = 300
CARD_SIZE = (1200, 630)
INK, PAPER, ACCENT = (27, 27, 27), (250, 248, 243), (158, 27, 22)
SOFT, RULE = (74, 72, 67), (217, 212, 199)
QR_SIDE = 240
# The card is an image: its words are drawn in the script of the page, not translated.
CAPTION, CAPTION_HANT = "扫码阅读全文", "掃碼閱讀全文"


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


@functools.lru_cache(maxsize=32)
def _font(size, serif=False, traditional=False):
    """The card's font: the serif (Noto Serif CJK, bold) for its heads, else the sans;
    in a collection, the face for the script (TC for Traditional, SC else)."""
    path = settings.SHARE_CARD_SERIF_FONT if serif else ""
    path = path or settings.SHARE_CARD_FONT
    if not (path and Path(path).exists()):
        return ImageFont.load_default(size=size)
    wanted = " TC" if traditional else " SC"
    for index in range(12 if path.endswith(".ttc") else 1):
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if wanted in font.getname()[0]:
            return font
    return ImageFont.truetype(path, size)


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


@dataclass(frozen=True)
class Card:
    """What a card shows: the magazine's name is added, and the QR code of ``url``."""

    title: str
    eyebrow: str  # the issue (and page)
    head: str = ""  # the kicker, or else the subtitle
    byline: str = ""
    url: str = ""


def draw_card(card, traditional=False):
    """A 1200×630 PNG of ``card``, its text in Traditional Chinese if asked."""
    if traditional:
        card = Card(*(typeset(value) if value else value for value in astuple(card)[:4]), card.url)
    image = Image.new("RGB", CARD_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, CARD_SIZE[0], 14], fill=ACCENT)
    width = CARD_SIZE[0] - 80 - (QR_SIDE + 120 if card.url else 80)
    sans, serif = _font(34, traditional=traditional), _font(40, True, traditional)
    name = typeset(settings.MAGAZINE_NAME) if traditional else settings.MAGAZINE_NAME
    draw.text((80, 62), name, font=_font(40, True, traditional), fill=ACCENT)
    after = 80 + serif.getlength(name) + 24
    draw.text(
        (after, 68), _lines(card.eyebrow, sans, 80 + width - after, 1)[0], font=sans, fill=SOFT
    )
    y = 150
    if card.head:
        for line in _lines(card.head.replace("\n", " "), serif, width, 1):
            draw.text((80, y), line, font=serif, fill=ACCENT)
            y += 62
    title_font = _font(72, True, traditional)
    for line in _lines(card.title, title_font, width, 3 if not card.head else 2):
        draw.text((80, y), line, font=title_font, fill=INK)
        y += 98
    if card.byline:
        draw.text((80, y + 18), _lines(card.byline, sans, width, 1)[0], font=sans, fill=SOFT)
    if card.url:
        code = segno.make(card.url, error="m", micro=False)
        buffer = io.BytesIO()
        code.save(buffer, kind="png", scale=8, border=2)
        with Image.open(buffer) as qr:
            qr = qr.convert("RGB").resize((QR_SIDE, QR_SIDE), Image.NEAREST)
            left = CARD_SIZE[0] - 80 - QR_SIDE
            image.paste(qr, (left, 150))
        caption = _font(26, traditional=traditional)
        said = CAPTION_HANT if traditional else CAPTION
        draw.text(
            (left + (QR_SIDE - caption.getlength(said)) / 2, 150 + QR_SIDE + 16),
            said,
            font=caption,
            fill=SOFT,
        )
    draw.line([(80, CARD_SIZE[1] - 60), (CARD_SIZE[0] - 80, CARD_SIZE[1] - 60)], fill=RULE, width=2)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def card_png(kind, pk, card, traditional=False):
    """``draw_card``, kept in the cache under what it shows: drawn once per text."""
    shown = "\n".join([*astuple(card), str(traditional)])
    digest = hashlib.sha256(shown.encode()).hexdigest()[:16]
    key = f"share-card:{kind}:{pk}:{digest}"
    store = caches["default"]
    png = store.get(key)
    if png is None:
        png = draw_card(card, traditional)
        store.set(key, png, settings.PAGE_CACHE_SECONDS)
    return png
