"""The reader's pages in Traditional Chinese: every page under ``/zh-hant/``,
converted whole from the Simplified page by OpenCC.

The whole response is converted, not field by field: titles, paragraphs,
page names, bylines, search highlights, the ``<title>``, ``og:description``,
``alt`` and ``aria-label`` texts and the JSON-LD all come out in one script,
and nothing a template adds later can be missed. Markup is ASCII and
addresses are percent-encoded (``reverse()`` and ``urlencode`` quote them),
so neither changes. What must not be converted is written between
``<!--as-is-->`` and ``<!--/as-is-->``: the 简体 of the script switch, and
the fragments the fragment caches keep converted already
(``converted_in_advance``).

This middleware sits inside the page cache: a page is converted once, when
it is rendered, and then served from the cache like any other.
"""

import re

from infra.chinese_script import to_traditional
from infra.locale import PREFIXED

CONVERTED_TYPES = ("text/html", "application/atom+xml")
AS_IS, END = "<!--as-is-->", "<!--/as-is-->"
KEEP = re.compile(f"({re.escape(AS_IS)}.*?{re.escape(END)})", re.DOTALL)


# Quotation marks as Traditional Chinese sets them: “” as 「」, ‘’ as 『』. A single
# quote only beside Chinese text: the apostrophe of “Children’s Day” stays.
# A literal first, so that the regex engine skips from one quote to the next.
SINGLE_QUOTES = re.compile(r"‘(?=[^\x00-\x7f])|’")


def _single(match):
    if match.group() == "‘":
        return "『"
    start = match.start()
    before = match.string[start - 1] if start else ""
    return "』" if before > "\x7f" else "’"


def quotes(text):
    """``text`` with Traditional quotation marks (in text: markup is ASCII, addresses
    are percent-encoded)."""
    text = text.replace("“", "「").replace("”", "」")  # memchr, not a loop
    if "‘" in text or "’" in text:
        text = SINGLE_QUOTES.sub(_single, text)
    return text


def typeset(text):
    """``text`` converted by OpenCC, then with Traditional quotation marks."""
    return quotes(to_traditional(text))


def convert_page(text):
    """``text`` in Traditional Chinese, but for its ``<!--as-is-->`` parts."""
    if AS_IS not in text:
        return typeset(text)
    return "".join(
        part if index % 2 else typeset(part) for index, part in enumerate(KEEP.split(text))
    )


def converted_in_advance(html):
    """``html`` converted, and marked so that ``convert_page`` leaves it as it is."""
    return f"{AS_IS}{typeset(html)}{END}"


class TraditionalChineseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "LANGUAGE_CODE", None) in PREFIXED and self.convertible(response):
            charset = response.charset
            response.content = convert_page(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    @staticmethod
    def convertible(response):
        return (
            not response.streaming
            and response.get("Content-Type", "").split(";")[0].strip() in CONVERTED_TYPES
        )
