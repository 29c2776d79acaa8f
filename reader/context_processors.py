from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from magazine import addresses

FRAME = {
    "home": "home",
    "archive": "issues:list",
    "search": "search:results",
    "authors": "authors:index",
    "feed": "feed",
    "sitemap": "sitemap",
}


@lru_cache(maxsize=32)
def _frame(urlconf, prefix):
    return {label: reverse(name, urlconf=urlconf) for label, name in FRAME.items()}


def frame():
    """``{"home": "/", "archive": "/issues/", ...}``: the addresses in every page's frame,
    reversed once per URLconf and script prefix."""
    return _frame(*addresses.key())


def site(request):
    # The path without its query string: ?year= or paging never makes a new page.
    return {
        "site_name": settings.MAGAZINE_NAME,
        "urls": frame(),
        "canonical_url": request.build_absolute_uri(request.path),
    }
