"""The whole site under /elsewhere/: for the test that addresses follow the URLconf."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("magazine.urls"))]
