"""The Jinja2 environment of the reader's pages (templates in ``reader/jinja2/``).

Readers' pages are Jinja2 templates; the admin keeps Django's template
language. Rendering was most of the cost of an uncached page, and Jinja2
renders the same markup in a third of the time (README, "Performance"). The
templates keep Django's conventions: the same names and blocks, Django's
filters (``date``, ``truncatechars``, ``linebreaksbr``) and text through
``_("...")``, which ``makemessages`` extracts from these files as from
Django's. Repeated markup is a macro (``reader/jinja2/includes/macros.html``);
this module gives the templates data, never markup.

Plurals are written here, in Python, where ``makemessages`` finds them.
"""

import datetime
import functools
import re

import jinja2
from django.conf import settings
from django.template import defaultfilters
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation

from infra import downloads
from infra.images import Rendition
from infra.locale import PREFIXED
from magazine import addresses
from magazine.models import Issue
from reader import share
from reader.fragments import cached_fragment
from sections import models as sections_models
from sections.models import Section


def environment(**options):
    # Django's templates keep a file's last newline and let a missing
    # variable or attribute (``query.dropped`` with no query) be empty: so do
    # these, for the same markup.
    options["keep_trailing_newline"] = True
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    # JSON-LD as Django's json_script writes it: Chinese as it is, keys sorted,
    # and no "</script>" or "<!--" can survive (tojson escapes <, >, & and ').
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    env.filters.update(
        date=date,
        day=day,
        truncatechars=defaultfilters.truncatechars,
        linebreaksbr=defaultfilters.linebreaksbr,
        percent=percent,
    )
    env.globals.update(
        static=static_url if not settings.DEBUG else static,
        querystring=querystring,
        article_count=article_count,
        author_count=author_count,
        share_image=share.share_image,
        share_card_url=share_card_url,
        qr_svg=share.qr_svg,
        issue_jsonld=issue_jsonld,
        article_jsonld=article_jsonld,
        byline_parts=byline_parts,
        author_url=author_url,
        author_urls=author_urls,
        article_counter=article_counter,
        issue_url=addresses.issue_url,
        issue_name=issue_name,
        pages_prefix=addresses.pages_prefix,
        article_url_prefix=addresses.article_url_prefix,
        cached_fragment=cached_fragment,
        page_thumbs=page_thumbs,
        cover_label=sections_models.cover_label,
        # Looked up before cover_label is called: a call costs a list of 70 pages more.
        cover_codes=frozenset(sections_models.COVER_NAMES),
        cover_words=sections_models.COVER_WORDS,
        approximate_size=downloads.approximate_size,
        page_label=sections_models.reader_label,
        page_title=sections_models.reader_title,
        m=Macros(env),
    )
    return env


class Macros:
    """``m``: the macros of ``includes/macros.html``, to every template.

    ``{% import ... as m %}`` in each template cost Jinja2 a comparison of
    the template's globals with the macros' on every render (some 150 calls,
    4 % of a page); this is the same module, made once (again when the file
    changes, with DEBUG's auto-reload) and without any page's context, as an
    import without context is.
    """

    template_name = "includes/macros.html"

    def __init__(self, env):
        self.env = env
        self.module = None

    def __getattr__(self, name):
        module = self.module
        if module is None:
            module = self.env.get_template(self.template_name).module
            # Kept unless templates are reloaded when they change (DEBUG):
            # looking the template up cost more than each macro it gave.
            if not self.env.auto_reload:
                self.module = module
        return getattr(module, name)


def date(value, arg=None):
    """Django's ``date`` filter, in the current time zone as Django's templates show it."""
    return defaultfilters.date(timezone.template_localtime(value), arg)


