"""The reader's views: home, archive, contents, a page, an article, search, an author.

Every view starts from what ``reader.visibility`` allows; the detail views
also show staff an unpublished issue, as a preview. Each runs a fixed number
of queries however many pages and articles an issue has (README), and reads
lists only when its template renders them, so a fragment served from the
cache (``reader.fragments``) costs none.
"""

import dataclasses
from contextlib import nullcontext
from itertools import groupby
from typing import NamedTuple

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from articles import sql
from articles.author_index import LETTERS, author_counts, author_index
from articles.contents import TableOfContents
from articles.models import Article, ArticleArea, ArticleSearch, Author
from articles.search import (
    RELEVANCE_WINDOW,
    count_candidates,
    excerpt,
    highlight,
    is_dense,
    one_line,
)
from infra.chinese_script import to_simplified
from infra.locale import PREFIXED
from reader import fragments, share
from reader.filters import ArchiveFilter, ArticleSearchFilter
from reader.visibility import (
    previewable_issues,
    reader_articles,
    reader_issues,
    visible_through,
)
from sections.models import Section

RECENT_ISSUES = 6


class ReaderMixin:
    """Public views see only what ``reader_issues`` allows.

    Detail views (``allow_preview``) also show staff an unpublished issue, as
    a preview: marked on the page, ``noindex`` and never cached.
    """

    allow_preview = False
    preview = False

    def dispatch(self, request, *args, **kwargs):
        # Rendered here, so that the template's reads are prepared statements too.
        with sql.prepared():
            response = super().dispatch(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()
        return response

    def issues(self):
        if self.allow_preview:
            return previewable_issues(self.request)
        return reader_issues(self.request)

    def visible(self, relation="issue"):
        """``issues()`` as a condition on a relation to the issue (a join)."""
        return visible_through(self.request, relation, allow_preview=self.allow_preview)

    def showing(self, issue):
        self.preview = not issue.is_published()
        return issue

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.preview:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def page_links(issue):
    """The issue's pages for its page list (a queryset, so read when the list renders:
    not at all when the list comes from the fragment cache)."""
    return Section.objects.filter(issue=issue).links()


class HomeView(ReaderMixin, TemplateView):
    template_name = "magazine/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recent = list(self.issues().latest_first()[: RECENT_ISSUES + 1])
        latest = recent[0] if recent else None
        pages = page_links(latest) if latest else None
        context.update(
            issue=latest,
            contents=TableOfContents(latest, pages) if latest else None,
            recent_issues=recent[1:],
        )
        return context


class IssueListView(ReaderMixin, FilterView):
    filterset_class = ArchiveFilter
    template_name = "magazine/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        return self.issues().latest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = [
            (year, calendar_slots(list(issues)))
            for year, issues in groupby(context["issues"], key=lambda i: i.year)
        ]
        context["all_years"] = self.filterset.filters["year"].extra["choices"]
        return context


MONTHS = 12  # a monthly's year; a year with more numbers shows them all


def calendar_slots(issues):
    """A year's issues as a calendar: ``[(number, issue or None)]`` from 1 to the last
    number (12 at least), so that a number the year lacks is a gap, not a shift."""
    by_number = {issue.number: issue for issue in issues}
    last = max([MONTHS, *by_number])
    return [(number, by_number.get(number)) for number in range(1, last + 1)]


