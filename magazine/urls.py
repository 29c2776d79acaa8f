from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import TemplateView

from articles.feeds import LatestArticlesFeed
from magazine import converters, uploads
from magazine.health import healthz
from magazine.sitemaps import sitemap
from magazine.views import HomeView

register_converter(converters.YearConverter, "year")
register_converter(converters.IssueNumberConverter, "issue_number")
register_converter(converters.IdConverter, "id")
register_converter(converters.PageCodeConverter, "page_code")
register_converter(converters.AuthorNameConverter, "author_name")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("issues/", include("magazine.issue_urls")),
    path("articles/", include("articles.urls")),
    path("search/", include("articles.search_urls")),
    path("authors/", include("articles.author_urls")),
    path("feeds/latest/", LatestArticlesFeed(), name="feed"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    # Uploads in development (`make run`); in production the proxy or object
    # storage serves MEDIA_ROOT, and this answers 404.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", uploads.serve_in_development),
]
