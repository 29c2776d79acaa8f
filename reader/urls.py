"""The reader's pages (URL names as the templates and tests know them: ``home``,
``issues:detail``, ``articles:detail``, ``search:results``...), in Simplified
Chinese at these addresses and in Traditional under ``/zh-hant/`` (the root
URLconf puts them under ``infra.locale.language_patterns``). What is the
same in both scripts (the API, share cards, the sitemap) is in
``reader/service_urls.py``."""

from django.urls import include, path, register_converter

from reader import converters, views
from reader.feeds import LatestArticlesFeed

register_converter(converters.YearConverter, "year")
register_converter(converters.IssueNumberConverter, "issue_number")
register_converter(converters.IdConverter, "id")
register_converter(converters.PageCodeConverter, "page_code")
register_converter(converters.AuthorNameConverter, "author_name")

author_patterns = [
    path("", views.AuthorIndexView.as_view(), name="index"),
    path("<author_name:name>/", views.AuthorView.as_view(), name="detail"),
]
issue_patterns = [
    path("", views.IssueListView.as_view(), name="list"),
    path("<year:year>/", views.IssueYearView.as_view(), name="year"),
    path("<year:year>/<issue_number:number>/", views.IssueDetailView.as_view(), name="detail"),
    path("<year:year>/<issue_number:number>/pdf/", views.issue_pdf, name="pdf"),
    path(
        "<year:year>/<issue_number:number>/pages/<page_code:code>/",
        views.SectionDetailView.as_view(),
        name="page",
    ),
    path(
        "<year:year>/<issue_number:number>/pages/<page_code:code>/pdf/",
        views.page_pdf,
        name="page_pdf",
    ),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("issues/", include((issue_patterns, "issues"))),
    path(
        "articles/",
        include(([path("<id:pk>/", views.ArticleDetailView.as_view(), name="detail")], "articles")),
    ),
    path("search/", include(([path("", views.SearchView.as_view(), name="results")], "search"))),
    path("authors/", include((author_patterns, "authors"))),
    path("feeds/latest/", LatestArticlesFeed(), name="feed"),
]
