from django.contrib import admin

from articles.models import Article, Author


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "section", "position", "byline"]
    list_filter = ["issue"]
    list_select_related = ["issue", "section"]
    search_fields = ["title", "kicker", "byline"]
    autocomplete_fields = ["issue", "section"]
    fields = ["issue", "section", "position", "kicker", "title", "subtitle", "byline", "body"]

    def save_model(self, request, obj, form, change):
        obj.save_and_index()


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
