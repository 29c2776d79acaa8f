"""The models' addresses (``get_absolute_url``), reversed once per process.

A contents page lists 300 articles and 70 pages, and ``reverse()`` for each
would cost more than the rest of the page (README, "Performance"): an
article's address is a prefix reversed once and its id, a page's its
issue's address and its code. The memos are keyed by the URLconf, the
script prefix and the language (Traditional Chinese has its addresses
under ``/zh-hant/``), so a test that swaps the URLconf, or a site served
under a sub-path, gets its own.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def key():
    """What a reversed address depends on besides its arguments."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language()


@lru_cache(maxsize=32)
def _article_prefix(urlconf, prefix, language):
    return reverse("articles:detail", urlconf=urlconf, kwargs={"pk": 0}).removesuffix("0/")


def article_url_prefix():
    """Every article's address is this and its id: ``/articles/`` + ``42/``."""
    return _article_prefix(*key())


def article_url(pk):
    return f"{article_url_prefix()}{pk}/"


def issue_url(year, number):
    return _issue_url(year, number, *key())


def pages_prefix(year, number):
    """Every page of an issue is this and its code: ``/issues/2014/5/pages/`` + ``01/``
    (what ``reverse("issues:page")`` gives)."""
    return f"{issue_url(year, number)}pages/"


@lru_cache(maxsize=4096)
def _issue_url(year, number, urlconf, prefix, language):
    return reverse("issues:detail", urlconf=urlconf, kwargs={"year": year, "number": number})
