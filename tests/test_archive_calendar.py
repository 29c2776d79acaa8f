"""往期回顾 as a calendar: each year a grid of its numbers (gaps where a number is not
published), every issue one tap from the archive; the years as links to their pages."""

import re

import pytest
from django.utils import timezone

from magazine.models import Issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    now = timezone.now()
    for year, number in [(2025, 1), (2025, 3), (2025, 12), (2026, 2)]:
        Issue.objects.create(year=year, number=number, published_at=now)
    Issue.objects.create(year=2026, number=3)  # a draft: a gap, never a link


def slots(html, year):
    start = html.index(f'<h2 id="year-{year}">')
    grid = html[start : html.index("</ol>", start)]
    return re.findall(r'<li( class="issue-calendar__gap" aria-hidden="true")?>', grid), grid


def test_each_year_is_a_calendar_of_its_numbers_with_gaps(client, archive):
    html = client.get("/issues/").content.decode()
    found, grid = slots(html, 2025)
    assert len(found) == 12
    published = [index + 1 for index, gap in enumerate(found) if not gap]
    assert published == [1, 3, 12]
    assert 'href="/issues/2025/3/"' in grid and "第3期" in grid
    found, grid = slots(html, 2026)
    assert [index + 1 for index, gap in enumerate(found) if not gap] == [2]
    assert 'href="/issues/2026/3/"' not in html  # the draft
    assert html.index('id="year-2026"') < html.index('id="year-2025"')  # newest first


def test_the_years_are_links_to_their_pages_and_those_keep_their_addresses(client, archive):
    html = client.get("/issues/").content.decode()
    assert '<a href="/issues/2026/">2026</a>' in html and '<a href="/issues/2025/">2025</a>' in html
    year = client.get("/issues/2025/").content.decode()
    assert '<a href="/issues/2025/" aria-current="page">2025</a>' in year
    assert 'id="year-2026"' not in year and len(slots(year, 2025)[0]) == 12


def test_a_year_of_more_numbers_shows_them_all(client):
    for number in (1, 24):
        Issue.objects.create(year=2024, number=number, published_at=timezone.now())
    found, _ = slots(client.get("/issues/2024/").content.decode(), 2024)
    assert len(found) == 24


def test_the_calendar_runs_the_same_queries_however_many_issues(client, django_assert_num_queries):
    now = timezone.now()
    Issue.objects.create(year=2020, number=1, published_at=now)
    with django_assert_num_queries(2):
        client.get("/issues/")
    for year in range(2010, 2020):
        for number in range(1, 13):
            Issue.objects.create(year=year, number=number, published_at=now)
    with django_assert_num_queries(2):
        client.get("/issues/")
