"""The reader's view of one page (版面)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from articles.models import Article
from magazine.views import ReaderMixin


class SectionDetailView(ReaderMixin, DetailView):
    template_name = "sections/section_detail.html"
    context_object_name = "section"
    allow_preview = True

    def get_object(self, queryset=None):
        issue = self.showing(
            get_object_or_404(self.issues(), year=self.kwargs["year"], number=self.kwargs["number"])
        )
        self.sections = list(issue.sections.all())
        for index, section in enumerate(self.sections):
            section.issue = issue  # already loaded: no query for section.issue
            if section.code == self.kwargs["code"]:
                self.index = index
                return section
        raise Http404("No such page in this issue.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        index, sections = self.index, self.sections
        context.update(
            issue=self.object.issue,
            sections=sections,
            previous_section=sections[index - 1] if index > 0 else None,
            next_section=sections[index + 1] if index + 1 < len(sections) else None,
            articles=Article.objects.for_contents().filter(section=self.object),
        )
        return context
