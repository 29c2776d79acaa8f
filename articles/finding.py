"""Which article each printed block belongs to, and the areas that follow.

The pages' blocks (``pagelayout``: a PDF's text layer, or a scan's reading)
are matched to the issue's articles:

* a heading block whose text is an article's title (set on one line or two);
* a short block next to a title that is that article's kicker, subtitle or
  byline;
* a body block by its text: the characters it shares with each article's
  body, in runs of ``SHINGLE`` (whitespace and punctuation left out, so that
  line breaks, full-width spaces and a paragraph cut across columns or pages
  change nothing), weighted by how rare each run is in the issue;
* a 下转第N版 / 上接第N版 line goes with the body block it ends or starts;
* running heads and folios (at the page's top and foot) are no article's.

An article's area on a page is the box around its blocks there, or several
boxes where one would take in another article's text. Each area keeps the
confidence of its weakest block. ``find()`` returns, page by page, the areas,
the low-confidence ones, the blocks that match no article; and the articles
printed nowhere.
"""

import math
import re
import unicodedata
import zlib
from dataclasses import dataclass, field

from pagelayout.model import Box

SHINGLE = 5  # characters: a run this long rarely repeats across a magazine's articles
SAMPLE = 2  # keep one run in this many (by hash): an issue's index in a few MB
BODY_MATCH = 0.3  # share of a body block's runs found in one article
CLEARLY_BEST = 1.5  # the best article's score over the next one's: a clear match
TIE = 0.85  # articles scoring this close to the best: the block's neighbours decide
LOW_CONFIDENCE = 0.6
HEADING = 1.3  # a heading is set this many times larger than the body
BOLD = 700  # or in bold at the body's size or larger
HEAD_LENGTH = 40  # characters: a kicker, subtitle or byline is no longer
TITLE_LINES = 3  # a title is set on no more lines
MARGIN = 0.055  # running heads and folios live in this much of the top and foot
PAD = 0.004  # around a found area: it frames the text, it does not clip it
MARKER = re.compile(r"^[（(]?\s*(下转|上接|转|接)\s*第?\s*([0-9A-Za-z]+)\s*版\s*[）)]?$")
OTHERS_INK = 0.12  # share of another article's block an area may cover
STRAY_LINES = 3  # an article's only lines on a page, this few, inside another's area
STRAY_INSIDE = 0.8  # share of them inside the other's area: they are the other's


