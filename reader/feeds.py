"""Atom feed of the articles of the latest published issues."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from reader.visibility import reader_issues

FEED_SIZE = 50


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    subtitle = _("Articles of the latest issues")

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return reverse("home")  # /zh-hant/ for the Traditional feed

    def title(self):
        return settings.MAGAZINE_NAME

    def items(self):
        issues = reader_issues(self.request)
        return (
            Article.objects.filter(issue__in=issues)
            .select_related("issue", "section")
            .newest_issue_first()[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        first = item.paragraphs[0] if item.paragraphs else ""
        return Truncator(first).chars(200)

    def item_author_name(self, item):
        # The names, not the byline's "文/" or "本刊记者"; a byline of no name as it is.
        return "、".join(item.author_names) or item.byline or None

    def item_pubdate(self, item):
        return item.issue.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.issue.published_at)

    def item_categories(self, item):
        return [item.section.name] if item.section else []
