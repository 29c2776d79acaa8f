"""Fragment caches: the parts of a page that are the same on every page of an issue.

An issue's page list stands on every page and article view of it, its
contents on the home and contents pages, a page's titles on its page and
(within the contents) on two more; the markup around them differs. In a template::

    {% call cached_fragment("page-nav", issue.pk, current_pk) %}...{% endcall %}

renders the block once per content version (``reader.page_cache``: any
change readers could see moves it), language and key parts, and serves it
from the cache until then. Whatever changes the markup is in the key (the
current page marked ``aria-current``, say). The block reads its data only
when it renders, so a hit costs no query. Previews and staff never read or
store fragments (they have a session), nor does anything with
``FRAGMENT_CACHE=0`` (the benchmark's cold runs).

On a Traditional page a fragment is kept converted (``reader.traditional``),
marked so that the page's own conversion passes over it: an issue's page
list is converted once, not on every page that shows it.
"""

import jinja2
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.utils.translation import get_language
from markupsafe import Markup

from infra.locale import PREFIXED
from reader.page_cache import request_version
from reader.traditional import converted_in_advance


def may_use(request, preview=False):
    """Whether this request may read and store fragments: a reader's, not a preview."""
    return (
        settings.FRAGMENT_CACHE_ENABLED
        and not preview
        and request is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and request_version(request) is not None
    )


def cached_data(name, request, compute, *parts, preview=False):
    """``compute()``, kept as a fragment is: data every page of a kind shows alike
    (the search form's years and page names) or a page shows alike for every
    reader (its 上一版/下一版), read once per content version."""
    if not may_use(request, preview=preview):
        return compute()
    key = make_template_fragment_key(name, [request_version(request), get_language(), *parts])
    store = caches["default"]
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


@jinja2.pass_context
def cached_fragment(context, name, *parts, caller):
    request = context.get("request")
    if not may_use(request, preview=context.get("preview", False)):
        return caller()
    language = get_language()
    key = make_template_fragment_key(name, [request_version(request), language, *parts])
    store = caches["default"]
    html = store.get(key)
    if html is None:
        html = str(caller())
        if language in PREFIXED:
            html = converted_in_advance(html)
        store.set(key, html, settings.PAGE_CACHE_SECONDS)
    return Markup(html)