def norm(text):
    """Text compared as printed: width and compatibility forms folded, no white
    space, no punctuation."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN").lower()


def shingles(text):
    text = norm(text)
    return {
        text[i : i + SHINGLE]
        for i in range(max(1, len(text) - SHINGLE + 1))
        # A stable hash: Python's own changes from one process to the next.
        if zlib.crc32(text[i : i + SHINGLE].encode()) % SAMPLE == 0
    }


@dataclass
class Printed:
    """An article as the matching needs it."""

    id: int
    title: str
    kicker: str = ""
    subtitle: str = ""
    byline: str = ""
    body: str = ""


@dataclass
class PageFinding:
    """What was found on one page."""

    code: str
    areas: dict = field(default_factory=dict)  # article id -> [([x, y, w, h], confidence)]
    low: list = field(default_factory=list)  # (article id, confidence)
    unmatched: list = field(default_factory=list)  # first words of blocks of no article
    titles: set = field(default_factory=set)  # article ids whose title is printed here


class Matcher:
    def __init__(self, articles):
        self.articles = {article.id: article for article in articles}
        self.titles = {}
        self.heads = {}
        for article in articles:
            self.titles.setdefault(norm(article.title), article.id)
            for text in (article.kicker, article.subtitle, article.byline):
                for line in text.split("\n"):
                    if norm(line):
                        self.heads.setdefault(norm(line), set()).add(article.id)
        self.index = {}
        for article in articles:
            for run in shingles(article.body):
                self.index.setdefault(run, []).append(article.id)
        self.count = max(1, len(articles))

    def title_of(self, text):
        """The article whose title ``text`` is (or, read by OCR, nearly is)."""
        key = norm(text)
        if key in self.titles:
            return self.titles[key], 1.0
        if len(key) >= 4:
            best, score = None, 0.0
            for title, article in self.titles.items():
                if abs(len(title) - len(key)) <= max(2, len(title) // 5):
                    ratio = _similar(key, title)
                    if ratio > score:
                        best, score = article, ratio
            if best is not None and score >= 0.8:
                return best, score
        return None, 0.0

    def heads_within(self, text):
        """The articles one of whose kicker, subtitle or byline lines is within a
        short ``text``, or holds it."""
        key = norm(text)
        if not 2 <= len(key) <= HEAD_LENGTH:
            return set()
        found = set()
        for head, articles in self.heads.items():
            if len(head) >= 2 and (head in key or key in head):
                found |= articles
        return found

    def body_of(self, text):
        """The articles whose body ``text`` may be printed from: ``[(article id,
        share)]``, best first, those within ``TIE`` of the best; the share is the part
        of the text's runs (weighted by rarity) found in the article. Empty when
        nothing is close enough."""
        runs = shingles(text)
        if not runs:
            return []
        scores, total = {}, 0.0
        for run in runs:
            owners = self.index.get(run, ())
            weight = math.log(1 + self.count / len(owners)) if owners else math.log(1 + self.count)
            total += weight
            for owner in set(owners):
                scores[owner] = scores.get(owner, 0.0) + weight
        ranked = sorted(((a, s / total) for a, s in scores.items()), key=lambda i: -i[1])
        if not ranked or ranked[0][1] < BODY_MATCH:
            return []
        if len(ranked) > 1 and ranked[0][1] >= CLEARLY_BEST * ranked[1][1]:
            return ranked[:1]
        return [(a, share) for a, share in ranked if share >= TIE * ranked[0][1]]


def _similar(a, b):
    import difflib

    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()


def body_size(blocks):
    """The size most characters of the page are set in: its body."""
    weights = {}
    for block in blocks:
        for line in block.lines:
            key = round(line.size, 4)
            weights[key] = weights.get(key, 0) + len(line.chars)
    return max(weights, key=weights.get) if weights else 0.0


def match_page(matcher, code, blocks):
    """``(PageFinding, owner, kinds)`` for one page: ``owner`` maps block numbers to
    ``(article id, confidence)``, ``kinds`` to how each was matched ("title", "head",
    "body", "marker"). The areas are drawn by ``find()``, which sees every page."""
    finding = PageFinding(code)
    owner, kinds, pending = {}, {}, {}
    body = body_size(blocks)
    # Titles first: they tie the short blocks beside them to their article.
    for number, block in enumerate(blocks):
        heading = body and (
            block.size >= HEADING * body or (block.weight >= BOLD and block.size >= body)
        )
        if heading:
            article, score = matcher.title_of(block.text)
        else:  # a title set hardly larger than the text: only as it was entered
            article, score = matcher.titles.get(norm(block.text)), 1.0
            if len(block.lines) > TITLE_LINES or len(norm(block.text)) < 4:
                article = None
        if article is not None:
            owner[number], kinds[number] = (article, score * block.confidence), "title"
            finding.titles.add(article)
    for number, block in enumerate(blocks):
        if number in owner or _is_margin(block) or MARKER.match(block.text.strip()):
            continue
        chosen = _head_owner(blocks, owner, number, matcher.heads.get(norm(block.text)), finding)
        if chosen is not None:
            owner[number], kinds[number] = (chosen, block.confidence), "head"
            continue
        ranked = matcher.body_of(block.text)
        if len(ranked) == 1:
            owner[number] = (ranked[0][0], _confidence(ranked[0][1]) * block.confidence)
            kinds[number] = "body"
        elif ranked:
            pending[number] = dict(ranked)
        else:
            # A byline set otherwise than entered ("文/王晓芳" for "王晓芳"), beside its
            # article's title.
            within = matcher.heads_within(block.text)
            chosen = _head_owner(blocks, owner, number, within, finding, beside_title=True)
            if chosen is not None:
                owner[number], kinds[number] = (chosen, 0.8 * block.confidence), "head"
    for number in _settle(blocks, owner, pending, finding.titles):
        kinds[number] = "body"
    for number, block in enumerate(blocks):
        if number in owner or _is_margin(block):
            continue
        marker = MARKER.match(block.text.strip())
        if marker:
            neighbour = _marker_neighbour(blocks, owner, number, marker.group(1))
            if neighbour is not None:
                owner[number], kinds[number] = owner[neighbour], "marker"
            continue
        if len(norm(block.text)) >= 2:
            finding.unmatched.append(block.first_words())
    return finding, owner, kinds


def _mentions(pages):
    """Articles only named on a page (a cover line, a contents entry, a teaser): their
    title or byline is there and none of their text. ``{page number: {article ids}}``.
    A title alone stays an area where the article's text starts on the next page and
    its title is not printed there (an opening spread: title and picture, then text)."""
    text_on = [
        {article for n, (article, _) in owner.items() if kinds[n] in ("body", "marker")}
        for _, owner, kinds in pages
    ]
    named = [
        {article for n, (article, _) in owner.items() if kinds[n] in ("title", "head")}
        for _, owner, kinds in pages
    ]
    mentions = {}
    for number, (finding, _, _) in enumerate(pages):
        for article in named[number] - text_on[number]:
            opens = (
                article in finding.titles
                and number + 1 < len(pages)
                and article in text_on[number + 1]
                and article not in pages[number + 1][0].titles
            )
            if not opens:
                mentions.setdefault(number, set()).add(article)
    return mentions


def _head_owner(blocks, owner, number, candidates, finding, beside_title=False):
    """Which of ``candidates`` (articles whose kicker, subtitle or byline block
    ``number`` is) it goes with: the one whose title it stands beside, else the only
    one (unless ``beside_title``)."""
    if not candidates:
        return None
    near = [
        a for a in candidates if a in finding.titles and _next_to_title(blocks, owner, number, a)
    ]
    if len(near) == 1:
        return near[0]
    if len(candidates) == 1 and not beside_title:
        return next(iter(candidates))
    return None


def _confidence(share):
    return min(1.0, share / 0.8)


def _settle(blocks, owner, pending, titles):
    """Blocks whose text could be from several articles (short, or of common words)
    go with a neighbour of the same piece: the column to their left in the same band,
    or the block above them in the same column, when its article is one of theirs;
    else with the one of theirs whose title is printed on the page. Returns the blocks
    settled."""
    settled, changed = [], True
    while pending and changed:
        changed = False
        for number, candidates in list(pending.items()):
            article = _neighbours_article(blocks, owner, number, candidates)
            if article is not None:
                owner[number] = (article, 0.8 * _confidence(candidates[article]))
                del pending[number]
                changed = True
                settled.append(number)
    for number, candidates in pending.items():
        here = [a for a in candidates if a in titles]
        if len(here) == 1:
            owner[number] = (here[0], 0.6 * _confidence(candidates[here[0]]))
            settled.append(number)
    return settled


def _neighbours_article(blocks, owner, number, candidates):
    box = blocks[number].box
    for other, (article, _) in owner.items():
        if article not in candidates:
            continue
        near = blocks[other].box
        left = abs(near.y0 - box.y0) < 0.012 and 0 <= box.x0 - near.x1 < 0.06
        above = abs(near.x0 - box.x0) < 0.02 and 0 <= box.y0 - near.y1 < 0.03
        if left or above:
            return article
    return None


def _is_margin(block):
    box = block.box
    return (box.y1 < MARGIN or box.y0 > 1 - MARGIN) and len(block.lines) == 1


def _next_to_title(blocks, owner, number, article):
    """Whether block ``number`` stands just above or below a block of ``article``
    (its title, or a kicker or subtitle already tied to it), in the same column."""
    box = blocks[number].box
    for other, (owning, _) in owner.items():
        if owning != article:
            continue
        near = blocks[other].box
        if abs(box.x0 - near.x0) < 0.05 and (
            0 <= box.y0 - near.y1 < 0.04 or 0 <= near.y0 - box.y1 < 0.04
        ):
            return True
    return False


def _marker_neighbour(blocks, owner, number, kind):
    """The owned block a 下转 line ends (above it) or an 上接 line starts (below it)."""
    box = blocks[number].box
    best, distance = None, None
    for other in owner:
        candidate = blocks[other].box
        if kind in ("下转", "转"):
            gap = box.y0 - candidate.y1
        else:
            gap = candidate.y0 - box.y1
        same_column = candidate.x0 < box.x1 and candidate.x1 > box.x0
        if -0.01 <= gap < 0.05 and same_column:
            if distance is None or gap < distance:
                best, distance = other, gap
    return best


def _absorb_strays(blocks, owner, kinds):
    """A few lines matched to an article that has nothing else on the page (no title,
    no other text) and that stand inside another article's printed area are that
    article's: text of common words, matched to the wrong piece."""
    by_article = {}
    for number, (article, _) in owner.items():
        by_article.setdefault(article, []).append(number)
    boxes = {a: Box.around([blocks[n].box for n in ns]) for a, ns in by_article.items()}
    for article, numbers in by_article.items():
        if any(kinds.get(n) in ("title", "head") for n in numbers):
            continue
        if sum(len(blocks[n].lines) for n in numbers) > STRAY_LINES:
            continue
        box = boxes[article]
        for other, around in boxes.items():
            if other != article and around.intersection(box) >= STRAY_INSIDE * box.area:
                for n in numbers:
                    owner[n] = (other, owner[n][1] * 0.8)
                break


