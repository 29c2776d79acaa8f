"""编校检查: the proofing checks a Chinese periodical's text is held to, as pure
functions of an article's paragraphs (no database): punctuation by GB/T
15834-2011, numbers by GB/T 15835-2011, characters (Traditional ones in
Simplified text, by OpenCC's tables; doubled characters), and words often
misprinted (``proofing_data/wrong_words.tsv``, its source named there).

Each ``Finding`` says where (the paragraph, counted from 1, and the position in
it), which rule, the text found and what to write instead. ``error_rate`` is
the 编校差错率: errors per 10,000 characters, against the 2/10,000 line of the
《报纸期刊质量管理规定》.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from infra.chinese_script import simplified_characters

LIMIT_PER_10000 = 2  # 《报纸期刊质量管理规定》: at most 2 errors in 10,000 characters
DATA = Path(__file__).resolve().parent / "proofing_data"

HAN = "\u3400-\u9fff\uf900-\ufaff"
CHINESE_PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】——……·"
HALF_TO_FULL = {
    ",": "，",
    ".": "。",
    ";": "；",
    ":": "：",
    "?": "？",
    "!": "！",
    "(": "（",
    ")": "）",
}
PAIRS = [("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("〈", "〉"), ("【", "】")]
CHINESE_DIGITS = "〇零一二三四五六七八九"
# Characters that a Chinese sentence doubles only by mistake (的的, 了了): 了了 and 的的
# do occur (了了分明, 的的确确), so those words are left alone.
DOUBLED = "的了把被"
DOUBLED_WORDS = ("了了分明", "了了可见", "不甚了了", "的的确确", "一了了之")


@dataclass(frozen=True)
class Finding:
    paragraph: int  # from 1
    position: int  # characters into the paragraph, from 0
    rule: str
    found: str
    suggestion: str


RULES = {
    "punct.half_width": "half-width punctuation in Chinese text (GB/T 15834-2011)",
    "punct.unpaired": "an opening or closing mark without its pair (GB/T 15834-2011)",
    "punct.ellipsis": "the ellipsis is …… (GB/T 15834-2011, 4.11)",
    "punct.dash": "the dash is —— (GB/T 15834-2011, 4.9)",
    "punct.doubled": "the same punctuation mark twice",
    "punct.space": "a space beside Chinese punctuation",
    "number.mixed": "Chinese and Arabic digits in one number (GB/T 15835-2011)",
    "number.full_width": "full-width digits (GB/T 15835-2011: half-width Arabic digits)",
    "number.inconsistent": "the same kind of figure written two ways in one article",
    "char.traditional": "a Traditional or variant character in Simplified text",
    "char.nonstandard": "a character outside the 通用规范汉字表 (2013)",
    "char.doubled": "a character written twice",
    "word.wrong": "a word often misprinted",
    "consistency.author": "an author's name written two ways in one issue",
    "consistency.contents": "the contents page and the articles disagree (目次与正文)",
}


def _han(char):
    return bool(char) and re.match(f"[{HAN}]", char) is not None


def _half_width(paragraph):
    # A half-width mark touching a Chinese character on either side; 3.14, 1,000,
    # "e.g." and English sentences stay as they are.
    for match in re.finditer(r"[,.;:?!()]", paragraph):
        at = match.start()
        before, after = paragraph[at - 1 : at], paragraph[at + 1 : at + 2]
        mark = match.group()
        if mark == "." and ((before.isdigit() and after.isdigit()) or "." in (before, after)):
            continue  # 3.14, or the dots of an ellipsis (its own rule)
        if _han(before) or (_han(after) and mark not in ".:"):
            yield at, mark, HALF_TO_FULL[mark]


def _unpaired(paragraph):
    for opening, closing in PAIRS:
        depth, last_open = 0, None
        for at, char in enumerate(paragraph):
            if char == opening:
                if depth and opening == closing:
                    continue
                depth, last_open = depth + 1, at
            elif char == closing:
                if depth == 0:
                    if char == "’" and paragraph[at - 1 : at].isascii() and at:
                        continue  # an apostrophe: Children’s
                    yield at, char, opening + char
                else:
                    depth -= 1
        if depth:
            yield last_open, opening, opening + closing


ELLIPSIS = re.compile(r"。{3,}|\.{3,}|(?<!…)…(?!…)|…{3,}")
# A single — is GB/T 15834's 一字线 (a range: 1031—1095, 北京—上海), so only the forms
# that can only be a mistyped 破折号 are found: --, －－, ———, and a lone — opening a
# subtitle or following a comma.
DASH = re.compile(r"-{2,}|－{2,}|—{3,}|(?:^|(?<=[，。：]))—(?!—)")
# Three 。 and more are a mistyped ellipsis (its own rule), not a doubled full stop.
DOUBLED_PUNCTUATION = re.compile(r"([，、；：？！])\1+|(?<!。)。。(?!。)")
SPACE = re.compile(rf"(?<=[{HAN}{CHINESE_PUNCTUATION}]) +(?=[{CHINESE_PUNCTUATION}])|"
                   rf"(?<=[{CHINESE_PUNCTUATION}]) +(?=[{HAN}])")  # fmt: skip
MIXED_NUMBER = re.compile(
    rf"[{CHINESE_DIGITS}0-9]*(?:[{CHINESE_DIGITS}][0-9]|[0-9][{CHINESE_DIGITS}])[{CHINESE_DIGITS}0-9]*"
)
FULL_WIDTH_DIGITS = re.compile(r"[０-９]+")


def _suggest_number(text):
    digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
    digits["零"] = "0"
    return "".join(digits.get(c, c) for c in text)


def _traditional(paragraph):
    simplified = simplified_characters(paragraph)
    if simplified == paragraph:
        return
    if len(simplified) != len(paragraph):
        # A phrase conversion that changed the length: compare character by character.
        for at, char in enumerate(paragraph):
            plain = simplified_characters(char)
            if plain != char:
                yield at, char, plain
        return
    for at, (char, plain) in enumerate(zip(paragraph, simplified, strict=True)):
        if char != plain:
            yield at, char, plain


@functools.cache
def general_standard_characters():
    """The 8,105 characters of the 通用规范汉字表 (the data file names its source)."""
    text = (DATA / "general_standard_characters.txt").read_text(encoding="utf-8")
    return frozenset("".join(line for line in text.splitlines() if not line.startswith("#")))


HAN_CHARACTER = re.compile(f"[{HAN}]")


def _nonstandard(paragraph, traditional_at):
    """Han characters outside the 通用规范汉字表 that are not Traditional forms
    (those are ``char.traditional``'s): a rare variant, or a wrong code point."""
    table = general_standard_characters()
    for match in HAN_CHARACTER.finditer(paragraph):
        if match.group() not in table and match.start() not in traditional_at:
            yield match.start(), match.group(), ""


def _doubled(paragraph):
    for match in re.finditer(rf"([{DOUBLED}])\1", paragraph):
        at = match.start()
        window = paragraph[max(0, at - 2) : at + 4]
        if any(word in window for word in DOUBLED_WORDS):
            continue
        yield at, match.group(), match.group(1)


@functools.cache
def wrong_words():
    """``{wrong: right}`` from the data file (lines ``wrong<TAB>right``; ``#`` notes)."""
    pairs = {}
    for line in (DATA / "wrong_words.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        wrong, right = line.split("\t", 1)
        if wrong.strip() and wrong.strip() != right.strip():
            pairs[wrong.strip()] = right.strip()
    return pairs


@functools.cache
def _wrong_words_pattern(words):
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))


