"""The reader site's fixed addresses, reversed once per process.

``reverse()`` costs some 30 µs on this kind of machine, and every public page
asked for the same few addresses (home, archive, search, feed, the article
prefix, the issues') a dozen times. They depend only on the URLconf and the
script prefix, which are the cache's key: a test that swaps the URLconf, or
a site served under a sub-path, gets its own.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

SITE = {
    "home": "home",
    "archive": "issues:list",
    "search": "search:results",
    "feed": "feed",
    "sitemap": "sitemap",
}


def key():
    """What a reversed address depends on besides its arguments."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@lru_cache(maxsize=32)
def _site(urlconf, prefix):
    return {label: reverse(name, urlconf=urlconf) for label, name in SITE.items()}


@lru_cache(maxsize=32)
def _article_prefix(urlconf, prefix):
    return reverse("articles:detail", urlconf=urlconf, kwargs={"pk": 0}).removesuffix("0/")


def site():
    """``{"home": "/", "archive": "/issues/", ...}``: the addresses in every page's frame."""
    return _site(*key())


def article_url_prefix():
    """Every article's address is this and its id: ``/articles/`` + ``42/``."""
    return _article_prefix(*key())


def article_url(pk):
    return f"{article_url_prefix()}{pk}/"


def issue_url(year, number):
    """An issue's address: a 20-year archive lists 240 of them on one page."""
    return _issue_url(year, number, *key())


def pages_prefix(year, number):
    """Every page of an issue is this and its code: ``/issues/2014/5/pages/`` + ``01/``.

    What reverse("issues:page") gives, without resolving the pattern for each
    of an issue's 70 pages.
    """
    return f"{issue_url(year, number)}pages/"


@lru_cache(maxsize=4096)
def _issue_url(year, number, urlconf, prefix):
    return reverse("issues:detail", urlconf=urlconf, kwargs={"year": year, "number": number})
