"""The reader's view of one page (版面)."""

from django.http import Http404
from django.views.generic import DetailView

from magazine.listings import article_rows, page_links
from magazine.views import ReaderMixin
from sections.models import Section


class SectionDetailView(ReaderMixin, DetailView):
    template_name = "sections/section_detail.html"
    context_object_name = "section"
    allow_preview = True

    def get_object(self, queryset=None):
        section = Section.objects.for_reading(
            self.kwargs["year"],
            self.kwargs["number"],
            self.kwargs["code"],
            published_only=self.readers_only(),
        )
        if section is None:
            raise Http404("No such page.")
        self.showing(section.issue)
        return section

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        section = self.object
        pages = page_links(section.issue)
        index = next(i for i, page in enumerate(pages) if page.pk == section.pk)
        context.update(
            issue=section.issue,
            sections=pages,
            previous_section=pages[index - 1] if index > 0 else None,
            next_section=pages[index + 1] if index + 1 < len(pages) else None,
            articles=article_rows(section=section),
        )
        return context
