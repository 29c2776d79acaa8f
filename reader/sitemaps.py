"""The sitemap: every public page, and nothing that is not public.

Twenty years of a monthly are some 17,000 pages and as many articles: pages
and articles are read as rows (``values_list``), their addresses built on
their issue's (``magazine.addresses``), not as model instances each with a
``reverse()``.

Every page is listed in both scripts, each with the other as its
``hreflang`` alternate (Django's ``i18n`` sitemaps).
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse

from articles.models import Article
from magazine import addresses
from magazine.models import Issue
from sections.models import Section


class BothScripts(Sitemap):
    i18n = True
    languages = ["zh-hans", "zh-hant"]
    alternates = True
    x_default = True


class StaticSitemap(BothScripts):
    changefreq = "weekly"

    def items(self):
        return ["home", "issues:list", "authors:index"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(BothScripts):
    changefreq = "monthly"

    def items(self):
        return Issue.objects.published().latest_first()

    def lastmod(self, issue):
        return issue.updated_at


class SectionSitemap(BothScripts):
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


class ArticleSitemap(BothScripts):
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
    """Django's sitemap view (paging, Last-Modified, 404s) with the reader site's
    Jinja2 template for the same markup (``reader/jinja2/sitemap.xml``)."""
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, template_name="sitemap.xml")
