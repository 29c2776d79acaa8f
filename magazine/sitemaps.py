"""The sitemap: every public page, and nothing that is not public."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
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
    changefreq = "monthly"

    def items(self):
        return (
            Section.objects.published()
            .select_related("issue")
            .order_by("-issue__year", "-issue__number", "position", "id")
        )


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().select_related("issue").order_by("-id")

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {
    "static": StaticSitemap,
    "issues": IssueSitemap,
    "pages": SectionSitemap,
    "articles": ArticleSitemap,
}
