"""The areas found in a print PDF (``articles.finding``), written to the issue.

Run by the print PDF's job once its pages are read (the ``pages_read`` signal
of ``sections.tasks``, connected in ``ArticlesConfig.ready()``), and by the
page scans' job. For each page read:

* the areas found there before (``found``) are replaced by those found now;
  an area an editor drew, moved or resized (not ``found``) is never touched,
  and no area is found for an article an editor gave an area on that page;
* articles not on a page yet go on the page that prints them, and each page's
  order follows its areas (``articles.placement``); an article an editor put
  elsewhere stays there, and its line says where the PDF prints it.

Each page gets one line in the job: what was found, what with low confidence,
what the page prints that matches no article (its first words); at the end,
the issue's articles the PDF does not print.
"""

from django.db import transaction
from django.utils import translation

from articles import placement, said
from articles.finding import LOW_CONFIDENCE, Printed, find
from articles.models import Article, ArticleArea

EDITORS_OVERLAP = 0.3  # an editor's area on the page covering this much of a found one wins


def printed(issue):
    return [
        Printed(a.pk, a.title, a.kicker, a.subtitle, a.byline, a.body)
        for a in Article.objects.filter(issue=issue).only(
            "pk", "title", "kicker", "subtitle", "byline", "body"
        )
    ]


def apply(issue, pages, user=None, progress=None, say_unread=True):
    """Find and write the areas of ``pages`` (``[(section, blocks, how)]``, how: "text",
    "ocr", or a reason the page was not read; ``say_unread``: a line for those, unless
    said already). Returns ``{"areas": n, "placed": m}``."""
    articles = printed(issue)
    read = [(section.code, blocks) for section, blocks, how in pages if how in ("text", "ocr")]
    sections = {section.code: section for section, _, _ in pages}
    ocr = {section.code for section, _, how in pages if how == "ocr"}
    found, nowhere = find(articles, read)
    titles = {article.id: article.title for article in articles}
    written = 0
    with transaction.atomic():
        for code, finding in found.items():
            written += _write_page(sections[code], finding, user, code in ocr)
        placed_before = dict(Article.objects.filter(issue=issue).values_list("pk", "section_id"))
        placement.follow_areas([s.pk for s in sections.values()], user)
    placed_now = dict(Article.objects.filter(issue=issue).values_list("pk", "section_id"))
    codes = {s.pk: s.code for s in sections.values()}
    unread = {}
    for section, _, how in pages:
        if how not in ("text", "ocr"):
            unread.setdefault(how, []).append(section.code)
            continue
        finding = found[section.code]
        elsewhere = [
            titles[a]
            for a in finding.titles
            if placed_now.get(a) is not None and placed_now[a] != section.pk
        ]
        _line(
            progress,
            "areas.page",
            {
                "code": section.code,
                "titles": [titles[a] for a in finding.areas],
                "low": [[titles[a], c] for a, c in finding.low],
                "unmatched": finding.unmatched[:5],
                "elsewhere": elsewhere,
                "ocr": how == "ocr",
            },
        )
    for how, codes in unread.items() if say_unread else ():  # a line a reason
        _line(progress, f"areas.{how}", {"codes": codes})
    covered = {code for code, _ in read}
    # Of those not found here, the ones with no area on any page either (a partial
    # PDF leaves the other pages' areas as they were).
    with_areas = set(
        ArticleArea.objects.filter(article__issue=issue).values_list("article_id", flat=True)
    )
    nowhere = [article for article in nowhere if article not in with_areas]
    if nowhere and covered:
        shown = [titles[a] for a in nowhere][:30]
        _line(progress, "areas.nowhere", {"titles": shown, "count": len(nowhere)})
    placed = sum(1 for a, s in placed_now.items() if s != placed_before.get(a) and s in codes)
    return {"areas": written, "placed": placed}


def on_pages_read(
    sender, issue, pages, user=None, progress=None, articles=False, update=False, **kwargs
):
    """The ``pages_read`` receiver: the articles drafted first when asked to
    (``articles.pdf_articles``), then their areas found."""
    from articles import pdf_articles

    done = {}
    if articles:
        done["drafted"] = pdf_articles.write(issue, pages, update, user, progress)
    done.update(apply(issue, pages, user, progress, say_unread=not articles))
    return done


def _write_page(section, finding, user, ocr):
    ArticleArea.objects.filter(section=section, found=True).delete()
    editors = {}
    for article_id, x, y, w, h in ArticleArea.objects.filter(section=section).values_list(
        "article_id", "x", "y", "w", "h"
    ):
        editors.setdefault(article_id, []).append((x, y, w, h))
    written = 0
    for article_id, boxes in finding.areas.items():
        if article_id in editors:
            continue  # the editor's areas of this article on this page stand
        for (x, y, w, h), confidence in boxes:
            area = ArticleArea(
                article_id=article_id,
                section=section,
                x=x,
                y=y,
                w=min(w, 1 - x),
                h=min(h, 1 - y),
                found=True,
                confidence=round(confidence * (0.9 if ocr else 1.0), 2),
            )
            area._history_user = user
            area._change_reason = "found in the print PDF"
            area.save()
            written += 1
    if written:
        section.rows_changed(user, reason="areas found in the print PDF")
    return written


def _line(progress, code, params):
    if progress is None:
        return
    with translation.override("en"):
        text = said.areas_line(code, params)
    progress.line("found", text, code=code, params=params, advance=False)


__all__ = ["LOW_CONFIDENCE", "apply"]
