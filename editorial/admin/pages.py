from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from editorial.admin.common import HistoryAdmin, preview, thumbnail
from sections.models import Section


class ArticleOnPageInline(admin.TabularInline):
    """The page's articles in their order: change the positions to reorder them."""

    model = Article
    fields = ["position", "title", "byline"]
    readonly_fields = ["title", "byline"]
    ordering = ["position", "id"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("article on this page")
    verbose_name_plural = _("articles on this page (change the positions to reorder)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(HistoryAdmin):
    list_display = ["scan_thumbnail", "code", "name", "issue", "position"]
    list_display_links = ["scan_thumbnail", "code"]
    list_filter = ["issue"]
    list_select_related = ["issue"]
    search_fields = ["code", "name"]
    ordering = ["-issue__year", "-issue__number", "position"]
    autocomplete_fields = ["issue"]
    fields = ["issue", "position", "code", "name", "scan_preview", "scan", "pdf"]
    inlines = [ArticleOnPageInline]

    @admin.display(description=_("page scan"))
    def scan_thumbnail(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("scan as uploaded"))
    def scan_preview(self, obj):
        return preview(obj, alt=str(obj))

    def get_readonly_fields(self, request, obj=None):
        # A page stays in the issue it was made in: its articles belong to that
        # issue (the database refuses an article on another issue's page).
        return ["issue", "scan_preview"] if obj is not None else ["scan_preview"]

    def get_search_results(self, request, queryset, search_term):
        """The article form's page picker asks with ?issue=<id>: only that issue's pages."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/") and request.GET.get("field_name") == "section":
            issue = request.GET.get("issue", "")
            queryset = queryset.filter(issue_id=issue) if issue.isdigit() else queryset.none()
            queryset = queryset.order_by("position", "id")
        return queryset, may_have_duplicates