def _areas(finding, blocks, owner):
    by_article = {}
    for number, (article, score) in owner.items():
        by_article.setdefault(article, []).append((blocks[number].box, score))
    for article, parts in by_article.items():
        others = [blocks[n].box for n, (owning, _) in owner.items() if owning != article]
        boxes = _boxes(parts, others)
        finding.areas[article] = boxes
        weakest = min(score for _, score in boxes)
        if weakest < LOW_CONFIDENCE:
            finding.low.append((article, round(weakest, 2)))


def _boxes(parts, others):
    """As few boxes as cover ``parts`` (``(box, score)``) without taking in much of
    another article's blocks: one if it can, else merged greedily."""
    groups = [(Box(b.x0, b.y0, b.x1, b.y1), score) for b, score in parts]

    def takes_in(box):
        return any(box.intersection(other) > OTHERS_INK * other.area for other in others)

    merged = True
    while merged and len(groups) > 1:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                union = groups[i][0].union(groups[j][0])
                if not takes_in(union):
                    score = min(groups[i][1], groups[j][1])
                    groups = [g for k, g in enumerate(groups) if k not in (i, j)] + [(union, score)]
                    merged = True
                    break
            if merged:
                break
    return [(box.as_area(PAD), round(score, 2)) for box, score in groups]


def find(articles, pages):
    """``({code: PageFinding}, [ids of articles printed nowhere])`` of ``pages``
    (``[(code, blocks)]``, in order) for ``articles`` (``Printed``)."""
    matcher = Matcher(articles)
    matched = [match_page(matcher, code, blocks) for code, blocks in pages]
    mentions = _mentions(matched)
    found = {}
    for number, ((finding, owner, kinds), (_, blocks)) in enumerate(
        zip(matched, pages, strict=True)
    ):
        named_only = mentions.get(number, set())
        finding.titles -= named_only
        owner = {n: o for n, o in owner.items() if o[0] not in named_only}
        _absorb_strays(blocks, owner, kinds)
        _areas(finding, blocks, owner)
        found[finding.code] = finding
    printed = {article for finding in found.values() for article in finding.areas}
    return found, [article.id for article in articles if article.id not in printed]
