"""Areas place articles: where an article is printed is where it stands.

``follow_areas(pages)`` is run after the areas of pages change, by every route
(the page's form and its area editor, ``import_areas``, the areas found in a
print PDF):

* an article not on a page yet that has an area goes on the page of its first
  area (pages in order, then top to bottom): an article continued on another
  page (转版) is placed where it starts, also when its later page's area was
  drawn first;
* each page's articles are numbered from 1 in the order their areas are
  printed: rows top to bottom, and in a row (areas side by side) left to
  right; the page's articles without an area follow, in the order they had.

An article an editor placed on a page is never moved to another by its areas.
``printed_order(articles, page)`` gives the same order for the bulk action that
places articles on a page.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from articles import reading_order
from articles.models import Article, ArticleArea

# Areas whose tops are closer than this share of the lower one's height stand
# side by side (one row); farther apart, one is above the other.
ROW_OVERLAP = 0.5


def reading_keys(areas):
    """``{article id: key}`` sorting articles by where their first area stands, from
    ``(article id, x, y, w, h)`` rows of one page."""
    rows = []
    for area in sorted(areas, key=lambda a: (a[2], a[1])):
        y, h = area[2], area[4]
        if rows and y - rows[-1]["top"] < ROW_OVERLAP * min(h, rows[-1]["height"]):
            rows[-1]["areas"].append(area)
        else:
            rows.append({"top": y, "height": h, "areas": [area]})
    keys = {}
    for row_number, row in enumerate(rows):
        for area in sorted(row["areas"], key=lambda a: a[1]):
            keys.setdefault(area[0], (row_number, area[1]))
    return keys


def follow_areas(page_ids, user=None):
    """Place and order the articles of these pages by their areas (see the module).
    Returns how many articles were placed or moved within their page."""
    page_ids = [pk for pk in page_ids if pk]
    if not page_ids:
        return 0
    changed = 0
    with transaction.atomic(), reading_order.deferred():
        changed += place_unplaced(page_ids, user)
        touched = set(page_ids) | set(
            Article.objects.filter(areas__section_id__in=page_ids).values_list(
                "section_id", flat=True
            )
        )
        for page_id in sorted(touched - {None}):
            changed += order_page(page_id, user)
    return changed


def place_unplaced(page_ids, user):
    """Articles with an area on one of these pages onto their first area's page (of
    all their areas, on any page): those not on a page yet, and those on a page
    that prints them (an area drawn since on an earlier page moves them there).
    An article on a page without an area of its own stays: an editor put it there."""
    candidates = set(
        ArticleArea.objects.filter(section_id__in=page_ids).values_list("article_id", flat=True)
    )
    if not candidates:
        return 0
    first, printed_on = {}, {}
    areas = ArticleArea.objects.filter(article_id__in=candidates).order_by(
        "section__position", "section_id", "y", "x", "id"
    )
    for article_id, section_id in areas.values_list("article_id", "section_id"):
        first.setdefault(article_id, section_id)
        printed_on.setdefault(article_id, set()).add(section_id)
    placed = 0
    for article in Article.objects.filter(pk__in=candidates):
        target = first[article.pk]
        if article.section_id == target:
            continue
        if article.section_id is None or article.section_id in printed_on[article.pk]:
            article.section_id = target
            article.position = 0  # numbered with the page's others just after
            _save(article, user, ["section", "position"])
            placed += 1
    return placed


def order_page(page_id, user):
    keys = reading_keys(
        ArticleArea.objects.filter(section_id=page_id).values_list("article_id", "x", "y", "w", "h")
    )
    articles = list(Article.objects.filter(section_id=page_id).order_by("position", "id"))
    unkeyed = (len(keys), 0.0)
    ordered = sorted(enumerate(articles), key=lambda pair: (keys.get(pair[1].pk, unkeyed), pair[0]))
    moved = 0
    for number, (_before, article) in enumerate(ordered, start=1):
        if article.position != number:
            article.position = number
            _save(article, user, ["position"])
            moved += 1
    return moved


def printed_order(articles, page):
    """``articles`` in the order their areas on ``page`` are printed; those without an
    area there after them, in reading order."""
    articles = list(articles)
    keys = reading_keys(
        ArticleArea.objects.filter(section=page, article__in=articles).values_list(
            "article_id", "x", "y", "w", "h"
        )
    )
    unkeyed = (len(keys), 0.0)
    return [
        article
        for _, article in sorted(
            enumerate(articles), key=lambda pair: (keys.get(pair[1].pk, unkeyed), pair[0])
        )
    ]


def _save(article, user, fields):
    article._history_user = user
    article._change_reason = "areas"
    article.save(update_fields=[*fields, "updated_at", "version"])


def place_on(articles, section, user=None):
    """Place ``articles`` (a queryset) on ``section`` after the articles already
    there: in printed order (that of their areas on the page, else their reading
    order), numbered on from 1; all must belong to the page's issue. The issue's
    reading order is renumbered once, at the end. Returns how many."""
    placed = printed_order(articles.in_reading_order(), section)
    if any(article.issue_id != section.issue_id for article in placed):
        raise ValidationError(_("All articles must belong to the page's issue."))
    last = (
        Article.objects.filter(section=section)
        .exclude(pk__in=[a.pk for a in placed])
        .aggregate(last=models.Max("position"))["last"]
    )
    start = 1 if last is None else last + 1
    with transaction.atomic(), reading_order.deferred():
        for offset, article in enumerate(placed):
            article.section, article.position = section, start + offset
            article._history_user = user
            article.save(update_fields=["section", "position", "updated_at", "version"])
    return len(placed)
