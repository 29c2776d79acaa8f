"""The reader's filters, with django-filter: the archive's year, and the search's
words, year, issue, page name and author.

Each FilterSet runs over the published rows only (``Issue.objects.published()``,
``ArticleSearch.objects.published()``: one row per published article, see
``articles/search.py``), so no filter can widen what readers see, and every
search filter narrows the one table the search walks. Their forms render with
Django's Jinja2 form renderer, as the pages around them do.
"""

import django_filters
from django import forms
from django.forms.renderers import Jinja2
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles import sql
from articles.models import ArticleSearch, Author
from articles.search import Query, issue_range, search, year_range
from infra.chinese_script import to_traditional
from magazine.models import Issue, parse_issue_key
from reader import fragments
from reader.traditional import quotes

# One renderer for every form: Django builds a class's renderer anew for each
# form, and with it a template engine.
jinja2_forms = Jinja2()


class PlainSelect(forms.Select):
    """A select written out here rather than through the form templates: the issue
    list grows with the archive (twelve a year), and a template's option cost as
    much as a page's query."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value[0] if isinstance(value, list) else value)
        attributes = "".join(
            f' {key}="{escape(val)}"' if val is not True else f" {key}"
            for key, val in self.build_attrs(self.attrs, attrs).items()
            if val is not None and val is not False
        )
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) == chosen else ""}>'
            f"{escape(label)}</option>"
            for option, label in self.choices
        )
        return mark_safe(f'<select name="{escape(name)}"{attributes}>\n{options}\n</select>')


class ArchiveForm(forms.Form):
    default_renderer = jinja2_forms


class ArchiveFilter(django_filters.FilterSet):
    """Filters the archive; always fed the published issues, so it can only narrow them."""

    year = django_filters.ChoiceFilter(
        field_name="year", lookup_expr="exact", label=_("Year"), empty_label=_("All years")
    )

    class Meta:
        model = Issue
        form = ArchiveForm
        fields = ["year"]

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, queryset=queryset, **kwargs)
        years = queryset.order_by("-year").values_list("year", flat=True).distinct()
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]


def search_choices():
    """The years, issues (``YEAR-NUMBER``, newest first) and page names the search can
    narrow to: those of published issues."""
    issues = list(Issue.objects.published().latest_first().values_list("year", "number"))
    years = sorted({year for year, _ in issues}, reverse=True)
    return years, issues, sql.published_page_names()


class SearchForm(forms.Form):
    default_renderer = jinja2_forms


def in_simplified(data, page_names):
    """The search's ``data`` with its author and page name as the articles have them.

    A /zh-hant/ page shows the form in Traditional Chinese, its choices
    included (本期策劃 for 本期策划), and readers type names in either script:
    a page name is the one that shows as the value, an author the one of
    that name, else of its Simplified form. The words are ``Query``'s to read.
    """
    if data is None:
        return None
    section, author = data.get("section"), data.get("author")
    fixes = {}
    if section and section not in page_names:
        shown = {}
        for name in page_names:
            converted = to_traditional(name)
            shown[converted] = shown[quotes(converted)] = name  # as the page shows it
        fixes["section"] = shown.get(section, section)
    if author and (stored := Author.objects.published().stored_name(author)) != author:
        fixes["author"] = stored
    if not fixes:
        return data
    data = data.copy()
    for name, value in fixes.items():
        data[name] = value
    return data


class ArticleSearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_words",
        label=_("Words"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. 干部 or 数字 乡村")}
        ),
    )
    year = django_filters.ChoiceFilter(
        method="filter_year", label=_("Year"), empty_label=_("All years"), widget=PlainSelect
    )
    issue = django_filters.ChoiceFilter(
        method="filter_issue", label=_("Issue"), empty_label=_("All issues"), widget=PlainSelect
    )
    section = django_filters.ChoiceFilter(
        field_name="article__section__name",
        lookup_expr="exact",
        label=_("Page"),
        empty_label=_("All pages"),
        widget=PlainSelect,
    )
    author = django_filters.CharFilter(
        field_name="article__authors__name", lookup_expr="exact", label=_("Author"), max_length=100
    )
    sort = django_filters.ChoiceFilter(
        method="filter_nothing",
        label=_("Order"),
        choices=[("relevance", _("Best match first"))],
        empty_label=_("Newest first"),
        widget=PlainSelect,
    )

    class Meta:
        model = ArticleSearch
        form = SearchForm
        fields = ["q", "year", "issue", "section", "author", "sort"]

    dense = False  # set by the view from the estimate: see articles.search.is_dense

    def __init__(self, data=None, queryset=None, **kwargs):
        request = kwargs.get("request")
        years, issues, names = fragments.cached_data("search-filters", request, search_choices)
        super().__init__(in_simplified(data, names), queryset=queryset, **kwargs)
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]
        self.filters["issue"].extra["choices"] = [
            (f"{year}-{number}", Issue.name_of(year, number)) for year, number in issues
        ]
        self.filters["section"].extra["choices"] = [(n, n) for n in names]

    @property
    def query(self):
        return Query(self.form.cleaned_data.get("q", "")) if self.is_valid() else Query("")

    @property
    def asked(self):
        """Something to look for was asked (an empty form lists nothing)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        return any(str(data.get(name) or "").strip() for name in self.filters if name != "sort")

    @property
    def qs(self):
        queryset = super().qs
        if not self.query:  # a plain list, newest first; a search orders itself
            queryset = queryset.order_by("-sort_key")
        return queryset

    def estimate_queryset(self):
        """The rows a count may look at: the words' pairs anywhere, not as phrases."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name == "q":
                queryset = search(queryset, Query(value), phrases=False) if value else queryset
            else:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def filter_words(self, queryset, name, value):
        query = Query(value)
        if not query:
            return queryset
        return search(queryset, query, relevance=self.relevance, dense=self.dense)

    @property
    def relevance(self):
        return self.data.get("sort") == "relevance"

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        low, high = year_range(int(value))
        return queryset.filter(sort_key__gte=low, sort_key__lt=high)

    def filter_issue(self, queryset, name, value):
        if not value:
            return queryset
        low, high = issue_range(*parse_issue_key(value))  # one of the choices
        return queryset.filter(sort_key__gte=low, sort_key__lt=high)

    def filter_nothing(self, queryset, name, value):
        return queryset
