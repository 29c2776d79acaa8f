"""The reader site's long lists, rendered in Python: an issue's page list and
table of contents, a page's titles, the search results, the archive's covers.

An issue has some 70 pages and 300 articles; the page list is on every page
and article view, the contents on the home and contents pages. Rendered by
the template language, each row's half-dozen lookups cost more than the rest
of the page together (profiled: 20 of 30 ms for an article, 60 of 75 ms for
the contents). Here each row is one f-string with every text escaped; the
markup stays the same as the templates around it.
"""

from html import escape  # the stdlib function behind Django's, without its lazy-string wrapper
from typing import NamedTuple

from django.db import connections
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from magazine import addresses
from magazine.sql_rows import execute


class PageLink(NamedTuple):
    """A page as a list shows it: no scan, no PDF, no model instance."""

    pk: int
    code: str
    name: str
    url: str

    def get_absolute_url(self):
        return self.url

    @property
    def label(self):
        return gettext("Page %(code)s") % {"code": self.code}


class ArticleRow(NamedTuple):
    pk: int
    section_id: int | None
    kicker: str
    title: str
    subtitle: str
    byline: str

    def get_absolute_url(self):
        return addresses.article_url(self.pk)


class SearchHit(NamedTuple):
    """A search result as the results list shows it: no model instances."""

    pk: int
    title: str
    byline: str
    issue_year: int
    issue_number: int
    section_code: str | None
    section_name: str | None
    title_html: str  # highlighted, safe
    excerpt_html: str

    # The columns of ArticleSearch a hit is read from, before the two texts.
    COLUMNS = (
        "article_id",
        "article__title",
        "article__byline",
        "article__issue__year",
        "article__issue__number",
        "article__section__code",
        "article__section__name",
    )


def page_links(issue):
    """The issue's pages in order, one query.

    Raw SQL: on every page and article view, the ORM's building of this
    three-column query cost more than running it and reading 70 rows.
    """
    from sections.models import Section

    base = addresses.pages_prefix(issue.year, issue.number)
    with connections[Section.objects.db].cursor() as cursor:
        execute(
            cursor,
            f"SELECT id, code, name FROM {Section._meta.db_table}"
            " WHERE issue_id = %s ORDER BY position, id",
            [issue.pk],
        )
        return [PageLink(pk, code, name, f"{base}{code}/") for pk, code, name in cursor]


def article_rows(issue=None, section=None):
    """The articles of an issue or of one page, in page order, one query.

    Raw SQL, as ``page_links``: 300 rows for a contents page.
    """
    from articles.models import Article

    column, value = ("issue_id", issue.pk) if section is None else ("section_id", section.pk)
    with connections[Article.objects.db].cursor() as cursor:
        execute(
            cursor,
            "SELECT id, section_id, kicker, title, subtitle, byline"
            f" FROM {Article._meta.db_table} WHERE {column} = %s ORDER BY position, id",
            [value],
        )
        return [ArticleRow(*values) for values in cursor]


def page_nav_items(pages, current=None):
    """The ``<li>`` of each page; the current one marked ``aria-current``."""
    label = gettext("Page %(code)s")
    current_pk = getattr(current, "pk", None)  # "" when the template has none
    rows = []
    for page in pages:
        marker = ' aria-current="page"' if page.pk == current_pk else ""
        rows.append(
            f'<li><a href="{escape(page.get_absolute_url())}"{marker}>'
            f'<span class="page-code">{escape(label % {"code": page.code})}</span> '
            f"{escape(page.name)}</a></li>\n"
        )
    return mark_safe("".join(rows))


