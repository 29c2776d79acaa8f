"""The reader's forms written in Python give what Django's widget templates give."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from articles.filters import ArticleSearchFilter
from articles.models import ArticleSearch
from magazine.filters import ArchiveFilter
from magazine.form_html import PythonWidgets, python_widgets
from magazine.models import Issue

pytestmark = pytest.mark.django_db


def normal(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


def both(form):
    python = [normal(field) for field in form]
    form.renderer = DjangoTemplates()
    django = [normal(field) for field in form]
    return python, django


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
def test_search_form_is_the_same_markup(data, make_issue):
    issue = make_issue(2014, 5, published_at="2014-05-01T00:00:00+08:00")
    issue.sections.create(code="01", name="本期策划", position=0)
    issue.sections.create(code="02", name=HOSTILE, position=1)
    search = ArticleSearchFilter(data or None, queryset=ArticleSearch.objects.all())
    search.is_valid()
    assert search.form.renderer is python_widgets  # one engine for every request
    python, django = both(search.form)
    assert python == django
    assert "<script>" not in "".join(python)


def test_archive_form_is_the_same_markup(make_issue):
    make_issue(2014, 5, published_at="2014-05-01T00:00:00+08:00")
    archive = ArchiveFilter({"year": "2014"}, queryset=Issue.objects.all())
    python, django = both(archive.form)
    assert python == django
    assert 'value="2014" selected' in python[0]


def test_other_widgets_still_use_the_templates():
    class Form(forms.Form):
        default_renderer = PythonWidgets
        tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
        note = forms.CharField(widget=forms.Textarea)
        grouped = forms.ChoiceField(choices=[("一组", [("1", "一"), ("2", "二")])])

    python, django = both(Form({"tags": ["b"], "note": HOSTILE, "grouped": "2"}))
    assert python == django
