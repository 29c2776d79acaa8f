"""The site's URLs plus /bench/bare/: a constant answer through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from config import urls


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


# The site's patterns themselves, not include()d: Django allows the language
# prefix (infra.locale) only in the root URLconf.
urlpatterns = [path("bench/bare/", bare), *urls.urlpatterns]
