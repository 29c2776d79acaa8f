"""The Jinja2 environment of the reader's pages (templates in ``jinja2/``).

Readers' pages are Jinja2 templates; the admin keeps Django's template
language. Rendering was most of the cost of an uncached page: the same
article page took 2.4 ms in Django's templates and 0.7 ms in Jinja2
(measured in-process, helpers apart), and ``bench/`` asks for an article at a
quarter of a bare view's throughput. The templates keep Django's conventions:
the same names and blocks, Django's filters (``date``, ``truncatechars``,
``linebreaksbr``) and text through ``_("...")``, which ``makemessages``
extracts from these files as from Django's.

Plurals are written here, in Python, where ``makemessages`` finds them.
"""

import json
import re

from django.template import defaultfilters
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

import jinja2
from magazine import listings


def environment(**options):
    # Django's templates keep a file's last newline and let a missing
    # variable or attribute (``query.dropped`` with no query) be empty: so do
    # these, for the same markup.
    options["keep_trailing_newline"] = True
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.filters.update(
        date=date,
        truncatechars=defaultfilters.truncatechars,
        linebreaksbr=defaultfilters.linebreaksbr,
    )
    env.globals.update(
        static=static,
        querystring=querystring,
        article_count=article_count,
        issue_jsonld=issue_jsonld,
        article_jsonld=article_jsonld,
        byline_links=byline_links,
        cover=cover,
        page_nav_items=listings.page_nav_items,
        contents_groups=listings.contents_groups,
        page_articles=listings.page_articles,
        search_result_items=listings.search_result_items,
    )
    return env


def date(value, arg=None):
    """Django's ``date`` filter, in the current time zone as Django's templates show it."""
    return defaultfilters.date(timezone.template_localtime(value), arg)


def querystring(request, **changes):
    """Django's ``{% querystring %}``: the request's query with ``changes``."""
    return django_querystring(None, request.GET, **changes)


def article_count(count, exact=True):
    if exact:
        text = translation.ngettext("%(count)s article", "%(count)s articles", count)
    else:
        text = translation.ngettext("About %(count)s article", "About %(count)s articles", count)
    return text % {"count": count}


# As in django.utils.html.json_script: no "</script>" or "<!--" can survive.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script(data):
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


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
    """schema.org JSON-LD of an issue."""
    return _script({"@context": "https://schema.org", **_issue(context, issue)})


@jinja2.pass_context
def article_jsonld(context, article):
    """schema.org JSON-LD of an article."""
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
    return _script(data)


def byline_links(article):
    """The byline as printed, each author's name a link to their articles."""
    names = article.author_names
    if not names:
        return escape(article.byline)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    out, last = [], 0
    for match in pattern.finditer(article.byline):
        url = reverse("authors:detail", kwargs={"name": match.group()})
        out += [
            escape(article.byline[last : match.start()]),
            format_html('<a href="{}">{}</a>', url, match.group()),
        ]
        last = match.end()
    out.append(escape(article.byline[last:]))
    return mark_safe("".join(out))


@jinja2.pass_context
def cover(context, issue):
    """An issue's cover (or a placeholder) linking to it."""
    return listings.cover_link(issue, context.get("site_name", ""))
