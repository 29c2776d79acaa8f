"""字数: an article's length as printers count it.

A character that takes a whole square of type counts one: Han characters,
kana and hangul, full-width punctuation and the marks Chinese print sets
full-width (“ ” ‘ ’ — … ·). A half-width character (Latin letters, digits,
ASCII signs) takes half a square and counts half, rounded up over the text;
spaces and line breaks count nothing. ``word_count.js`` counts the same way
on the article form, as the editor types; the two share their tests.
"""

import re

FULL_WIDTH = re.compile(
    "[\u00b7\u1100-\u115f\u2014-\u2026\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)
SPACE = re.compile(r"\s")


def word_count(text):
    """The 字数 of ``text`` (an int)."""
    if not text:
        return 0
    text = SPACE.sub("", text)
    full = len(FULL_WIDTH.findall(text))
    half = len(text) - full
    return full + (half + 1) // 2


class IssueWordCounts:
    """An issue's pages in order, each with its articles' word counts and their sum;
    ``unplaced`` the articles on no page yet; ``total`` the whole issue's. Two queries."""

    def __init__(self, issue):
        articles = {}
        self.unplaced = []
        for article in issue.articles.in_reading_order().only(
            "id", "issue_id", "section_id", "title", "byline", "body"
        ):
            row = (article, word_count(article.body))
            if article.section_id is None:
                self.unplaced.append(row)
            else:
                articles.setdefault(article.section_id, []).append(row)
        self.pages = [
            (page, articles.get(page.pk, []), sum(n for _a, n in articles.get(page.pk, [])))
            for page in issue.sections.all()
        ]
        self.unplaced_total = sum(n for _a, n in self.unplaced)
        self.total = sum(n for _p, _a, n in self.pages) + self.unplaced_total
        self.article_count = sum(len(a) for _p, a, _n in self.pages) + len(self.unplaced)
