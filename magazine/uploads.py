"""Uploads: the size limit on request bodies (applied before any of the body is
read), and serving uploaded files in development."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.static import serve


def serve_in_development(request, path):
    """MEDIA_ROOT's files with ``DJANGO_DEBUG=1`` (``make run``) or ``SERVE_MEDIA``, as
    Django's ``static()`` helper serves them; a 404 otherwise (the proxy's job then)."""
    if not (settings.DEBUG or settings.SERVE_MEDIA):
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
        allowed = self.limit_for(request.path)
        if length > allowed:
            limit = allowed // (1024 * 1024)
            return HttpResponse(
                _("Too large: a request may hold at most %(limit)s MB of uploads.")
                % {"limit": limit},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def limit_for(path):
        """An issue's print PDF and its scans in bulk have a limit of their own
        (``ISSUE_PDF_MAX_MB``): only their upload addresses take more than the
        request limit."""
        if path.startswith(f"/{settings.ADMIN_URL}") and path.endswith(LARGE_UPLOAD_SUFFIXES):
            return max(settings.MAX_REQUEST_BYTES, settings.ISSUE_PDF_MAX_BYTES)
        return settings.MAX_REQUEST_BYTES


# The issue's print PDF and its page scans in bulk: an issue's worth of pages.
LARGE_UPLOAD_SUFFIXES = ("/print-pdf/", "/scans/")
