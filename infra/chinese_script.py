"""Simplified and Traditional Chinese, converted by OpenCC phrase by phrase.

A character table turns 头发 into 頭發 (发 is both 發 "to send" and 髮
"hair"); OpenCC looks at the words first, so 头发 is 頭髮 and 发展 發展.
Which Traditional standard readers get is ``settings.TRADITIONAL_CHINESE``
(``s2twp``, Taiwan's characters and words, by default); the way back, for
what readers type into the search, is the same standard read the other way,
so a word readers see on a page (軟體, from 软件) finds that page. Words are
converted one at a time.
"""

import functools

import opencc
from django.conf import settings

# Each standard and its way back: the characters of Taiwan (tw) or Hong
# Kong (hk), or OpenCC's own Traditional (t); with Taiwan's words too (twp).
STANDARDS = {"s2twp": "tw2sp", "s2tw": "tw2s", "s2hk": "hk2s", "s2t": "t2s"}
# What the standard is called in HTML's lang and in Open Graph's og:locale.
LANG_TAGS = {"s2twp": "zh-TW", "s2tw": "zh-TW", "s2hk": "zh-HK", "s2t": "zh-Hant"}


@functools.cache
def _converter(config):
    return opencc.OpenCC(config)


def standard():
    return settings.TRADITIONAL_CHINESE


def to_traditional(text):
    return _converter(standard()).convert(text) if text else text


def simplified_characters(text):
    """``text`` with each Traditional or variant character in its Simplified form, by
    OpenCC's table (t2s), whatever the site's standard: what the proofing checks ask."""
    return _converter("t2s").convert(text) if text else text


def to_simplified(text):
    """``text`` in Simplified Chinese, if it is written in Traditional.

    Text without a Traditional character is left as it is: the way back
    also turns Taiwan's words into the mainland's, and 文件, a Simplified
    word as much as a Taiwanese one, must not become 文档."""
    if not text or _converter("t2s").convert(text) == text:
        return text
    return _converter(STANDARDS[standard()]).convert(text)


def warm_up():
    """Load the converters and the Traditional interface now (some 0.1 s): a
    server's worker does it before its first request, not during one."""
    from django.utils import translation

    to_traditional("头发")
    to_simplified("頭髮")
    with translation.override("zh-hant"):
        translation.gettext("Past issues")


def lang_tag():
    return LANG_TAGS[standard()]
