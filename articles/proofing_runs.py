"""The proofing checks run over articles and issues, their findings kept and decided.

Run on every save of an article (``articles.apps``), after an import, and over
a whole issue as a job; ``manage.py proofread`` reads the same results. A run
replaces an article's open findings with what the text shows now; findings an
editor accepted stay (they are the issue's errors, counted in its rate) and
findings ignored are not raised again for that article, rule and text.
"""

import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import proofing
from articles.proofing_records import (
    FindingStatus,
    IgnoredFinding,
    ProofCheck,
    ProofFinding,
    WrongWord,
)
from infra.chinese_script import to_simplified

# Paragraph 0 is the byline (only the issue's rules look at it), then the heads;
# the body's lines follow from 4.
FIELDS_BY_PARAGRAPH = {0: "byline", 1: "title", 2: "kicker", 3: "subtitle"}


class FindingRefused(Exception):
    """A decision that no longer applies (one line)."""


def check_articles(articles, now=None):
    """Check ``articles`` (instances, each with its issue id) and keep what is found."""
    articles = [article for article in articles if article.pk is not None]
    if not articles:
        return 0
    now = now or timezone.now()
    wrong = WrongWord.pairs()
    ids = [article.pk for article in articles]
    ignored = set(
        IgnoredFinding.objects.filter(article_id__in=ids).values_list("article_id", "rule", "found")
    )
    rows, checks = [], []
    for article in articles:
        paragraphs = proofing.article_paragraphs(article)
        checks.append(
            ProofCheck(
                article_id=article.pk,
                characters=proofing.characters(paragraphs),
                checked_at=now,
            )
        )
        rows += [
            _row(article.issue_id, article.pk, finding, now)
            for finding in proofing.check(paragraphs, wrong=wrong)
            if (article.pk, finding.rule, finding.found[:200]) not in ignored
        ]
    with transaction.atomic():
        _replace_open(ProofFinding.objects.filter(article_id__in=ids), rows)
        ProofCheck.objects.bulk_create(
            checks,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["characters", "checked_at"],
        )
    return len(rows)


def _key(finding):
    return (finding.article_id, finding.paragraph, finding.position, finding.rule, finding.found)


def _replace_open(findings, rows):
    """The open ``findings`` become ``rows``: those found again keep their row (and the
    id an editor's open page names), the rest go, the new are added."""
    wanted = {_key(row): row for row in rows}
    stale = []
    for pk, *key in findings.filter(status=FindingStatus.OPEN).values_list(
        "pk", "article_id", "paragraph", "position", "rule", "found"
    ):
        if wanted.pop(tuple(key), None) is None:
            stale.append(pk)
    if stale:
        ProofFinding.objects.filter(pk__in=stale).delete()
    ProofFinding.objects.bulk_create(wanted.values(), batch_size=500)


def _row(issue_id, article_id, finding, now):
    return ProofFinding(
        issue_id=issue_id,
        article_id=article_id,
        paragraph=finding.paragraph,
        position=finding.position,
        rule=finding.rule,
        found=finding.found[:200],
        suggestion=finding.suggestion[:200],
        found_at=now,
    )


def check_issue(issue, progress=None):
    """Every article of ``issue`` and the issue's own consistency; the issue's rate."""
    articles = list(issue.articles.in_reading_order())
    for start in range(0, len(articles), 100):
        check_articles(articles[start : start + 100])
        if progress is not None:
            progress(min(start + 100, len(articles)), len(articles))
    check_consistency(issue, articles)
    return IssueRate.of(issue)


# An issue's own rules: what no single article shows.


def check_consistency(issue, articles=None):
    """An author's name written two ways, and the contents page against the articles:
    kept as findings of the issue (replacing its open ones of these rules)."""
    articles = list(issue.articles.in_reading_order()) if articles is None else articles
    now = timezone.now()
    ignored = set(
        IgnoredFinding.objects.filter(article__issue=issue).values_list(
            "article_id", "rule", "found"
        )
    )
    found = [
        row
        for row in [*_author_forms(issue, articles, now), *_contents(issue, articles, now)]
        if (row.article_id, row.rule, row.found) not in ignored
    ]
    with transaction.atomic():
        _replace_open(
            ProofFinding.objects.filter(issue=issue, rule__startswith="consistency."), found
        )
    return found


