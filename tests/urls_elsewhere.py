"""The reader site under /elsewhere/: for the test that addresses follow the URLconf."""

from django.urls import include, path

urlpatterns = [
    path("elsewhere/", include("reader.urls")),
    path("elsewhere/", include("reader.service_urls")),
]
