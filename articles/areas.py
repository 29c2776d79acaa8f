"""Article areas (热区) as JSON, for ``import_areas`` and ``export_areas``.

The form (DESIGN.md, "The printed page"), an article named by its title as
in the text import::

    {"pages": {"40": [{"title": "“面对面”问计于民", "box": [0.05, 0.10, 0.90, 0.45]}]}}

``box`` is ``[x, y, w, h]`` in fractions of the page. Importing a file replaces
the areas of the pages it names and leaves the others alone; a file with
anything wrong (a box outside the page, an unknown page or title, a shape
that is not this one) is refused whole, with the reason and where, and
nothing of it is written. Exporting then importing gives the same areas.
"""

import json
import math

from django.db import transaction

from articles import placement
from articles.models import Article, ArticleArea
from sections.models import Section

SLACK = 1e-6  # a box may touch the page's edge, give or take the float's last digit


class AreasRefused(Exception):
    """The file cannot be imported; the message says why and where."""


def export(issue):
    """``{"pages": {code: [{"title", "box"}, ...]}}`` for every page that has areas."""
    pages = {}
    areas = (
        ArticleArea.objects.filter(section__issue=issue)
        .select_related("article", "section")
        .order_by("section__position", "section_id", "y", "x", "id")
    )
    for area in areas:
        pages.setdefault(area.section.code, []).append(
            {"title": area.article.title, "box": [area.x, area.y, area.w, area.h]}
        )
    return {"pages": pages}


def parse(data, issue):
    """The areas a JSON document (``str`` or ``bytes``) gives ``issue``, checked:
    ``{section id: [(article id, x, y, w, h), ...]}``; ``AreasRefused`` otherwise."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise AreasRefused(f"not JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("pages"), dict):
        raise AreasRefused('expected {"pages": {"<page code>": [...]}}')
    pages = dict(Section.objects.filter(issue=issue).values_list("code", "pk"))
    titles = dict(Article.objects.filter(issue=issue).values_list("title", "pk"))
    parsed = {}
    for code, entries in document["pages"].items():
        if code not in pages:
            raise AreasRefused(f"page {code}: issue {issue.key} has no such page")
        if not isinstance(entries, list):
            raise AreasRefused(f"page {code}: expected a list of areas")
        areas = []
        for number, entry in enumerate(entries, start=1):
            where = f"page {code}, area {number}"
            if not isinstance(entry, dict) or set(entry) != {"title", "box"}:
                raise AreasRefused(f'{where}: expected {{"title": ..., "box": [x, y, w, h]}}')
            title, box = entry["title"], entry["box"]
            if not isinstance(title, str) or title not in titles:
                raise AreasRefused(f"{where}: issue {issue.key} has no article {title!r}")
            areas.append((titles[title], *check_box(box, where)))
        parsed[pages[code]] = areas
    return parsed


def check_box(box, where):
    if (
        not isinstance(box, list)
        or len(box) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
        or not all(math.isfinite(v) for v in box)
    ):
        raise AreasRefused(f"{where}: box must be four numbers [x, y, w, h]")
    x, y, w, h = map(float, box)
    if not (0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1):
        raise AreasRefused(f"{where}: box {box} is outside 0-1 (or empty)")
    if x + w > 1 + SLACK or y + h > 1 + SLACK:
        raise AreasRefused(f"{where}: box {box} goes past the page's edge")
    return x, y, w, h


def replace(issue, data, user=None):
    """Import ``data`` into ``issue``: the pages it names get exactly its areas.
    Returns how many areas were written."""
    parsed = parse(data, issue)
    written = 0
    with transaction.atomic():
        for section in Section.objects.filter(pk__in=parsed):
            section.rows_changed(user)
        for section_id, areas in parsed.items():
            for old in ArticleArea.objects.filter(section_id=section_id):
                old._history_user = user
                old.delete()
            for article_id, x, y, w, h in areas:
                area = ArticleArea(article_id=article_id, section_id=section_id, x=x, y=y, w=w, h=h)
                area._history_user = user
                area.save()
                written += 1
        placement.follow_areas(list(parsed), user)
    return written