def name_key(name):
    """What two spellings of one name share: Simplified, no spaces or dots, one width."""
    name = unicodedata.normalize("NFKC", to_simplified(name))
    return re.sub(r"[\s·•・.]", "", name).casefold()


def _author_forms(issue, articles, now):
    """The rarer spelling of a name the issue's bylines write two ways (张三 / 張三 /
    张 三): a finding on each article that has it, the usual spelling suggested."""
    from articles.bylines import author_names

    spellings = {}
    for article in articles:
        for name in author_names(article.byline):
            spellings.setdefault(name_key(name), {}).setdefault(name, []).append(article)
    for forms in spellings.values():
        if len(forms) < 2:
            continue
        # The Simplified spelling first (a Traditional one is never this text's),
        # then the one most articles use.
        usual = max(forms, key=lambda name: (to_simplified(name) == name, len(forms[name]), name))
        for name, written_in in forms.items():
            if name == usual:
                continue
            for article in written_in:
                yield ProofFinding(
                    issue_id=issue.pk,
                    article_id=article.pk,
                    paragraph=0,
                    position=max(article.byline.find(name), 0),
                    rule="consistency.author",
                    found=name[:200],
                    suggestion=usual[:200],
                    found_at=now,
                )


CONTENTS_HEADINGS = {"目录", "目次", "本期目录", "本期要目", "要目"}
CONTENTS_LINE = re.compile(r"^(?P<title>.+?)[\s.·…．。\-—_]*(?P<page>\d{1,3})$")


def contents_entries(issue):
    """``[(title, page number)]`` read from the issue's printed contents page (目录),
    from its page PDF's text layer; empty when no page prints one."""
    for section in issue.sections.exclude(pdf="").order_by("code")[:8]:
        rows = _page_rows(section)
        if any(re.sub(r"\s", "", row) in CONTENTS_HEADINGS for row in rows[:6]):
            entries = []
            for row in rows:
                match = CONTENTS_LINE.match(row.strip())
                if match and len(match.group("title").strip()) >= 2:
                    entries.append((match.group("title").strip(), int(match.group("page"))))
            return entries
    return []


def _page_rows(section):
    """The page's text, row by row (a contents line's title and page number are one
    row even with a gap between them)."""
    import pypdfium2

    from pagelayout.pdf_text import page_chars
    from pagelayout.reading import lines_of

    try:
        with section.pdf.open("rb") as handle:
            document = pypdfium2.PdfDocument(handle.read())
    except (OSError, pypdfium2.PdfiumError):
        return []
    try:
        lines = lines_of(page_chars(document, 0)) if len(document) else []
    finally:
        document.close()
    rows = []
    for line in lines:
        middle = (line.box.y0 + line.box.y1) / 2
        first = rows[-1][0].box if rows else None
        if first is not None and abs((first.y0 + first.y1) / 2 - middle) < 0.5 * (
            line.box.y1 - line.box.y0
        ):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [" ".join(part.text for part in sorted(row, key=lambda ln: ln.box.x0)) for row in rows]


def _contents(issue, articles, now):
    """Each contents entry whose title no article has, or whose page is not the
    article's (目次与正文一致)."""
    entries = contents_entries(issue)
    if not entries:
        return
    by_title = {_title_key(article.title): article for article in articles}
    pages = dict(issue.sections.values_list("pk", "code"))
    for title, page in entries:
        article = by_title.get(_title_key(title))
        if article is None:
            yield ProofFinding(
                issue_id=issue.pk,
                article=None,
                paragraph=0,
                position=0,
                rule="consistency.contents",
                found=f"{title} {page}"[:200],
                suggestion="",
                found_at=now,
            )
            continue
        code = pages.get(article.section_id, "")
        if code.isdecimal() and int(code) != page:
            yield ProofFinding(
                issue_id=issue.pk,
                article_id=article.pk,
                paragraph=1,
                position=0,
                rule="consistency.contents",
                found=f"{title} {page}"[:200],
                suggestion=f"{title} {int(code)}"[:200],
                found_at=now,
            )


def _title_key(title):
    return re.sub(r"[\s\W_]", "", unicodedata.normalize("NFKC", title)).casefold()


# Decisions.