def day(value):
    """``date("Y-m-d")`` for a date or an aware moment (in the site's time zone), as
    strftime: a sitemap formats 34,000 of them."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def percent(fraction):
    """A fraction of a page (an area's ``x``, say) in percent, as CSS places it."""
    return round(fraction * 100, 3)


def querystring(request, **changes):
    """Django's ``{% querystring %}``: the request's query with ``changes``."""
    return django_querystring(None, request.GET, **changes)


def article_count(count, exact=True):
    if exact:
        text = translation.ngettext("%(count)s article", "%(count)s articles", count)
    else:
        text = translation.ngettext("About %(count)s article", "About %(count)s articles", count)
    return text % {"count": count}


def article_counter():
    """``article_count``, each count's text made once: the author index says
    "3 articles" for 2,000 authors, in a few dozen different counts."""
    return functools.cache(article_count)


def share_card_url(kind, pk):
    """The address of the share card of ``kind`` (``"article"``, say) ``pk``: a prefix
    and the id, as an article's address is (``reverse()`` was 2 % of its view)."""
    urlconf, prefix, language = addresses.key()
    script = ".zh-hant" if language in PREFIXED else ""  # the card in the page's script
    return f"{_share_card_prefix(kind, urlconf, prefix, language)}{pk}{script}.png"


@functools.lru_cache(maxsize=32)
def _share_card_prefix(kind, urlconf, prefix, language):
    return reverse(f"share:{kind}", urlconf=urlconf, kwargs={"pk": 0}).removesuffix("0.png")


def author_count(count):
    return translation.ngettext(
        "%(count)s author, in the order of the pinyin of their surnames.",
        "%(count)s authors, in the order of the pinyin of their surnames.",
        count,
    ) % {"count": count}


def _periodical(context):
    return {"@type": "Periodical", "name": context.get("site_name", "")}


def _issue(context, issue):
    request = context["request"]
    url = request.build_absolute_uri(issue.get_absolute_url())
    data = {
        "@type": "PublicationIssue",
        "@id": url,
        "url": url,
        "issueNumber": str(issue.number),
        "name": str(issue),
        "isPartOf": _periodical(context),
    }
    if issue.published_at:
        data["datePublished"] = issue.published_at.date().isoformat()
    if issue.cover:
        data["image"] = request.build_absolute_uri(issue.cover.url)
    return data


@jinja2.pass_context
def issue_jsonld(context, issue):
    """schema.org data of an issue (the template writes it as JSON-LD)."""
    return {"@context": "https://schema.org", **_issue(context, issue)}


@jinja2.pass_context
def article_jsonld(context, article):
    """schema.org data of an article (the template writes it as JSON-LD)."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title[:110],
        "name": article.title,
        "inLanguage": "zh-CN",
        "isPartOf": _issue(context, article.issue),
        "dateModified": article.updated_at.isoformat(),
    }
    if article.issue.published_at:
        data["datePublished"] = article.issue.published_at.isoformat()
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle
    if article.section:
        data["articleSection"] = article.section.name
        data["pagination"] = article.section.code
    names = article.author_names
    if names:
        data["author"] = [{"@type": "Person", "name": name} for name in names]
    if article.paragraphs:
        data["description"] = article.paragraphs[0][:200]
    return data


def byline_parts(article):
    """The byline as printed, as ``(text, url)`` parts: each author's name with the
    address of their articles, the words between with None."""
    names = article.author_names
    if not names:
        return [(article.byline, None)]
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    parts, last = [], 0
    for match in pattern.finditer(article.byline):
        parts.append((article.byline[last : match.start()], None))
        parts.append((match.group(), author_url(match.group())))
        last = match.end()
    parts.append((article.byline[last:], None))
    return parts


@functools.lru_cache(maxsize=4096)
def _author_url(name, urlconf, prefix, language):
    return reverse("authors:detail", urlconf=urlconf, kwargs={"name": name})


def author_url(name):
    """An author's address, reversed once per name, URLconf and script prefix."""
    return _author_url(name, *addresses.key())


def author_urls():
    """``author_url`` with the URLconf, script prefix and language read once, not
    per name (the author index names 2,000)."""
    key = addresses.key()
    return lambda name: _author_url(name, *key)


@functools.lru_cache(maxsize=4096)
def _issue_name(year, number, language):
    return Issue.name_of(year, number)


def issue_name(year, number):
    """``Issue.name_of``, translated once per issue and language (search results
    name an issue on every row)."""
    return _issue_name(year, number, translation.get_language())


@functools.lru_cache(maxsize=64)
def _static(path, static_url):
    return static(path)


def static_url(path):
    """``static()``, looked up once per file: the manifest does not change while
    the process runs (``collectstatic`` comes before a deployment's start)."""
    return _static(path, settings.STATIC_URL)


def page_thumbs(pages):
    """``[(page, thumbnail)]`` of the pages (``links()`` rows) that have a scan."""
    storage = Section._meta.get_field("scan").storage
    return [
        (page, Rendition(storage, page.scan_renditions["thumb"]))
        for page in pages
        if page.scan_renditions and page.scan_renditions.get("thumb")
    ]
