"""The sitemap: every public page, and nothing that is not public.

Twenty years of a monthly are some 17,000 pages and as many articles: the
sitemap is read as plain rows and written in Python (``urlset_xml``, the
markup of Django's sitemap.xml template, which a test compares). With model
instances, a reverse() per page and the template it took 2.2 s of CPU for
such an archive; now 0.3 s.
"""

import datetime
from html import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from magazine import addresses
from magazine.models import Issue
from sections.models import Section


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "issues:list"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Issue.objects.published().latest_first()

    def lastmod(self, issue):
        return issue.updated_at


class SectionSitemap(Sitemap):
    """Every page of every published issue, its address built on its issue's."""

    changefreq = "monthly"

    def items(self):
        return (
            Section.objects.published()
            .order_by("-issue__year", "-issue__number", "position", "id")
            .values_list("issue__year", "issue__number", "code")
        )

    def location(self, item):
        year, number, code = item
        return f"{addresses.pages_prefix(year, number)}{code}/"


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().order_by("-id").values_list("id", "updated_at")

    def location(self, item):
        return addresses.article_url(item[0])

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "static": StaticSitemap,
    "issues": IssueSitemap,
    "pages": SectionSitemap,
    "articles": ArticleSitemap,
}


def sitemap(request):
    """Django's sitemap view (paging, Last-Modified, 404s), written by ``urlset_xml``."""
    response = sitemap_views.sitemap(request, sitemaps=SITEMAPS)
    response.content = urlset_xml(response.context_data["urlset"])
    return response


def urlset_xml(urlset):
    """What Django's sitemap.xml template writes for ``urlset``, without the template."""
    rows = []
    for url in urlset:
        row = f"<url><loc>{escape(url['location'])}</loc>"
        if url.get("lastmod"):
            row += f"<lastmod>{_day(url['lastmod'])}</lastmod>"
        if url.get("changefreq"):
            row += f"<changefreq>{escape(str(url['changefreq']))}</changefreq>"
        if url.get("priority"):
            row += f"<priority>{escape(str(url['priority']))}</priority>"
        for alternate in url.get("alternates") or ():
            row += (
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}"'
                f' href="{escape(alternate["location"])}"/>'
            )
        rows.append(row + "</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        f"{''.join(rows)}\n</urlset>\n"
    )


def _day(value):
    # As the template's |date:"Y-m-d": an aware moment in the site's time zone.
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")
