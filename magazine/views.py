"""The reader's views of issues: home, archive, table of contents."""

from itertools import groupby

from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from magazine.filters import ArchiveFilter
from magazine.visibility import can_preview, previewable_issues, reader_issues

RECENT_ISSUES = 6


class ReaderMixin:
    """Public views see only what ``reader_issues`` allows.

    Detail views (``allow_preview``) also show staff an unpublished issue, as
    a preview: marked on the page, ``noindex`` and never cached.
    """

    allow_preview = False
    preview = False

    def issues(self):
        if self.allow_preview:
            return previewable_issues(self.request)
        return reader_issues(self.request)

    def readers_only(self):
        """Whether only published issues may be shown (``published_only`` of the
        hand-written reads): always, but for staff on a detail view."""
        return not (self.allow_preview and can_preview(self.request))

    def showing(self, issue):
        self.preview = not issue.is_published()
        return issue

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.preview:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


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
    allow_preview = True

    def get_object(self, queryset=None):
        return self.showing(
            get_object_or_404(self.issues(), year=self.kwargs["year"], number=self.kwargs["number"])
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contents"] = self.object.table_of_contents()
        return context
