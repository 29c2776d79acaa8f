"""The reader site's addresses (URL names as the templates and tests know them:
``home``, ``issues:detail``, ``articles:detail``, ``search:results``...)."""

from django.urls import include, path, re_path, register_converter
from django.views.generic import TemplateView

from reader import converters, views
from reader.api import api, not_found_anywhere
from reader.feeds import LatestArticlesFeed
from reader.sitemaps import sitemap

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
    path(
        "<year:year>/<issue_number:number>/pages/<page_code:code>/",
        views.SectionDetailView.as_view(),
        name="page",
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
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found_anywhere),  # any path at all, newlines included
    path(
        "share/",
        include(
            (
                [
                    path(f"{kind}/<int:pk>.png", views.share_card, {"kind": kind}, name=kind)
                    for kind in ("issue", "page", "article")
                ],
                "share",
            )
        ),
    ),
    path("feeds/latest/", LatestArticlesFeed(), name="feed"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
