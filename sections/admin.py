from django.contrib import admin

from sections.models import Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "issue", "position"]
    list_filter = ["issue"]
    list_select_related = ["issue"]
    search_fields = ["code", "name"]
    ordering = ["-issue__year", "-issue__number", "position"]
    autocomplete_fields = ["issue"]