class IssueYearView(IssueListView):
    """/issues/2015/: the archive of one year, as the archive filtered to it is."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = {"year": str(self.kwargs["year"])}
        return kwargs

    def get(self, request, *args, **kwargs):
        if not self.get_queryset().filter(year=self.kwargs["year"]).exists():
            raise Http404("No published issue in this year.")
        return super().get(request, *args, **kwargs)


class IssueDetailView(ReaderMixin, DetailView):
    template_name = "magazine/issue_detail.html"
    allow_preview = True

    def get_object(self, queryset=None):
        return self.showing(
            get_object_or_404(self.issues(), year=self.kwargs["year"], number=self.kwargs["number"])
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = page_links(self.object)  # one query for the contents and the page list
        context.update(contents=TableOfContents(self.object, pages), sections=pages)
        return context


class SectionDetailView(ReaderMixin, DetailView):
    template_name = "sections/section_detail.html"
    context_object_name = "section"
    allow_preview = True
    queryset = Section.objects.for_reading()

    def get_object(self, queryset=None):
        section = get_object_or_404(
            self.queryset.filter(
                self.visible(),
                issue__year=self.kwargs["year"],
                issue__number=self.kwargs["number"],
                code=self.kwargs["code"],
            )
        )
        self.showing(section.issue)
        return section

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        section = self.object
        # Read when the page list renders, or 上一版/下一版 are looked up in it:
        # those are kept as data under the content version, so that a page
        # whose page list, scan and titles are cached reads only itself.
        pages = SimpleLazyObject(lambda: list(page_links(section.issue)))
        previous_section, next_section = fragments.cached_data(
            "page-neighbours",
            self.request,
            lambda: neighbours(pages, section.pk),
            section.pk,
            preview=self.preview,
        )
        context.update(
            issue=section.issue,
            sections=pages,
            previous_section=previous_section,
            next_section=next_section,
            # Read when the titles render, not from their fragment; built then
            # too: a page whose fragments are cached builds no query for them.
            articles=SimpleLazyObject(
                lambda: Article.objects.filter(section=section).for_contents()
            ),
            # Likewise, read and built when the scan renders.
            areas=SimpleLazyObject(lambda: ArticleArea.objects.on_page(section)),
        )
        return context


class ArticleDetailView(ReaderMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    allow_preview = True
    queryset = Article.objects.for_reading()

    def get_object(self, queryset=None):
        article = get_object_or_404(self.queryset.filter(self.visible(), pk=self.kwargs["pk"]))
        if article.section is not None:
            article.section.issue = article.issue  # the same issue: its address needs no query
        self.showing(article.issue)
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context.update(
            issue=article.issue,
            images=list(article.images.all()) if article.has_images else [],
            # Where it stands on its page: the page's small scan with its areas marked
            # (read, and built, when the figure renders, not from its fragment).
            page_areas=(
                SimpleLazyObject(
                    lambda: ArticleArea.objects.of_article_on(article, article.section)
                )
                if article.section is not None and article.section.scan
                else None
            ),
            sections=SimpleLazyObject(lambda: list(page_links(article.issue))),
            previous_article=neighbour(article.previous_id, article.previous_title),
            next_article=neighbour(article.next_id, article.next_title),
        )
        return context


def neighbour(pk, title):
    """上一篇/下一篇 as the template links them, or None."""
    return Article(pk=pk, title=title) if pk is not None else None


def neighbours(pages, pk):
    """上一版/下一版 of page ``pk`` among ``pages`` (``links()`` rows, in order): the
    rows either side, None at either end."""
    at = next(index for index, row in enumerate(pages) if row.pk == pk)
    return (pages[at - 1] if at else None), (pages[at + 1] if at + 1 < len(pages) else None)


PAGE_SIZE = 20
MAX_PAGE = 50
COUNT_CAP = 1000
ESTIMATE_CAP = 10_000


class SearchHit(NamedTuple):
    """A search result as the results list shows it: a row, not model instances."""

    pk: int
    title: str
    byline: str
    issue_year: int
    issue_number: int
    section_code: str | None
    section_name: str | None
    title_parts: list  # (text, matched) pairs: articles.search.highlight
    excerpt_parts: list

    # The columns of ArticleSearch a hit is read from, before the body.
    COLUMNS = (
        "article_id",
        "article__title",
        "article__byline",
        "article__issue__year",
        "article__issue__number",
        "article__section__code",
        "article__section__name",
    )


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
    with sql.through_the_index() if sparse else nullcontext():
        rows = list(
            filterset.qs[start : start + PAGE_SIZE + 1].values_list(
                *SearchHit.COLUMNS, "article__body"
            )
        )
    articles = [
        SearchHit(
            *row[:-1],
            title_parts=highlight(row[1], query.terms),
            excerpt_parts=excerpt(one_line(row[-1]), query.terms),
        )
        for row in rows[:PAGE_SIZE]
    ]
    if estimate is not None and query.exact_in_index:
        count, exact = estimate, True
    elif estimate is None or estimate <= 200:  # the exact count is cheap then
        with sql.through_the_index() if sparse else nullcontext():
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
            context["author_match"] = self._author_named(context["query"].text)
        elif self.filterset.is_valid():
            context["query"] = self.filterset.query
        return context

    def _author_named(self, text):
        """An author whose name is the whole query, with a published article: their
        page is what a reader typing a name most likely wants."""
        name = text.strip()
        if not 2 <= len(name) <= 40 or " " in name:
            return None
        # Prepared: planning it cost PostgreSQL more than running it (1.2 against
        # 0.1 ms in EXPLAIN ANALYZE). The search's own statements are not: their
        # best plans depend on the words.
        with sql.prepared():
            return (
                Author.objects.filter(
                    name__in={name, to_simplified(name)},
                    articles__in=reader_articles(self.request),
                )
                .values_list("name", flat=True)
                .first()
            )

    def _page_number(self):
        raw = self.request.GET.get("page", "1")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise Http404("No such page of results.")
        return int(raw)


def issue_pdf(request, year, number):
    """The issue's PDF, saved as 基层月刊-2026年第12期.pdf (staff may fetch a draft's)."""
    issue = get_object_or_404(previewable_issues(request), year=year, number=number)
    return _attachment(issue.pdf, issue.download_name)


def page_pdf(request, year, number, code):
    """A page's PDF, saved as 基层月刊-2026年第12期-03版.pdf."""
    page = get_object_or_404(
        Section.objects.for_reading().filter(
            visible_through(request, "issue", allow_preview=True),
            issue__year=year,
            issue__number=number,
            code=code,
        )
    )
    return _attachment(page.pdf, page.download_name)


