"""Template tags of the reader site: schema.org JSON-LD, bylines, the long lists."""

import json
import re

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from magazine import listings

register = template.Library()

# As in django.utils.html.json_script: no "</script>" or "<!--" can survive.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script(data):
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _periodical(context):
    return {"@type": "Periodical", "name": context.get("site_name", "")}


def _issue(context, issue):
    request = context["request"]
    data = {
        "@type": "PublicationIssue",
        "@id": request.build_absolute_uri(issue.get_absolute_url()),
        "url": request.build_absolute_uri(issue.get_absolute_url()),
        "issueNumber": str(issue.number),
        "name": str(issue),
        "isPartOf": _periodical(context),
    }
    if issue.published_at:
        data["datePublished"] = issue.published_at.date().isoformat()
    if issue.cover:
        data["image"] = request.build_absolute_uri(issue.cover.url)
    return data


@register.simple_tag(takes_context=True)
def issue_jsonld(context, issue):
    return _script({"@context": "https://schema.org", **_issue(context, issue)})


@register.simple_tag(takes_context=True)
def article_jsonld(context, article):
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


@register.simple_tag
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


@register.simple_tag
def page_nav_items(sections, current=None):
    return listings.page_nav_items(sections, current)


@register.simple_tag
def contents_groups(contents):
    return listings.contents_groups(contents)


@register.simple_tag
def page_articles(articles):
    return listings.page_articles(articles)


@register.simple_tag
def search_result_items(articles):
    return listings.search_result_items(articles)


@register.simple_tag(takes_context=True)
def cover(context, issue):
    return listings.cover_link(issue, context.get("site_name", ""))
