import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from magazine.form_html import python_widgets
from magazine.models import Issue


class ArchiveForm(forms.Form):
    default_renderer = python_widgets


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
