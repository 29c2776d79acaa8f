from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.encoding import escape_uri_path

from infra import chinese_script
from infra.locale import PREFIXED
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
def _frame(urlconf, prefix, language):
    return {label: reverse(name, urlconf=urlconf) for label, name in FRAME.items()}


def frame():
    """``{"home": "/", "archive": "/issues/", ...}``: the addresses in every page's frame,
    reversed once per URLconf and script prefix."""
    return _frame(*addresses.key())


def scripts(request):
    """The same page in Simplified and in Traditional Chinese, as paths
    (``{"zh-hans": "/articles/1/", "zh-hant": "/zh-hant/articles/1/"}``).

    Every reader page is at the same address in both, but for the prefix, so
    the two are found by taking it off or putting it on (no resolve and
    reverse of the path). Percent-encoded, as ``reverse()`` gives them: an
    author's name in the address must not be converted with the page."""
    prefix, path = get_script_prefix(), escape_uri_path(request.path_info).lstrip("/")
    traditional = f"{PREFIXED[0]}/"
    if f"{path}/".startswith(traditional):
        path = path.removeprefix(traditional.rstrip("/")).lstrip("/")
    return {"zh-hans": f"{prefix}{path}", "zh-hant": f"{prefix}{traditional}{path}"}


def site(request):
    # The path without its query string: ?year= or paging never makes a new page.
    traditional = getattr(request, "LANGUAGE_CODE", None) in PREFIXED
    alternates = scripts(request)
    query = request.META.get("QUERY_STRING", "")
    return {
        "site_name": settings.MAGAZINE_NAME,
        "urls": frame(),
        "canonical_url": request.build_absolute_uri(request.path),
        "traditional": traditional,
        "html_lang": chinese_script.lang_tag() if traditional else None,
        "alternates": {
            language: request.build_absolute_uri(path) for language, path in alternates.items()
        },
        # The switch keeps the reader where they are, a search's words included.
        "other_script_url": alternates["zh-hans" if traditional else "zh-hant"]
        + (f"?{query}" if query else ""),
    }
