"""作者索引: authors in pinyin order, grouped A–Z by the initial of their surname.

pypinyin reads a character as it is read in ordinary words, and a surname
is often read otherwise (曾 céng → zēng, 单 dān → shàn, 解 jiě → xiè): the
surnames that differ are read from ``SURNAMES``, compound surnames first
(尉迟 is one surname, read yùchí), and the given name as pypinyin reads it in
words, but never in the neutral tone a suffix takes (桌子 zhuōzi): in a name
子 is zǐ, so a character pypinyin reads toneless is given its first toned
reading from pypinyin's own heteronym data.
A name is ordered by its syllables without tones, then by their tones
(1–4, neutral last), then by its characters, as Chinese dictionaries order.
"""

import functools
import re
from dataclasses import dataclass

from django.db.models import Count
from pypinyin import Style, lazy_pinyin, pinyin

# Compound surnames (复姓), each read as a surname, syllable by syllable.
COMPOUND_SURNAMES = {
    "欧阳": "ōu yáng", "司马": "sī mǎ", "上官": "shàng guān", "诸葛": "zhū gě",
    "东方": "dōng fāng", "皇甫": "huáng fǔ", "尉迟": "yù chí", "公孙": "gōng sūn",
    "慕容": "mù róng", "令狐": "líng hú", "长孙": "zhǎng sūn", "宇文": "yǔ wén",
    "司徒": "sī tú", "夏侯": "xià hóu", "轩辕": "xuān yuán", "端木": "duān mù",
    "万俟": "mò qí", "单于": "chán yú", "澹台": "tán tái", "闻人": "wén rén",
    "南宫": "nán gōng", "百里": "bǎi lǐ", "呼延": "hū yán", "钟离": "zhōng lí",
    "西门": "xī mén", "申屠": "shēn tú", "司空": "sī kōng", "淳于": "chún yú",
}  # fmt: skip

# Single surnames whose reading differs from the character's usual one.
SURNAMES = {
    "曾": "zēng", "单": "shàn", "解": "xiè", "仇": "qiú", "区": "ōu", "朴": "piáo",
    "查": "zhā", "盖": "gě", "乐": "yuè", "覃": "qín", "缪": "miào", "翟": "zhái",
    "种": "chóng", "繁": "pó", "冼": "xiǎn", "华": "huà", "过": "guō", "纪": "jǐ",
    "燕": "yān", "瞿": "qú", "折": "shè", "那": "nā", "都": "dū", "六": "lù",
    "薄": "bó", "贾": "jiǎ", "盛": "shèng", "柏": "bǎi", "牟": "móu", "阚": "kàn",
    "宿": "sù", "卜": "bǔ", "员": "yùn", "尉": "yù", "秘": "bì", "重": "chóng",
    "石": "shí", "沈": "shěn", "藏": "zàng", "召": "shào", "句": "gōu", "隗": "wěi",
}  # fmt: skip

TONES = {"ā": "a1", "á": "a2", "ǎ": "a3", "à": "a4", "ē": "e1", "é": "e2", "ě": "e3",
         "è": "e4", "ī": "i1", "í": "i2", "ǐ": "i3", "ì": "i4", "ō": "o1", "ó": "o2",
         "ǒ": "o3", "ò": "o4", "ū": "u1", "ú": "u2", "ǔ": "u3", "ù": "u4", "ǖ": "v1",
         "ǘ": "v2", "ǚ": "v3", "ǜ": "v4", "ü": "v"}  # fmt: skip
LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + ["#"]
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _numbered(syllable):
    """ "zhǎng" -> ("zhang", 3): the letters, and the tone (5 for the neutral tone)."""
    tone = 5
    letters = []
    for char in syllable:
        if char in TONES:
            plain = TONES[char]
            letters.append(plain[0])
            if len(plain) > 1:
                tone = int(plain[1])
        else:
            letters.append(char)
    return "".join(letters), tone


def _given_name(text):
    """The syllables of a given name: pypinyin's phrase reading, each toneless one
    (a suffix's neutral tone) replaced by the character's first toned reading."""
    syllables = lazy_pinyin(text, style=Style.TONE)
    if len(syllables) != len(text):  # letters or digits read as one: as they are
        return syllables
    read = []
    for char, syllable in zip(text, syllables, strict=True):
        if HAN.match(char) and not any(mark in TONES for mark in syllable if mark != "ü"):
            toned = [r for r in pinyin(char, style=Style.TONE, heteronym=True)[0] if r != syllable]
            syllable = next((r for r in toned if any(m in TONES for m in r)), syllable)
        read.append(syllable)
    return read


@dataclass(frozen=True)
class Reading:
    surname: str  # the surname as written (尉迟)
    pinyin: str  # the whole name in pinyin with tones, the surname first: "yùchí gōng"
    initial: str  # "A" to "Z", or "#" for a name that starts with neither Han nor a letter
    key: tuple  # the order of names


@functools.lru_cache(maxsize=100_000)
def read_name(name):
    """How the index reads and orders ``name`` (memoized: a name is read the same way
    every time, and the index reads every author's)."""
    name = name.strip()
    surname = next((s for s in COMPOUND_SURNAMES if name.startswith(s)), None)
    if surname is not None:
        head = COMPOUND_SURNAMES[surname].split()
    elif name[:1] in SURNAMES:
        surname, head = name[0], [SURNAMES[name[0]]]
    elif name[:1] and HAN.match(name[0]):
        surname, head = name[0], lazy_pinyin(name[0], style=Style.TONE)
    else:
        surname, head = "", []
    rest = name[len(surname) :]
    tail = _given_name(rest) if rest else []
    syllables = [s.lower() for s in head + tail if s.strip()]
    numbered = [_numbered(s) for s in syllables]
    first = numbered[0][0][:1].upper() if numbered else ""
    initial = first if "A" <= first <= "Z" else "#"
    key = (
        initial == "#",
        tuple(letters for letters, _tone in numbered),
        tuple(tone for _letters, tone in numbered),
        name,
    )
    pinyin = " ".join(["".join(head), *tail]) if head else " ".join(tail)
    return Reading(surname=surname, pinyin=pinyin.strip(), initial=initial, key=key)


@dataclass
class AuthorEntry:
    name: str
    article_count: int
    reading: Reading


@dataclass
class LetterGroup:
    letter: str
    authors: list


def author_index(rows):
    """``[(name, article_count), ...]`` -> ``[LetterGroup]`` in pinyin order, A–Z then #."""
    entries = sorted(
        (AuthorEntry(name, count, read_name(name)) for name, count in rows),
        key=lambda entry: entry.reading.key,
    )
    groups = []
    for entry in entries:
        if not groups or groups[-1].letter != entry.reading.initial:
            groups.append(LetterGroup(entry.reading.initial, []))
        groups[-1].authors.append(entry)
    return groups


def author_counts(articles):
    """``[(name, count), ...]`` of the authors of ``articles`` (a queryset): one query."""
    return (
        articles.filter(authors__isnull=False)
        .values_list("authors__name")
        .annotate(count=Count("id"))
        .order_by()
    )