def _wrong(paragraph, pairs, pattern):
    for match in pattern.finditer(paragraph):
        yield match.start(), match.group(), pairs[match.group()]


def check(paragraphs, wrong=()):
    """The findings in ``paragraphs`` (a list of strings, or one string of lines), in
    order; ``wrong``: more ``(wrong, right)`` word pairs (the editors' own)."""
    if isinstance(paragraphs, str):
        paragraphs = paragraphs.split("\n")
    pairs = {**wrong_words(), **dict(wrong)}
    pattern = _wrong_words_pattern(frozenset(pairs))
    found = []
    for number, paragraph in enumerate(paragraphs, start=1):
        if not paragraph.strip():
            continue
        traditional = list(_traditional(paragraph))
        rules = [
            ("punct.half_width", _half_width(paragraph)),
            ("punct.unpaired", _unpaired(paragraph)),
            (
                "punct.ellipsis",
                ((m.start(), m.group(), "……") for m in ELLIPSIS.finditer(paragraph)),
            ),
            ("punct.dash", ((m.start(), m.group(), "——") for m in DASH.finditer(paragraph))),
            (
                "punct.doubled",
                (
                    (m.start(), m.group(), m.group()[0])
                    for m in DOUBLED_PUNCTUATION.finditer(paragraph)
                ),
            ),
            ("punct.space", ((m.start(), m.group(), "") for m in SPACE.finditer(paragraph))),
            (
                "number.mixed",
                (
                    (m.start(), m.group(), _suggest_number(m.group()))
                    for m in MIXED_NUMBER.finditer(paragraph)
                ),
            ),
            (
                "number.full_width",
                (
                    (m.start(), m.group(), m.group().translate(FULL_TO_HALF))
                    for m in FULL_WIDTH_DIGITS.finditer(paragraph)
                ),
            ),
            ("char.traditional", traditional),
            ("char.nonstandard", _nonstandard(paragraph, {at for at, _, _ in traditional})),
            ("char.doubled", _doubled(paragraph)),
            ("word.wrong", _wrong(paragraph, pairs, pattern)),
        ]
        for rule, hits in rules:
            found.extend(
                Finding(number, at, rule, text, suggestion) for at, text, suggestion in hits
            )
    found.extend(_inconsistent_figures(paragraphs))
    found.sort(key=lambda finding: (finding.paragraph, finding.position, finding.rule))
    return found


