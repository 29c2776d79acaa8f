"""The fixed addresses reversed once per process are the ones reverse() gives."""

import pytest
from django.template.loader import render_to_string
from django.urls import clear_script_prefix, reverse, set_script_prefix

from magazine import addresses
from reader.context_processors import FRAME, frame


@pytest.fixture
def sub_path():
    set_script_prefix("/magazine/")
    yield
    clear_script_prefix()


def expected():
    return {key: reverse(name) for key, name in FRAME.items()}


def test_site_addresses_are_what_reverse_gives():
    assert frame() == expected()
    assert frame()["archive"] == "/issues/"
    assert addresses.article_url(42) == reverse("articles:detail", kwargs={"pk": 42})


def test_a_site_under_a_sub_path_gets_its_own_addresses(sub_path):
    assert frame() == expected()
    assert frame()["home"] == "/magazine/"
    assert addresses.article_url(7) == "/magazine/articles/7/"


def test_another_urlconf_gets_its_own_addresses(settings):
    assert addresses.article_url(7) == "/articles/7/"
    settings.ROOT_URLCONF = "tests.urls_elsewhere"
    assert addresses.article_url(7) == "/elsewhere/articles/7/"
    assert frame() == expected()
    assert frame()["feed"] == "/elsewhere/feeds/latest/"


def test_page_frame_links_follow_the_script_prefix(rf, sub_path):
    # As {% url %} did: a site served under a sub-path links within it. (The
    # frame alone: a whole page would fix the static files' prefix for the
    # rest of the session.)
    request = rf.get("/")
    html = render_to_string("includes/header.html", request=request)
    html += render_to_string("includes/footer.html", request=request)
    assert 'href="/magazine/issues/"' in html
    assert 'href="/magazine/search/"' in html
    assert 'href="/magazine/feeds/latest/"' in html


def test_issue_addresses_are_what_reverse_gives(sub_path):
    assert addresses.issue_url(2014, 5) == reverse(
        "issues:detail", kwargs={"year": 2014, "number": 5}
    )
    assert addresses.issue_url(2014, 5) == "/magazine/issues/2014/5/"


def test_page_addresses_are_what_reverse_gives():
    page = reverse("issues:page", kwargs={"year": 2014, "number": 5, "code": "9901"})
    assert f"{addresses.pages_prefix(2014, 5)}9901/" == page