def accept(finding, user):
    """接受修改: the suggestion written into the article where it was found (a save
    like an editor's, with its version and history), the finding kept as an error."""
    with transaction.atomic():
        finding = _locked(finding)
        # Decided first: the correction's save checks the article again and
        # replaces its open findings.
        finding.status = FindingStatus.ACCEPTED
        finding.decided_by, finding.decided_at = user, timezone.now()
        finding.save(update_fields=["status", "decided_by", "decided_at"])
        article = finding.article
        # A suggestion is written in; an empty one deletes only a stray space (a
        # character outside the table has no single right form: the editor writes it).
        writes = finding.suggestion != "" or finding.rule == "punct.space"
        if article is not None and writes and finding.rule != "consistency.contents":
            _correct(article, finding, user)
    return finding


def _locked(finding):
    # Ordered by nothing but its key: the default order joins the nullable article,
    # which PostgreSQL cannot lock.
    found = ProofFinding.objects.select_for_update().filter(pk=finding.pk).order_by("pk").first()
    if found is None:
        raise FindingRefused(_("The text has changed since this was found: check again."))
    if found.status != FindingStatus.OPEN:
        raise FindingRefused(_("This finding is decided already."))
    return found


def _correct(article, finding, user):
    field, line = where(finding.paragraph)
    text = getattr(article, field)
    lines = text.split("\n") if field == "body" else [text]
    if line >= len(lines):
        raise FindingRefused(_("The text has changed since this was found: check again."))
    paragraph = lines[line]
    at, found = finding.position, finding.found
    if paragraph[at : at + len(found)] != found:
        raise FindingRefused(_("The text has changed since this was found: check again."))
    lines[line] = paragraph[:at] + finding.suggestion + paragraph[at + len(found) :]
    setattr(article, field, "\n".join(lines))
    article._change_reason = f"编校: {found} → {finding.suggestion}"[:100]
    article._history_user = user
    article.save()


def where(paragraph):
    """The article's field and line a finding's paragraph number points at."""
    if paragraph in FIELDS_BY_PARAGRAPH:
        return FIELDS_BY_PARAGRAPH[paragraph], 0
    return "body", paragraph - 4


def ignore(finding, user):
    """忽略: not an error here; this article's later checks leave it out."""
    with transaction.atomic():
        finding = _locked(finding)
        IgnoredFinding.objects.get_or_create(
            article_id=finding.article_id,
            rule=finding.rule,
            found=finding.found,
            defaults={"user": user},
        )
        finding.status = FindingStatus.IGNORED
        finding.decided_by, finding.decided_at = user, timezone.now()
        finding.save(update_fields=["status", "decided_by", "decided_at"])
    return finding


@dataclass(frozen=True)
class IssueRate:
    """编校差错率 of an issue: errors (findings accepted) per 10,000 characters, and
    the findings still to decide."""

    errors: int
    open: int
    characters: int
    checked: int  # articles checked
    articles: int

    @classmethod
    def of(cls, issue):
        from django.db.models import Count, Q, Sum

        findings = ProofFinding.objects.filter(issue=issue).aggregate(
            errors=Count("pk", filter=Q(status=FindingStatus.ACCEPTED)),
            open=Count("pk", filter=Q(status=FindingStatus.OPEN)),
        )
        checks = ProofCheck.objects.filter(article__issue=issue).aggregate(
            characters=Sum("characters"), checked=Count("pk")
        )
        return cls(
            errors=findings["errors"],
            open=findings["open"],
            characters=checks["characters"] or 0,
            checked=checks["checked"],
            articles=issue.articles.count(),
        )

    @property
    def rate(self):
        return proofing.error_rate(self.errors, self.characters)

    @property
    def rate_if_all_errors(self):
        """The rate if every open finding proved an error: what is at stake."""
        return proofing.error_rate(self.errors + self.open, self.characters)

    @property
    def passes(self):
        return self.rate <= proofing.LIMIT_PER_10000

    @property
    def line(self):
        return proofing.LIMIT_PER_10000


# Checks on every save: right away, or once for a whole import.

_deferred = ContextVar("proofing_deferred", default=None)


@contextmanager
def deferred():
    """Articles saved within are checked once, together, at the end (an import)."""
    if _deferred.get() is not None:  # an outer import checks them
        yield
        return
    pending = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        if pending:
            from articles.models import Article

            articles = list(Article.objects.filter(pk__in=pending))
            for start in range(0, len(articles), 100):
                check_articles(articles[start : start + 100])


def on_article_saved(sender, instance, history_instance, **kwargs):
    if history_instance.history_type == "-":
        return  # its findings go with it
    pending = _deferred.get()
    if pending is not None:
        pending.add(instance.pk)
    else:
        check_articles([instance])
