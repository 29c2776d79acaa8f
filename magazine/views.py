"""The reader's views of issues: home, archive, table of contents."""

from itertools import groupby

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from magazine.filters import ArchiveFilter
from magazine.visibility import reader_issues

RECENT_ISSUES = 6


class ReaderMixin:
    """Public views see only what ``reader_issues`` allows."""

    def issues(self):
        return reader_issues(self.request)


class HomeView(ReaderMixin, TemplateView):
    template_name = "magazine/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recent = list(self.issues().latest_first()[: RECENT_ISSUES + 1])
        latest = recent[0] if recent else None
        context.update(
            issue=latest,
            contents=latest.table_of_contents() if latest else None,
            recent_issues=recent[1:],
        )
        return context


class IssueListView(ReaderMixin, FilterView):
    filterset_class = ArchiveFilter
    template_name = "magazine/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        return self.issues().latest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = [
            (year, list(issues))
            for year, issues in groupby(context["issues"], key=lambda i: i.year)
        ]
        return context


class IssueDetailView(ReaderMixin, DetailView):
    template_name = "magazine/issue_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.issues(), year=self.kwargs["year"], number=self.kwargs["number"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contents"] = self.object.table_of_contents()
        return context
