"""A PDF page's characters, from its text layer, through PDFium (pypdfium2).

The only module that knows PDFium's text API. Each character comes with its
loose box (the font's ascent to descent, the same for all characters of a
line), its font size and weight; those PDFium makes up (line ends, spaces
between words) are left out. ``readable()`` tells a text layer whose
characters mean nothing (a font without its Unicode map: private-use or
replacement characters) from one that can be read.
"""

from pagelayout.model import Char


def page_chars(document, index):
    """The characters of page ``index`` of a ``pypdfium2.PdfDocument``."""
    import pypdfium2.raw as pdfium

    page = document[index]
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        chars = []
        for number in range(textpage.count_chars()):
            code = pdfium.FPDFText_GetUnicode(textpage, number)
            if code in (0, 0x0A, 0x0D, 0x20, 0x3000) or pdfium.FPDFText_IsGenerated(
                textpage, number
            ):
                continue
            left, bottom, right, top = textpage.get_charbox(number, loose=True)
            size = pdfium.FPDFText_GetFontSize(textpage, number)
            chars.append(
                Char(
                    text=chr(code),
                    x0=left / width,
                    y0=(height - top) / height,
                    x1=right / width,
                    y1=(height - bottom) / height,
                    size=size / height,
                    em=size / width,
                    weight=pdfium.FPDFText_GetFontWeight(textpage, number),
                )
            )
        return chars
    finally:
        textpage.close()
        page.close()


def readable(chars, share=0.7):
    """Whether the characters are text: most of them letters, digits, Chinese
    characters or punctuation. A font without its Unicode map gives its glyph
    numbers instead: control codes, and the Latin-1 letters and ASCII signs those
    numbers happen to be, which a page of Chinese never is in the main."""
    if not chars:
        return False
    good = sum(1 for c in chars if _is_text(c.text))
    return good / len(chars) >= share


def _is_text(character):
    import unicodedata

    code = ord(character)
    if code < 0x20 or 0x7F <= code <= 0xFF or character == "\ufffd":
        return False
    category = unicodedata.category(character)
    return category[0] in "LNPS" and category != "Co"
