"""Full-text search of articles in Chinese, on PostgreSQL and SQLite.

The index holds overlapping character pairs (see ``articles/grams.py``): a
query term matches where its text occurs, for two-character words (干部),
longer words and phrases (经济发展), names and several terms together (all
required). ``index_article`` keeps an article's row current and is called by
``Article.save_and_index`` (admin, import, ``--update``); database triggers
(``articles/triggers.py``) keep the rows' copies of the issue's order and
publication time, whatever changes them;
``rebuild`` redoes them all (``manage.py rebuild_search_index``).

Searches run on ``ArticleSearch`` alone, newest first by ``sort_key``: for a
common word the database walks that index and stops at the first page
instead of sorting every match. Relevance ranks the newest
``RELEVANCE_WINDOW`` matches, so that ranking stays fast for common words.
"""

import functools
import re
import unicodedata

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import Func, Lookup, Value

from articles import grams, sql
from articles.models import Article, ArticleSearch
from infra.chinese_script import to_simplified

MAX_TERMS = 8
EXCERPT_CHARS = 120
RELEVANCE_WINDOW = 1000
# sort_key = (year * NUMBER_SPAN + number) * ISSUE_SPAN + article id: newest issue
# first, for any issue number the URLs allow (1-9999) and any article id
# under 10**10. articles/triggers.py writes the same formula in SQL.
NUMBER_SPAN = 10_000
ISSUE_SPAN = 10_000_000_000


@SearchVectorField.register_lookup
class TsQueryMatch(Lookup):
    """``vector @@ 'a' <-> 'b'::tsquery``: the tsquery is written by ``grams``, not parsed."""

    lookup_name = "tsquery"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


class TsMatchWalk(Func):
    """The same test as ``TsQueryMatch``, written so that no index can answer it:
    the database then walks the newest-first index and stops at the first page,
    which is cheaper than checking every match when matches are dense."""

    function = "ts_match_vq"
    template = "%(function)s(%(expressions)s::tsquery)"
    output_field = models.BooleanField()


class TsRank(Func):
    function = "ts_rank_cd"
    template = "%(function)s(%(expressions)s::tsquery)"
    output_field = models.FloatField()


def issue_base(year, number):
    return (year * NUMBER_SPAN + number) * ISSUE_SPAN


def sort_key(issue, article_id):
    """Newest issue first, then the order articles were entered."""
    return issue_base(issue.year, issue.number) + article_id


def year_range(year):
    return issue_base(year, 0), issue_base(year + 1, 0)


def issue_range(year, number):
    return issue_base(year, number), issue_base(year, number + 1)


def _fields(article):
    title = "\n".join([article.title, article.kicker])
    head = "\n".join([article.subtitle, article.byline])
    return title, head, article.body


def index_article(article):
    """Write the article's search row (one query)."""
    index_articles([article])


def index_articles(articles):
    """Write the search rows of several articles in one query."""
    rows = []
    for article in articles:
        title, head, body = _fields(article)
        key, published = sort_key(article.issue, article.pk), article.issue.published_at
        if connection.vendor == "postgresql":
            vector = grams.tsvector([(title, "A"), (head, "B"), (body, "D")])
            rows.append([article.pk, key, published, vector])
        else:
            rows.append([article.pk, key, published, *grams.fts5_columns([title, head, body])])
    sql.write_search_rows(rows)


def rebuild(batch_size=200, progress=None):
    """Recompute every article's search row, a batch a query; returns how many."""
    count = 0
    batch = []
    for article in Article.objects.select_related("issue").order_by("pk").iterator(batch_size):
        batch.append(article)
        if len(batch) == batch_size:
            index_articles(batch)
            count += len(batch)
            batch = []
            if progress:
                progress(count)
    index_articles(batch)
    count += len(batch)
    ArticleSearch.objects.exclude(article__in=Article.objects.all()).delete()
    if connection.vendor == "sqlite":
        sql.rebuild_fts5()
    return count


class Query:
    """A reader's query: its terms, those the index answers and those it cannot."""

    def __init__(self, text):
        self.text = unicodedata.normalize("NFKC", text or "").replace("\x00", "").strip()
        # Articles are written in Simplified Chinese; words typed in Traditional
        # (on the /zh-hant/ pages, or anywhere) are looked for as their
        # Simplified form: 頭髮 finds 头发, 軟體 (as s2twp shows 软件) finds 软件.
        terms = [to_simplified(t) for t in grams.split_query(self.text) if t.strip()]
        terms = list(dict.fromkeys(terms))
        self.terms = terms[:MAX_TERMS]
        self.dropped = len(terms) > MAX_TERMS
        self.indexed = [t for t in self.terms if grams.is_indexed(t)]
        self.unindexed = [t for t in self.terms if not grams.is_indexed(t)]

    def __bool__(self):
        return bool(self.terms)

    @property
    def titles_only(self):
        """Single characters alone are looked for in titles, kickers and subtitles only."""
        return bool(self.unindexed) and not self.indexed

    @property
    def exact_in_index(self):
        """Whether the index alone (without positions) answers the query exactly."""
        return not self.unindexed and all(len(grams.tokens(t)) == 1 for t in self.indexed)