def _lines(text):
    # linebreaksbr without the filter machinery: escape, then <br> for each break.
    return escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def article_items(articles, prefix, show_kicker=True, show_subtitle=False):
    rows = []
    for article in articles:
        kicker = (
            f'<span class="kicker">{_lines(article.kicker)}</span>'
            if show_kicker and article.kicker
            else ""
        )
        subtitle = (
            f'<span class="subtitle">{_lines(article.subtitle)}</span>'
            if show_subtitle and article.subtitle
            else ""
        )
        byline = f' <span class="byline">{escape(article.byline)}</span>' if article.byline else ""
        rows.append(
            f'<li>{kicker}<a href="{prefix}{article.pk}/">{escape(article.title)}</a>'
            f"{subtitle}{byline}</li>\n"
        )
    return "".join(rows)


def contents_groups(contents):
    """Each group of consecutive pages with its articles, then the unplaced ones."""
    prefix = addresses.article_url_prefix()
    one_page = gettext("Page %(code)s")
    pages = gettext("Pages %(first)s–%(last)s")
    out = []
    for group in contents.groups:
        first, last = group.first, group.last
        if first is last:
            where = one_page % {"code": first.code}
        else:
            where = pages % {"first": first.code, "last": last.code}
        out.append(
            '<section class="contents__group">\n<h3 class="contents__heading">'
            f'<a href="{escape(first.get_absolute_url())}">{escape(group.name)}</a> '
            f'<span class="page-code">{escape(where)}</span></h3>\n'
        )
        articles = group.articles
        if articles:
            out.append(f'<ul class="contents__articles">\n{article_items(articles, prefix)}</ul>\n')
        out.append("</section>\n")
    if contents.unplaced:
        out.append(
            '<section class="contents__group">\n<h3 class="contents__heading">'
            f"{escape(gettext('Also in this issue'))}</h3>\n"
            '<ul class="contents__articles">\n'
            f"{article_items(contents.unplaced, prefix, show_kicker=False)}</ul>\n</section>\n"
        )
    return mark_safe("".join(out))


def page_articles(articles):
    """The articles of one page, with subtitles (the page view)."""
    return mark_safe(article_items(articles, addresses.article_url_prefix(), show_subtitle=True))


def search_result_items(hits):
    """The search page's results (``SearchHit``): title and excerpt come highlighted."""
    from magazine.models import Issue

    prefix = addresses.article_url_prefix()
    label = gettext("Page %(code)s")
    rows = []
    for hit in hits:
        issue_url = addresses.issue_url(hit.issue_year, hit.issue_number)
        issue_name = Issue.name_of(hit.issue_year, hit.issue_number)
        where = f'<a href="{escape(issue_url)}">{escape(issue_name)}</a>'
        if hit.section_code is not None:
            where += f" · {escape(label % {'code': hit.section_code})} {escape(hit.section_name)}"
        if hit.byline:
            where += f" · {escape(hit.byline)}"
        rows.append(
            f'<li class="result">\n<h3 class="result__title">'
            f'<a href="{prefix}{hit.pk}/">{hit.title_html}</a></h3>\n'
            f'<p class="result__where">{where}</p>\n'
            f'<p class="result__excerpt">{hit.excerpt_html}</p>\n</li>\n'
        )
    return mark_safe("".join(rows))


def cover_link(issue, site_name):
    """An issue's cover (or a placeholder) linking to it: 240 on a 20-year archive."""
    thumb = issue.rendition_thumb
    if thumb:
        alt = issue.cover_alt or gettext("Cover of %(issue)s") % {"issue": issue}
        picture = (
            f'<img src="{escape(thumb.url)}" width="{thumb.width}" height="{thumb.height}"'
            f' alt="{escape(alt)}" loading="lazy">'
        )
    else:
        picture = (
            f'<span class="cover__placeholder"><span class="cover__name">{escape(site_name)}'
            f'</span><span class="cover__issue">{escape(str(issue))}</span></span>'
        )
    caption = escape(str(issue))
    if issue.cumulative_number:
        overall = gettext("No. %(n)s overall") % {"n": issue.cumulative_number}
        caption += f" · {escape(overall)}"
    return mark_safe(
        f'<a class="cover" href="{escape(issue.get_absolute_url())}">{picture}'
        f'<span class="cover__caption">{caption}</span></a>'
    )
