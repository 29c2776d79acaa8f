"""The reader site's addresses that are the same in both scripts: the JSON API,
share cards, the sitemap (which lists both) and robots.txt."""

from django.urls import include, path, re_path
from django.views.generic import TemplateView

from reader import views
from reader.api import api, not_found_anywhere
from reader.sitemaps import sitemap

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found_anywhere),  # any path at all, newlines included
    path(
        "share/",
        include(
            (
                [
                    path(f"{kind}/<int:pk>.png", views.share_card, {"kind": kind}, name=kind)
                    for kind in ("issue", "page", "article")
                ]
                + [
                    path(
                        f"{kind}/<int:pk>.zh-hant.png",
                        views.share_card,
                        {"kind": kind, "traditional": True},
                        name=f"{kind}_hant",
                    )
                    for kind in ("issue", "page", "article")
                ],
                "share",
            )
        ),
    ),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
