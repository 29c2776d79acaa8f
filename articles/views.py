"""The reader's views of articles: one article, search, an author's articles."""

from contextlib import nullcontext

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView, TemplateView

from articles.filters import ArticleSearchFilter
from articles.models import Article, ArticleSearch, Author
from articles.search import (
    RELEVANCE_WINDOW,
    count_candidates,
    excerpt,
    highlight,
    is_dense,
    through_the_index,
)
from magazine.listings import SearchHit, page_links
from magazine.views import ReaderMixin
from magazine.visibility import reader_articles


class ArticleDetailView(ReaderMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    allow_preview = True

    def get_object(self, queryset=None):
        article = Article.objects.for_reading(self.kwargs["pk"], published_only=self.readers_only())
        if article is None:
            raise Http404("No such article.")
        self.showing(article.issue)
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        previous, following = article.previous, article.following
        context.update(
            issue=article.issue,
            images=list(article.images.all()) if article.has_images else [],
            sections=page_links(article.issue),
            previous_article=Article(pk=previous[0], title=previous[1]) if previous else None,
            next_article=Article(pk=following[0], title=following[1]) if following else None,
        )
        return context


PAGE_SIZE = 20
MAX_PAGE = 50
COUNT_CAP = 1000
ESTIMATE_CAP = 10_000


def search_results(filterset, number):
    """One page of search results, as the search page shows it (the benchmark too).

    Pages go by "next" and "previous" (one row more than a page is fetched
    to know whether there is a next): counting every match of a common word
    would cost more than the search itself. The count shown is exact when
    small and an estimate ("about") beyond.
    """
    query = filterset.query
    start = (number - 1) * PAGE_SIZE
    estimate = None
    if query.indexed:
        # How many rows hold every pair of the words (the index alone says,
        # without reading a document): shown as the count (exact when the
        # index answers the query by itself, "about" otherwise), and it
        # decides whether rows are checked newest-first or from the index.
        estimate = count_candidates(filterset.estimate_queryset(), ESTIMATE_CAP + 1)
        wanted = RELEVANCE_WINDOW if filterset.relevance else start + PAGE_SIZE + 1
        filterset.dense = is_dense(estimate, wanted)
    sparse = estimate is not None and not filterset.dense
    # Plain rows, not four model instances a result (the search, its
    # article, issue and page): those cost more than the query.
    with through_the_index() if sparse else nullcontext():
        rows = list(
            filterset.qs[start : start + PAGE_SIZE + 1].values_list(
                *SearchHit.COLUMNS, "article__body"
            )
        )
    articles = [
        SearchHit(
            *row[:-1],
            title_html=mark_safe(highlight(row[1], query.terms)),
            excerpt_html=mark_safe(excerpt(row[-1].replace("\n", " "), query.terms)),
        )
        for row in rows[:PAGE_SIZE]
    ]
    if estimate is not None and query.exact_in_index:
        count, exact = estimate, True
    elif estimate is None or estimate <= 200:  # the exact count is cheap then
        with through_the_index() if sparse else nullcontext():
            count, exact = filterset.qs.order_by()[: COUNT_CAP + 1].count(), True
    else:
        count, exact = max(estimate, start + len(rows)), False
    return {
        "query": query,
        "articles": articles,
        "page_number": number,
        "first_number": start + 1,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if len(rows) > PAGE_SIZE and number < MAX_PAGE else None,
        "count": count,
        "count_exact": exact,
        "count_capped": count > COUNT_CAP,
        "count_cap": COUNT_CAP,
    }


class SearchView(TemplateView):
    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        self.filterset = ArticleSearchFilter(
            request.GET or None,
            # The row's own copies (vector, text) are for the database to match
            # and rank; the page shows the article's.
            queryset=ArticleSearch.objects.published()
            .select_related("article__issue", "article__section")
            .defer("vector", "title", "head", "body"),
            request=request,
        )
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, **kwargs)
        if self.filterset.asked:
            context.update(searched=True, **search_results(self.filterset, self._page_number()))
        elif self.filterset.is_valid():
            context["query"] = self.filterset.query
        return context

    def _page_number(self):
        raw = self.request.GET.get("page", "1")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise Http404("No such page of results.")
        return int(raw)


class AuthorView(ListView):
    template_name = "articles/author_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.author = get_object_or_404(Author, name=self.kwargs["name"])
        return (
            reader_articles(self.request)
            .filter(authors=self.author)
            .select_related("issue", "section")
            .newest_issue_first()
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object_list.exists():
            raise Http404("No published article by this author.")
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
