"""Chinese text cut into overlapping character pairs, for full-text search.

Chinese has no spaces between words, and no dictionary knows every name. So
the index holds every pair of neighbouring characters ("组工干部" is 组工 工干
干部) and a query is the phrase of its own pairs ("干部" is the pair 干部,
"经济发展" the phrase 经济 济发 发展): a document matches exactly when the
query's text occurs in it, whatever the words. Latin letters and digits are
kept as whole lower-case words. No Django here: the index and the query are
made by the same functions on PostgreSQL and SQLite.
"""

import re
import unicodedata

# A run of Han characters (and the other scripts written without spaces), or
# a run of letters and digits.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af\U00020000-\U0002fa1f"
_RUNS = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
# What one article's index may hold, on both databases alike (PostgreSQL's
# limits, which SQLite's FTS5 does not have, so that an article is found by the
# same words wherever it is stored): positions up to 16,383, a lexeme under
# 2 KB and a tsvector under 1 MB. Runs of letters or digits longer than
# MAX_WORD_CHARS (no word is; a line of 3,000 letters or 840 Thai characters
# is) are cut there, in documents and queries alike, and an article's tokens
# stop where the positions or the bytes would run out.
MAX_TOKENS = 16_000
MAX_WORD_CHARS = 200  # at most 800 bytes in UTF-8
MAX_INDEX_BYTES = 900_000  # of PostgreSQL's 1,048,575 for lexemes and positions
MAX_POSITIONS_PER_LEXEME = 256  # PostgreSQL keeps no more; the rest cost nothing


def tokens(text):
    """The index tokens of ``text``, in order."""
    out = []
    for run in _RUNS.finditer(unicodedata.normalize("NFKC", text or "").lower()):
        cjk = run.group("cjk")
        if cjk is None:
            out.append(run.group("word")[:MAX_WORD_CHARS])
        elif len(cjk) == 1:
            out.append(cjk)
        else:
            out.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return out


def index_tokens(fields):
    """The tokens of each of ``fields`` that an article's index holds, within the limits.

    Fields come in order of weight (title, head, body); once the positions or
    the bytes of the whole are used up, the rest of the text is not indexed.
    """
    out, positions, size, seen = [], 0, 0, {}
    for text in fields:
        kept = []
        for token in tokens(text):
            count = seen.get(token, 0)
            # A new lexeme costs its bytes and its entry; each occurrence a position.
            cost = (len(token.encode()) + 4 if count == 0 else 0) + (
                2 if count < MAX_POSITIONS_PER_LEXEME else 0
            )
            if positions >= MAX_TOKENS or size + cost > MAX_INDEX_BYTES:
                break
            seen[token] = count + 1
            kept.append(token)
            positions += 1
            size += cost
        out.append(kept)
        positions += 1  # the gap between fields (see tsvector)
    return out


def fts5_columns(fields):
    """SQLite: each field's indexed tokens as a space-separated text, one per column."""
    return [" ".join(kept) for kept in index_tokens(fields)]


def tsvector(weighted_fields):
    """A PostgreSQL tsvector literal from ``[(text, weight), ...]``.

    Written out with positions and weights instead of ``to_tsvector()``, so
    that PostgreSQL's parser (whose idea of a letter depends on the
    database's locale) never sees the Chinese; one position is skipped
    between fields so that no phrase spans two of them. Each occurrence is
    written as it comes (PostgreSQL merges a token's positions when it reads
    the literal), and weight D, the default, is left unwritten.
    """
    parts = []
    position = 0
    kept_tokens = index_tokens([text for text, _ in weighted_fields])
    for found, (_, weight) in zip(kept_tokens, weighted_fields, strict=True):
        if found:
            entry = "'{}':{}" + ("" if weight == "D" else weight)
            numbers = range(position + 1, position + 1 + len(found))
            parts.append(" ".join(map(entry.format, found, numbers)))
        position += len(found) + 1
    return " ".join(parts)


def split_query(text):
    """The terms of a query: white space separates them, quotes keep a phrase whole."""
    terms = []
    for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', unicodedata.normalize("NFKC", text)):
        term = (quoted or bare).strip().strip('"')
        if term and term not in terms:
            terms.append(term)
    return terms


def is_indexed(term):
    """Whether the index can answer the term: every run of Chinese in it has two
    characters or more (a lone character, as in 党 or A股, has no pair)."""
    runs = list(_RUNS.finditer(unicodedata.normalize("NFKC", term).lower()))
    return bool(runs) and all(run.group("cjk") is None or len(run.group("cjk")) > 1 for run in runs)


def tsquery(terms):
    """PostgreSQL: every term as a phrase of its tokens, all terms required."""
    return " & ".join(
        "(" + " <-> ".join(f"'{token}'" for token in tokens(term)) + ")" for term in terms
    )


def tsquery_all(terms):
    """PostgreSQL: every token of every term, anywhere (answered by the index alone)."""
    return " & ".join(f"'{token}'" for term in terms for token in dict.fromkeys(tokens(term)))


def fts5_all(terms):
    """SQLite FTS5: the same."""
    return " AND ".join(f'"{token}"' for term in terms for token in dict.fromkeys(tokens(term)))


def fts5_query(terms):
    """SQLite FTS5: the same, in FTS5's syntax."""
    return " AND ".join('"' + " ".join(tokens(term)) + '"' for term in terms)
