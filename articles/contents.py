"""An issue's table of contents (目录): its pages grouped by name, each with its articles."""

from dataclasses import dataclass
from functools import cached_property

from articles.models import Article
from sections.models import Section, group_consecutive


@dataclass
class TableOfContents:
    """Read when first used: a page whose contents come from a fragment cache reads nothing.

    ``sections`` are the issue's pages (rows with ``pk``, ``code``, ``name``;
    ``pages`` may give them as a queryset the page shares, read once for
    both), ``groups`` the runs of consecutive pages of one name with their
    articles, ``unplaced`` the articles not on a page yet. Two queries however
    many pages and articles the issue has.
    """

    issue: object
    pages: object = None

    @cached_property
    def sections(self):
        if self.pages is None:
            return list(Section.objects.filter(issue=self.issue).links())
        return list(self.pages)

    @cached_property
    def _articles(self):
        by_page, unplaced = {}, []
        for article in Article.objects.filter(issue=self.issue).for_contents():
            if article.section_id is None:
                unplaced.append(article)
            else:
                by_page.setdefault(article.section_id, []).append(article)
        return by_page, unplaced

    @cached_property
    def groups(self):
        return group_consecutive(self.sections, self._articles[0])

    @property
    def unplaced(self):
        return self._articles[1]

    @property
    def article_count(self):
        return sum(len(group.articles) for group in self.groups) + len(self.unplaced)