# Kinds of figure written with Chinese or Arabic digits: an article keeps to one
# form of each (GB/T 15835-2011, 4.1: consistency within a text).
FIGURE_FORMS = {
    "year": (re.compile(r"[〇零一二三四五六七八九]{4}年"), re.compile(r"(?<!\d)\d{4}年")),
    "percent": (
        re.compile(r"百分之[〇零一二三四五六七八九十百点]+"),
        re.compile(r"\d+(?:\.\d+)?[%％]"),
    ),
}


def _inconsistent_figures(paragraphs):
    """Findings on the rarer form of a kind of figure an article writes both ways."""
    for chinese, arabic in FIGURE_FORMS.values():
        hits = {"chinese": [], "arabic": []}
        for number, paragraph in enumerate(paragraphs, start=1):
            for form, pattern in (("chinese", chinese), ("arabic", arabic)):
                hits[form] += [(number, m) for m in pattern.finditer(paragraph)]
        if not hits["chinese"] or not hits["arabic"]:
            continue
        rare = "chinese" if len(hits["chinese"]) <= len(hits["arabic"]) else "arabic"
        for number, match in hits[rare]:
            text = match.group()
            yield Finding(number, match.start(), "number.inconsistent", text, _other_form(text))


ARABIC_TO_CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")
CHINESE_VALUES = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _other_form(text):
    """The figure in the other form where that is plain (years, whole percentages)."""
    if text.endswith("年"):
        return (
            _suggest_number(text)
            if text[0] in CHINESE_VALUES
            else text.translate(ARABIC_TO_CHINESE)
        )
    if text.startswith("百分之"):
        value = _chinese_whole(text[3:])
        return f"{value}%" if value is not None else ""
    return ""


def _chinese_whole(text):
    """一百二十 -> 120 for whole numbers under 1,000; None for anything else."""
    total, digit = 0, None
    for char in text:
        if char in CHINESE_VALUES:
            digit = CHINESE_VALUES[char]
        elif char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


FULL_TO_HALF = str.maketrans("０１２３４５６７８９", "0123456789")


def characters(paragraphs):
    """The characters an error rate is counted against: all but white space."""
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    return sum(len(re.sub(r"\s", "", paragraph)) for paragraph in paragraphs)


def error_rate(errors, characters):
    """编校差错率: errors per 10,000 characters (0 for no text)."""
    return round(errors * 10000 / characters, 2) if characters else 0.0


def passes(errors, characters):
    """Whether the text is within the 2/10,000 line."""
    return error_rate(errors, characters) <= LIMIT_PER_10000


@dataclass(frozen=True)
class IssueProof:
    """The checks run over an issue's articles: ``[(article, findings)]`` in reading
    order, its characters and the rate its findings make."""

    articles: list
    characters: int

    @property
    def findings(self):
        return sum(len(found) for _, found in self.articles)

    @property
    def rate(self):
        return error_rate(self.findings, self.characters)


def proofread(issue, wrong=()):
    """Check every article of ``issue`` (title, kicker, subtitle and body paragraphs;
    paragraph 1 is the title's line, as the findings count them); ``wrong``: the
    office's own word pairs."""
    results, total = [], 0
    for article in issue.articles.in_reading_order():
        paragraphs = article_paragraphs(article)
        total += characters(paragraphs)
        results.append((article, check(paragraphs, wrong=wrong)))
    return IssueProof(results, total)


def article_paragraphs(article):
    """What of an article is proofread, paragraph by paragraph: its heads, then its text."""
    return [article.title, article.kicker, article.subtitle, *article.body.split("\n")]