def search(queryset, query, relevance=False, phrases=True, dense=False):
    """``queryset`` of ArticleSearch rows narrowed to those matching every term.

    ``phrases=False`` asks only that each term's pairs occur, anywhere: the
    index answers that without reading the documents, which makes a cheap
    estimate of how many match. ``dense`` (see ``is_dense``) checks rows in
    newest-first order instead of asking the index for every candidate.
    """
    if query.indexed:
        queryset = _match(queryset, query.indexed, phrases, dense)
    for term in query.unindexed:
        # A lone character has no pair in the index: a plain substring match,
        # over the rows the other terms found, or over the short fields only.
        fields = ["title", "kicker", "subtitle"]
        if query.indexed:
            fields += ["byline", "body"]
        condition = models.Q()
        for field in fields:
            condition |= models.Q(**{f"article__{field}__icontains": term})
        queryset = queryset.filter(condition)
    newest = queryset.order_by("-sort_key")
    if not (relevance and query.indexed):
        return newest
    window = newest.values("pk")[:RELEVANCE_WINDOW]
    # Rank only the window's rows: the outer query must not test every row again.
    ranked = queryset.model.objects.filter(pk__in=window)
    ranked.query.select_related = queryset.query.select_related
    return ranked.annotate(rank=_rank(query)).order_by("-rank", "-sort_key")


def _match(queryset, terms, phrases, dense):
    if connection.vendor == "postgresql":
        text = grams.tsquery(terms) if phrases else grams.tsquery_all(terms)
        if dense:
            return queryset.filter(TsMatchWalk(models.F("vector"), Value(text)))
        return queryset.filter(vector__tsquery=text)
    text = grams.fts5_query(terms) if phrases else grams.fts5_all(terms)
    return queryset.filter(article_id__in=sql.fts5_match(text))


def _rank(query):
    if connection.vendor == "postgresql":
        return TsRank(models.F("vector"), Value(grams.tsquery(query.indexed)))
    return sql.fts5_rank(grams.fts5_query(query.indexed))


def count_candidates(queryset, cap):
    """How many rows (up to ``cap``) hold every pair of the words: the index alone says."""
    with sql.through_the_index():
        return queryset[:cap].count()


def is_dense(candidates, wanted):
    """Whether walking newest-first finds ``wanted`` matches sooner than the index
    can check all ``candidates`` (rows holding every pair of the query, which the
    index counts without reading a document; each check reads one).

    Walking reads about wanted × rows / candidates documents; the index, all
    the candidates. Only PostgreSQL is asked: FTS5 checks phrases in its index.
    """
    if connection.vendor != "postgresql" or not candidates:
        return False
    return candidates * candidates > wanted * sql.row_estimate()


def highlight(text, terms):
    """``text`` as ``(part, matched)`` pairs, every occurrence of the terms matched:
    the template marks those (``<mark>``) and escapes all."""
    pattern = _terms_pattern(terms)
    if pattern is None:
        return [(text, False)] if text else []
    parts, last = [], 0
    for match in pattern.finditer(text):
        if match.start() > last:
            parts.append((text[last : match.start()], False))
        parts.append((match.group(), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def one_line(text):
    """Paragraphs as one run of text for a snippet: two Chinese paragraphs joined as
    Chinese is written, without a space; others with one. (Split and joined: a regex
    looking behind every character cost a search page a tenth of its time.)"""
    if "\n" not in text:
        return text
    paragraphs = [part for part in text.split("\n") if part]
    joined = paragraphs[:1]
    for part in paragraphs[1:]:
        if joined[-1][-1] > "\x7f" and part[0] > "\x7f":
            joined.append(part)
        else:
            joined.append(" " + part)
    return "".join(joined)


def excerpt(text, terms, length=EXCERPT_CHARS):
    """A short passage of ``text`` around the first match, as ``highlight`` gives it,
    with "…" where it was cut."""
    pattern = _terms_pattern(terms)
    match = pattern.search(text) if pattern else None
    if match is None:
        return highlight(text[:length], terms) + ([("…", False)] if len(text) > length else [])
    start = max(0, match.start() - length // 3)
    end = min(len(text), start + length)
    return (
        ([("…", False)] if start else [])
        + highlight(text[start:end], terms)
        + ([("…", False)] if end < len(text) else [])
    )


def _terms_pattern(terms):
    return _compiled_terms(frozenset(t for t in terms if t))


@functools.lru_cache(maxsize=256)
def _compiled_terms(words):
    # Once per query, not three times per result (title, excerpt, its passage).
    if not words:
        return None
    longest_first = sorted(words, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in longest_first), re.IGNORECASE)
