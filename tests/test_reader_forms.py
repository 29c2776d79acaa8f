"""The reader's forms (search, archive): Django's Jinja2 form renderer, escaped."""

import pytest
from django.forms.renderers import Jinja2

from articles.models import ArticleSearch
from magazine.models import Issue
from reader.filters import ArchiveFilter, ArticleSearchFilter, jinja2_forms

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>&amp;'


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "干部 乡村", "year": "2014", "sort": "relevance"},
        {"q": HOSTILE, "issue": "not-an-issue", "author": HOSTILE, "section": HOSTILE},
        {"issue": "2014-5", "section": "本期策划"},
    ],
)
def test_the_search_form_renders_every_field_escaped(data, make_issue):
    issue = make_issue(2014, 5, published_at="2014-05-01T00:00:00+08:00")
    issue.sections.create(code="01", name="本期策划", position=0)
    issue.sections.create(code="02", name=HOSTILE, position=1)
    search = ArticleSearchFilter(data or None, queryset=ArticleSearch.objects.all())
    search.is_valid()
    assert search.form.renderer is jinja2_forms  # one engine for every request
    assert isinstance(jinja2_forms, Jinja2)
    html = "".join(str(field) for field in search.form)
    assert "<script>" not in html
    assert html.count("<select") == 4 and html.count("<input") == 2
    if data.get("section") == "本期策划":
        assert '<option value="本期策划" selected>本期策划</option>' in html
        assert '<option value="2014-5" selected>2014年第5期</option>' in html


def test_the_archive_form_marks_the_year_chosen(make_issue):
    make_issue(2014, 5, published_at="2014-05-01T00:00:00+08:00")
    archive = ArchiveFilter({"year": "2014"}, queryset=Issue.objects.all())
    assert '<option value="2014" selected>2014</option>' in str(archive.form["year"])
