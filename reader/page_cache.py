"""The page cache for anonymous readers.

A reader's page is cached under a key that holds the *content version*, a
counter shared by every worker (Redis, or a file cache on one machine). Any
change to what the public site shows moves the counter, so every cached page
is stale at once and the next request renders afresh:

* saving or deleting an issue, page, article or image (model signals: they
  also see the admin's bulk deletes and the deletes that cascade; the
  counter moves at once and again when the transaction commits, so no page
  rendered from the old data can be stored under the new key);
* not adding a page, article or image to an unpublished issue: readers
  see none of it until the issue is published, which moves the counter;
  so an import into a new issue leaves every cached page in place;
* a scheduled issue's time coming: the moment is kept beside the counter,
  and the first request after it moves the counter.

With Redis every hit would fetch the whole page over the network and
unpickle a response; each worker therefore keeps the pages it served last
in a small front of its own, under the same versioned keys, so a hit costs
one small Redis read (the version) and no page transfer. The version is
still read on every request: the front never serves a stale page.

Only GET and HEAD of the reader site by visitors without a session are
cached: staff (who have a session) and previews are never served from, nor
stored in, the cache. ``ConditionalGetMiddleware`` adds the ETag and answers
304 to a repeat visit.

What may be kept is bounded: only addresses of the site's pages (a made-up
path is never kept), only answers 200 and 301 (a 404 is cheap to make again
and would let anyone fill the cache with ``/articles/N/``), and a page is
kept under the query parameters it reads, normalised (in order, the last
value of each, empty ones dropped); the view sees the same normalised query,
so one key never holds two answers, and ``?r=1`` … ``?r=300`` is one page.
Every key expires (``PAGE_CACHE_SECONDS``); Redis's ``maxmemory`` with the
``volatile-lru`` policy (README) bounds the rest and never evicts the version.
"""

import functools
import hashlib
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, set_response_etag

from articles.models import Article, ArticleArea, ArticleImage, Author
from infra.locale import PREFIXED, request_language
from magazine.models import Issue
from sections.models import Section, pages_added

VERSION_KEY = "page-cache:version"
NEXT_CHANGE_KEY = "page-cache:next-change"
CACHEABLE_STATUS = {200, 301}
PREFIXES = tuple(f"/{language}/" for language in PREFIXED)
SEARCH_PARAMETERS = ("author", "issue", "page", "q", "section", "sort", "year")
# The query parameters each page reads, by URL name; a page not named reads none.
QUERY_PARAMETERS = {
    "search:results": SEARCH_PARAMETERS,
    "issues:list": ("year",),
    "authors:detail": ("page",),
    "api:issues": ("page",),
    "api:authors": ("page",),
    "api:search": SEARCH_PARAMETERS,
    "sitemap": ("p",),
}
EXCLUDED_PREFIXES = ("/static/", "/media/", "/healthz")


FRONT_BYTES = 32 * 1024 * 1024  # per worker


class Front:
    """The pages a worker served last: (status, headers, body) by key, least recent out."""

    def __init__(self, limit=FRONT_BYTES):
        self.limit, self.size, self.entries = limit, 0, OrderedDict()

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None:
            return None
        self.entries.move_to_end(key)
        status, headers, body = entry
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        return response

    def put(self, key, response):
        if key in self.entries or len(response.content) > self.limit // 8:
            return
        self.entries[key] = (response.status_code, list(response.items()), response.content)
        self.size += len(response.content)
        while self.size > self.limit:
            _, (_, _, body) = self.entries.popitem(last=False)
            self.size -= len(body)

    def clear(self):
        self.entries.clear()
        self.size = 0


front = Front()


def coordination():
    return caches["coordination"]


def pages():
    return caches["default"]


def content_changed(schedule=False):
    """Make every cached page stale: now, and once more after the commit.

    ``schedule``: an issue's publication time may have changed, so the next
    scheduled moment is looked up again.
    """
    _bump(schedule)
    transaction.on_commit(lambda: _bump(schedule))


def _bump(schedule=True):
    store = coordination()
    if schedule or store.get(VERSION_KEY) is None:
        # The moment before the version: a worker that sees the new version
        # and then reads the moment (see current_version) gets the new one.
        upcoming = Issue.objects.scheduled().order_by("published_at")
        moment = upcoming.values_list("published_at", flat=True).first()
        store.set(NEXT_CHANGE_KEY, moment.timestamp() if moment else None, None)
    try:
        store.incr(VERSION_KEY)
    except ValueError:
        store.set(VERSION_KEY, int(time.time() * 1000), None)


class _Seen:
    """This worker's last-read version and the scheduled moment that goes with it.

    The moment changes only together with the version, so it is read again
    only when the version moves: one small read per request, not two.
    """

    version = None
    next_change = None