def _attachment(file, name):
    if not file:
        raise Http404("No PDF.")
    try:
        path = file.storage.path(file.name)
    except NotImplementedError:
        # Object storage: the object says its own name (infra.object_storage).
        return redirect(file.url)
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise Http404("The PDF is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


def favicon(request):
    """/favicon.ico, asked for by browsers and crawlers whatever the page links: the
    icon's hashed static address, which is cached for good."""
    return redirect(static("img/favicon.ico"), permanent=True)


def share_card(request, kind, pk, traditional=False):
    """The share card of a published issue (without a cover of its own), page or
    article: in Traditional Chinese at its ``.zh-hant.png`` address, with the QR code
    of the page's address in that script."""
    language = PREFIXED[0] if traditional else settings.LANGUAGE_CODE
    with translation.override(language):
        if kind == "issue":
            issue = get_object_or_404(reader_issues(request), pk=pk)
            card = share.Card(str(issue), gettext("Contents"), url=issue.get_absolute_url())
        elif kind == "page":
            page = get_object_or_404(
                Section.objects.select_related("issue").filter(visible_through(request, "issue")),
                pk=pk,
            )
            card = share.Card(page.reader_title, str(page.issue), url=page.get_absolute_url())
        else:
            article = get_object_or_404(
                reader_articles(request).select_related("issue", "section"), pk=pk
            )
            where = str(article.issue)
            if article.section is not None:
                where += f" · {article.section.reader_title}"
            card = share.Card(
                article.title,
                where,
                head=article.kicker or article.subtitle,
                byline=article.byline,
                url=article.get_absolute_url(),
            )
    card = dataclasses.replace(card, url=request.build_absolute_uri(card.url))
    png = share.card_png(kind, pk, card, traditional)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_SECONDS}"
    return response


class AuthorIndexView(TemplateView):
    """/authors/: every author with a published article, A–Z by the pinyin of the
    surname, with their article counts (drafts never counted). One query, or
    none when the list comes from its fragment cache."""

    template_name = "articles/author_index.html"

    def get_context_data(self, **kwargs):
        # Read when the list renders: a hit of its fragment costs no query.
        groups = SimpleLazyObject(
            lambda: author_index(author_counts(reader_articles(self.request)))
        )
        return super().get_context_data(
            groups=groups,
            letters=LETTERS,
            author_total=SimpleLazyObject(lambda: sum(len(group.authors) for group in groups)),
            **kwargs,
        )


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
        name = self.kwargs["name"]
        # Only names readers can see are looked up: a 301 must not confirm an author
        # whose articles are all unpublished.
        if (stored := Author.objects.published().stored_name(name)) != name:
            # A name typed in Traditional (滕將華): the author is written 滕将华.
            return redirect("authors:detail", name=stored, permanent=True)
        response = super().get(request, *args, **kwargs)
        if not self.object_list.exists():
            raise Http404("No published article by this author.")
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
