"""The reader's view of one article."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from articles.models import Article
from magazine.views import ReaderMixin


class ArticleDetailView(ReaderMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    allow_preview = True

    def get_object(self, queryset=None):
        article = get_object_or_404(
            Article.objects.filter(issue__in=self.issues())
            .select_related("issue", "section")
            .prefetch_related("images"),
            pk=self.kwargs["pk"],
        )
        self.showing(article.issue)
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        issue = article.issue
        if article.section:
            article.section.issue = issue  # for its URL, without a query
        sections = list(issue.sections.all())
        for section in sections:
            section.issue = issue
        # The issue's reading order in one query: a few hundred (id, title) pairs.
        order = [
            Article(pk=pk, title=title)
            for pk, title in issue.articles.in_reading_order().values_list("pk", "title")
        ]
        index = next(i for i, other in enumerate(order) if other.pk == article.pk)
        context.update(
            issue=issue,
            sections=sections,
            previous_article=order[index - 1] if index > 0 else None,
            next_article=order[index + 1] if index + 1 < len(order) else None,
        )
        return context
