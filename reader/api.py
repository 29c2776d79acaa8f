"""The read-only JSON API (/api/v1/, django-ninja): issues, pages, articles, authors
and search, as readers may see them, with an OpenAPI schema and its docs.

Everything goes through ``reader.visibility`` (published only, for everyone:
the API has no preview) and the same querysets as the reader's pages, so each
endpoint runs a fixed number of queries. Responses pass through the page
cache like any reader page (kept per content version, with an ETag answered
by ``ConditionalGetMiddleware``); CORS allows GET from anywhere
(django-cors-headers, ``CORS_URLS_REGEX``). Errors are JSON ``{"detail": ...}``.
"""

import logging
from datetime import date, datetime

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Query
from ninja import Schema as ParamsSchema
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from articles.author_index import author_counts, author_index
from articles.contents import TableOfContents
from articles.models import Article, ArticleArea, ArticleSearch
from magazine import addresses
from reader import fragments
from reader.filters import ArticleSearchFilter
from reader.views import PAGE_SIZE as SEARCH_PAGE_SIZE
from reader.views import search_results
from reader.visibility import reader_articles, reader_issues, visible_through
from sections.models import Section

log = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_PAGE = 1000


class Utf8Json(JSONRenderer):
    """JSON as UTF-8 (老街, not \\u8001\\u8857): a third of the size for Chinese text."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8Json(),
    title="Magazine API",
    version="1",
    description="Published issues, pages, articles and authors, read-only.",
    urls_namespace="api",
    docs_url="/docs",
)


# Schemas: what each endpoint answers. Endpoints build plain dicts, so the
# schemas are pydantic's own models: ninja's Schema would wrap each of an
# issue's 370 objects to read Django attributes off it (a third of the time).


class Schema(BaseModel):
    pass


class Image(Schema):
    url: str
    width: int
    height: int


class Link(Schema):
    id: int
    title: str
    url: str


class IssueSummary(Schema):
    year: int
    number: int
    key: str
    name: str
    cumulative_number: int | None
    cover_date: date | None
    published_at: datetime
    url: str
    api_url: str
    cover: Image | None
    pdf: str | None


class PageSummary(Schema):
    code: str
    name: str
    url: str
    api_url: str


class ContentsArticle(Schema):
    id: int
    kicker: str
    title: str
    subtitle: str
    byline: str
    url: str
    page: str | None


class IssueDetail(IssueSummary):
    pages: list[PageSummary]
    contents: list[ContentsArticle]


class Area(Schema):
    article_id: int
    x: float
    y: float
    w: float
    h: float


class PageDetail(PageSummary):
    issue: IssueSummary
    scan: Image | None
    pdf: str | None
    articles: list[ContentsArticle]
    areas: list[Area]


class ArticleImage(Schema):
    url: str
    width: int | None
    height: int | None
    alt: str
    caption: str


class ArticleDetail(Schema):
    id: int
    kicker: str
    title: str
    subtitle: str
    byline: str
    body: str
    paragraphs: list[str]
    authors: list[str]
    images: list[ArticleImage]
    issue: IssueSummary
    page: PageSummary | None
    previous: Link | None
    next: Link | None
    url: str


class Author(Schema):
    name: str
    pinyin: str
    initial: str
    article_count: int
    url: str
    api_search_url: str


class SearchHit(Schema):
    id: int
    title: str
    byline: str
    issue: str
    page: str | None
    excerpt: str
    url: str


class PageOf(Schema):
    count: int
    next: str | None
    previous: str | None


class Issues(PageOf):
    results: list[IssueSummary]


class Authors(PageOf):
    results: list[Author]


class SearchResults(PageOf):
    count_exact: bool
    results: list[SearchHit]


class Error(Schema):
    detail: str


# Errors: JSON with a message, never HTML or a traceback.


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """A parameter of the wrong type: 400 with what is wrong, as one line."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'][1:]) or 'request'}: {error['msg']}"
        for error in exc.errors
    )
    return api.create_response(request, {"detail": problems}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(Exception)
def unexpected(request, exc):
    log.exception("API error at %s", request.get_full_path())
    return api.create_response(request, {"detail": "Internal error."}, status=500)


# Helpers.


def absolute(request, path):
    """``request.build_absolute_uri(path)``, the origin worked out once per request
    (an issue's answer holds some 450 addresses)."""
    if not path:
        return None
    if not path.startswith("/") or path.startswith("//"):
        return request.build_absolute_uri(path)  # a full URL (object storage), or relative
    origin = getattr(request, "api_origin", None)
    if origin is None:
        origin = request.api_origin = request.build_absolute_uri("/").removesuffix("/")
    return origin + path


def image(request, rendition):
    if rendition is None:
        return None
    return {"url": absolute(request, rendition.url), "width": rendition.width,
            "height": rendition.height}  # fmt: skip


def file_url(request, field):
    return absolute(request, field.url) if field else None


def api_issue_url(issue):
    return reverse("api:issue", kwargs={"year": issue.year, "number": issue.number})


def issue_summary(request, issue):
    return {
        "year": issue.year,
        "number": issue.number,
        "key": issue.key,
        "name": str(issue),
        "cumulative_number": issue.cumulative_number,
        "cover_date": issue.cover_date,
        "published_at": issue.published_at,
        "url": absolute(request, issue.get_absolute_url()),
        "api_url": absolute(request, api_issue_url(issue)),
        "cover": image(request, issue.rendition("web")),
        "pdf": file_url(request, issue.pdf),
    }


def page_addresses(request, issue):
    """``(code) -> (url, api_url)`` of the issue's pages, each prefix reversed once."""
    html = absolute(request, addresses.pages_prefix(issue.year, issue.number))
    api = absolute(request, f"{api_issue_url(issue)}pages/")
    return lambda code: (f"{html}{code}/", f"{api}{code}/")


def page_summary(request, issue, code, name, addresses_of=None):
    url, api_url = (addresses_of or page_addresses(request, issue))(code)
    return {"code": code, "name": name, "url": url, "api_url": api_url}


def article_urls(request):
    """``(pk) -> url`` of articles, their address prefix made absolute once."""
    prefix = absolute(request, addresses.article_url_prefix())
    return lambda pk: f"{prefix}{pk}/"


def contents_article(row, url_of, page_code=None):
    return {
        "id": row.pk,
        "kicker": row.kicker,
        "title": row.title,
        "subtitle": row.subtitle,
        "byline": row.byline,
        "url": url_of(row.pk),
        "page": page_code,
    }


def paged(request, items, count, number, size=PAGE_SIZE):
    """A page of a list: its items, the count, and the addresses of its neighbours."""

    def address(n):
        query = request.GET.copy()
        query["page"] = n
        return absolute(request, f"{request.path}?{query.urlencode()}")

    last = max(1, -(-count // size))
    return {
        "count": count,
        "next": address(number + 1) if number < last else None,
        "previous": address(number - 1) if number > 1 else None,
        "results": items,
    }


def article_image(request, img):
    """An article's image as its web rendition (the original when it has none)."""
    shown = img.rendition("web")
    return {
        "url": absolute(request, shown.url if shown else img.image.url),
        "width": shown.width if shown else None,
        "height": shown.height if shown else None,
        "alt": img.alt,
        "caption": img.caption,
    }


def page_number(page):
    if not 1 <= page <= MAX_PAGE:
        raise HttpError(400, f"page must be between 1 and {MAX_PAGE}")
    return page


# Endpoints.


@api.get(
    "/issues/",
    response={200: Issues, 400: Error, 404: Error},
    url_name="issues",
    summary="Published issues, newest first",
)
def issues(request, page: int = 1):
    number = page_number(page)
    published = reader_issues(request).latest_first()
    count = published.count()
    start = (number - 1) * PAGE_SIZE
    rows = [issue_summary(request, issue) for issue in published[start : start + PAGE_SIZE]]
    if not rows and number > 1:
        raise Http404
    return paged(request, rows, count, number)


@api.get(
    "/issues/{int:year}/{int:number}/",
    response={200: IssueDetail, 400: Error, 404: Error},
    url_name="issue",
    summary="An issue with its pages and contents",
)
def issue(request, year: int, number: int):
    issue = get_object_or_404(reader_issues(request), year=year, number=number)

    def pages_and_contents():
        pages = list(Section.objects.filter(issue=issue).links())
        contents = TableOfContents(issue, pages)
        codes = {page.pk: page.code for page in pages}
        addresses_of, url_of = page_addresses(request, issue), article_urls(request)
        return {
            "pages": [
                page_summary(request, issue, page.code, page.name, addresses_of) for page in pages
            ],
            "contents": [
                contents_article(row, url_of, codes[row.section_id])
                for group in contents.groups
                for row in group.articles
            ]
            + [contents_article(row, url_of) for row in contents.unplaced],
        }

    # The same for every reader until what readers see changes, as the contents
    # page's fragment is (its addresses hold the host: it is in the key).
    listed = fragments.cached_data(
        "api-issue", request, pages_and_contents, issue.pk, absolute(request, "/")
    )
    return {**issue_summary(request, issue), **listed}


@api.get(
    "/issues/{int:year}/{int:number}/pages/{code}/",
    response={200: PageDetail, 400: Error, 404: Error},
    url_name="page",
    summary="A page with its articles in order and its article areas",
)
def page(request, year: int, number: int, code: str):
    section = get_object_or_404(
        Section.objects.for_reading().filter(issue__in=reader_issues(request)),
        issue__year=year,
        issue__number=number,
        code=code,
    )
    issue = section.issue
    rows = Article.objects.filter(section=section).for_contents()
    url_of = article_urls(request)
    areas = ArticleArea.objects.filter(section=section).order_by("y", "x", "id")
    return {
        **page_summary(request, issue, section.code, section.name),
        "issue": issue_summary(request, issue),
        "scan": image(request, section.rendition("web")),
        "pdf": file_url(request, section.pdf),
        "articles": [contents_article(row, url_of, section.code) for row in rows],
        "areas": [
            {"article_id": a.article_id, "x": a.x, "y": a.y, "w": a.w, "h": a.h} for a in areas
        ],
    }


@api.get(
    "/articles/{int:pk}/",
    response={200: ArticleDetail, 400: Error, 404: Error},
    url_name="article",
    summary="An article: every field, its paragraphs, authors, images, issue, page, neighbours",
)
def article(request, pk: int):
    # The published rule on the joined issue, as the article page has it: an
    # IN (subquery) costs the planner a walk of the issue's reading order.
    article = get_object_or_404(
        Article.objects.for_reading().filter(visible_through(request, "issue")), pk=pk
    )
    issue = article.issue
    images = list(article.images.all()) if article.has_images else []

    def link(pk, title):
        if pk is None:
            return None
        url = absolute(request, addresses.article_url(pk))
        return {"id": pk, "title": title, "url": url}

    return {
        "id": article.pk,
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "body": article.body,
        "paragraphs": article.paragraphs,
        "authors": article.author_names,
        "images": [article_image(request, img) for img in images],
        "issue": issue_summary(request, issue),
        "page": page_summary(request, issue, article.section.code, article.section.name)
        if article.section
        else None,
        "previous": link(article.previous_id, article.previous_title),
        "next": link(article.next_id, article.next_title),
        "url": absolute(request, article.get_absolute_url()),
    }


@api.get(
    "/authors/",
    response={200: Authors, 400: Error, 404: Error},
    url_name="authors",
    summary="Authors in pinyin order",
)
def authors(request, page: int = 1):
    number = page_number(page)
    rows = author_counts(reader_articles(request))
    everyone = [author for group in author_index(rows) for author in group.authors]
    start = (number - 1) * PAGE_SIZE
    items = [
        {
            "name": a.name,
            "pinyin": a.reading.pinyin,
            "initial": a.reading.initial,
            "article_count": a.article_count,
            "url": absolute(request, reverse("authors:detail", kwargs={"name": a.name})),
            "api_search_url": absolute(request, reverse("api:search") + f"?author={a.name}"),
        }
        for a in everyone[start : start + PAGE_SIZE]
    ]
    if not items and number > 1:
        raise Http404
    return paged(request, items, len(everyone), number)


class SearchParams(ParamsSchema):
    q: str = ""
    year: str = ""
    issue: str = ""
    section: str = ""
    author: str = ""
    sort: str = ""
    page: int = 1


@api.get(
    "/search/",
    response={200: SearchResults, 400: Error, 404: Error},
    url_name="search",
    summary="Search published articles, with the rules and filters of /search/",
)
def search(request, params: Query[SearchParams]):
    number = page_number(params.page)
    data = {k: v for k, v in params.dict().items() if k != "page" and v}
    filterset = ArticleSearchFilter(
        data or None,
        queryset=ArticleSearch.objects.published()
        .select_related("article__issue", "article__section")
        .defer("vector", "title", "head", "body"),
        request=request,
    )
    if filterset.is_bound and not filterset.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.form.errors.items())
        raise HttpError(400, errors)
    if not filterset.asked:
        raise HttpError(400, "give q or one of the filters year, issue, section, author")
    found = search_results(filterset, number)
    hits = [
        {
            "id": hit.pk,
            "title": hit.title,
            "byline": hit.byline,
            "issue": f"{hit.issue_year}-{hit.issue_number}",
            "page": hit.section_code,
            "excerpt": "".join(text for text, _matched in hit.excerpt_parts),
            "url": absolute(request, addresses.article_url(hit.pk)),
        }
        for hit in found["articles"]
    ]
    result = paged(request, hits, found["count"], number, size=SEARCH_PAGE_SIZE)
    if found["next_page"] is None:
        result["next"] = None
    result["count_exact"] = found["count_exact"]
    return result


def not_found_anywhere(request, *args, **kwargs):
    """Any other address under /api/ (reader.service_urls sends them here, whatever they hold):
    the API's JSON 404, not the site's HTML one."""
    return JsonResponse({"detail": "Not found."}, status=404)