def request_version(request):
    """The content version for this request, read once (the page cache and the
    fragment caches of one page share it); None while the shared cache cannot
    be reached (reader/redis_cache.py): nothing is then read from or stored in
    any cache, so no page kept under an unknown version can be served later."""
    try:
        return request.content_version
    except AttributeError:
        request.content_version = current_version()
        return request.content_version


def current_version():
    store = coordination()
    version = store.get(VERSION_KEY)
    if version is None:
        _bump()  # first use
        version = store.get(VERSION_KEY)
        if version is None:
            return None  # the store is unreachable
    if version != _Seen.version:
        _Seen.version, _Seen.next_change = version, store.get(NEXT_CHANGE_KEY)
    if _Seen.next_change is not None and time.time() >= _Seen.next_change:
        _bump()  # a scheduled issue's time has come
        return current_version()
    return version


def forget_seen():
    """Tests: a fresh worker's view (after the caches were cleared)."""
    _Seen.version = _Seen.next_change = None
    front.clear()


class ReaderPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request) or request_version(request) is None:
            return self.get_response(request)
        parameters = query_parameters(unprefixed(request.path_info))
        if parameters is None:  # no page of the site: never kept
            return self.get_response(request)
        if request.META.get("QUERY_STRING"):
            normalise_query(request, parameters)
        key = self.key(request)
        cached = self.fetch(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self.cacheable_response(response):
            response["X-Page-Cache"] = "miss"
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(lambda rendered: self.store(key, rendered))
            else:
                self.store(key, response)
        return response

    @staticmethod
    def fetch(key):
        store = pages()
        if isinstance(store, LocMemCache):  # already this worker's memory
            return store.get(key)
        cached = front.get(key)
        if cached is None:
            cached = store.get(key)
            if cached is not None:
                front.put(key, cached)
        return cached

    @staticmethod
    def store(key, response):
        # The ETag is computed once, here, not on every hit.
        set_response_etag(response)
        pages().set(key, response, settings.PAGE_CACHE_SECONDS)
        if not isinstance(pages(), LocMemCache):
            front.put(key, response)

    @staticmethod
    def cacheable_request(request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and not request.path.startswith((*EXCLUDED_PREFIXES, f"/{settings.ADMIN_URL}"))
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code in CACHEABLE_STATUS
            and not response.streaming
            and not response.cookies
            and "no-cache" not in cache_control
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    @staticmethod
    def key(request):
        address = "\n".join(
            [request_language(request), request.get_host(), request.get_full_path()]
        )
        digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
        return f"page:{request_version(request)}:{digest}"


def unprefixed(path):
    """The address without its language prefix (``/zh-hant/search/`` is ``/search/``)."""
    for prefix in PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


@functools.lru_cache(maxsize=4096)
def query_parameters(path):
    """The query parameters the page at ``path`` reads; None if no page is there."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    return QUERY_PARAMETERS.get(match.view_name, ())


def normalise_query(request, parameters):
    """Keep of the request's query only what the page reads, in order, the last value
    of each, non-empty: the view and the cache key both see that."""
    query = request.META["QUERY_STRING"]
    names = [pair.partition("=")[::2] for pair in query.split("&")]
    if all(value for _, value in names) and [n for n, _ in names] == sorted(
        {n for n, _ in names} & set(parameters)
    ):
        return  # already so (the site's own links): nothing to parse or write
    kept = QueryDict(mutable=True)
    for name in sorted(parameters):
        value = request.GET.get(name)
        if value:
            kept[name] = value
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def connect_signals():
    """Called from ReaderConfig.ready(): the models below know nothing of the cache."""
    for model in (Issue, Section, Article, ArticleImage, ArticleArea, Author):
        post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}"
        )
    pages_added.connect(_pages_added, sender=Section, dispatch_uid="page-cache-pages-added")


def _pages_added(sender, issue, **kwargs):
    # A page list merged into an issue (a bulk insert, no post_save): readers
    # see the new pages only if they may see the issue.
    if issue.is_published():
        content_changed()


def _changed(sender, instance=None, created=False, **kwargs):
    if created and sender is not Issue and not _visible_to_readers(instance):
        # Something new in a draft or scheduled issue (an import, say): no
        # reader's page shows it until the issue is published, which moves
        # the version itself. Edits and deletes always move it.
        return
    content_changed(schedule=sender is Issue)


def _visible_to_readers(instance):
    if isinstance(instance, Author):
        return False  # a new name belongs to no article yet
    if isinstance(instance, ArticleImage | ArticleArea):
        issue_id = instance.article.issue_id
    else:
        issue_id = instance.issue_id
    return Issue.objects.published().filter(pk=issue_id).exists()
