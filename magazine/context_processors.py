from django.conf import settings

from magazine import addresses


def site(request):
    # The path without its query string: ?year= or paging never makes a new page.
    return {
        "site_name": settings.MAGAZINE_NAME,
        "urls": addresses.site(),
        "canonical_url": request.build_absolute_uri(request.path),
    }
