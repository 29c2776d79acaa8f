"""Uploads: the size limit on request bodies (applied before any of the body is
read), and serving uploaded files in development."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.static import serve


def serve_in_development(request, path):
    """MEDIA_ROOT's files with ``DJANGO_DEBUG=1`` (``make run``), as Django's
    ``static()`` helper serves them; a 404 otherwise (the proxy's job then)."""
    if not settings.DEBUG:
        raise Http404("Uploads are served by the web server in production.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


class RequestSizeLimitMiddleware:
    """Refuse a body over ``MAX_REQUEST_BYTES`` from its Content-Length: 413.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves file parts out, so an
    upload would otherwise be streamed to disk in full before a form's
    validators could refuse it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("Bad request: the Content-Length is not a number."), status=400)
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                _("Too large: a request may hold at most %(limit)s MB of uploads.")
                % {"limit": limit},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
