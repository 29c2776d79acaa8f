from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from magazine.models import Issue
from sections.models import Section


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "code", "name", "scan", "pdf"]
    extra = 0


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cumulative_number", "cover_date", "state_label", "article_count"]
    list_filter = ["year"]
    search_fields = ["year", "number", "cumulative_number"]
    ordering = ["-year", "-number"]
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["year", "number", "cumulative_number", "cover_date"]}),
        (_("Cover"), {"fields": ["cover", "cover_alt"]}),
        (_("Publication"), {"fields": ["published_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.state().label

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total
