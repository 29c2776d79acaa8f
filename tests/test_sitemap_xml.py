"""The sitemap's template writes what Django's sitemap.xml template writes."""

import datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.template import engines

URLSET = [
    {"location": "http://testserver/", "lastmod": None, "changefreq": "weekly", "priority": ""},
    {
        # 23:30 in UTC is the next day in Shanghai: the day is the site's.
        "location": "http://testserver/articles/7/",
        "lastmod": datetime.datetime(2014, 5, 1, 23, 30, tzinfo=ZoneInfo("UTC")),
        "changefreq": "monthly",
        "priority": "0.5",
    },
    {
        "location": 'http://testserver/search/?q=a&b="<x>"',
        "lastmod": datetime.date(2014, 5, 2),
        "changefreq": None,
        "priority": "",
        "alternates": [{"lang_code": "en", "location": "http://testserver/en/?a&b"}],
    },
]


def canonical(xml):
    return ElementTree.canonicalize(xml, strip_text=True)


def test_same_document_as_djangos_template():
    ours = engines["jinja2"].get_template("sitemap.xml").render({"urlset": URLSET})
    django = engines["django"].get_template("sitemap.xml").render({"urlset": URLSET})
    assert canonical(ours) == canonical(django)
    assert "<lastmod>2014-05-02</lastmod>" in ours  # 23:30 UTC, in Asia/Shanghai
    assert "&amp;b=&#34;&lt;x&gt;&#34;" in ours


@pytest.mark.django_db
def test_the_served_sitemap_is_the_same_as_djangos(client):
    from django.contrib.sitemaps import views

    from reader.sitemaps import SITEMAPS
    from tests.test_public_site import build_issue

    build_issue(2014, 5, articles_per_page=2)
    served = client.get("/sitemap.xml")
    request = served.wsgi_request
    context = views.sitemap(request, sitemaps=SITEMAPS).context_data
    django = engines["django"].get_template("sitemap.xml").render(context)
    assert canonical(served.content.decode()) == canonical(django)
    assert served["Content-Type"] == "application/xml"
    # home, archive, authors; issue; pages; articles; in both scripts
    assert served.content.count(b"<url>") == (3 + 1 + 4 + 8) * 2
