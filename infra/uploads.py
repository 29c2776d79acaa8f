"""What a request may hold: the size limit on request bodies (applied before any of
the body is read), no NUL character, and serving uploaded files in development."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.static import serve


def serve_in_development(request, path):
    """MEDIA_ROOT's files with ``DJANGO_DEBUG=1`` (``make run``) or ``SERVE_MEDIA``, as
    Django's ``static()`` helper serves them; a 404 otherwise (the proxy's job then)."""
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404("Uploads are served by the web server in production.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


class RequestLimitsMiddleware:
    """What every request may hold, checked before any view reads it.

    * A body over ``MAX_REQUEST_BYTES`` is refused from its Content-Length: 413.
      Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves file parts out, so an
      upload would otherwise be streamed to disk in full before a form's
      validators could refuse it.
    * An address, query or form holding a NUL character is refused: 400.
      PostgreSQL can neither store nor compare text holding NUL: any view that
      put one into a query (a search's author, the API's page code, a login's
      user name) would fail with a 500. No reader or editor types one. File
      parts of an upload are not looked at: a binary file holds NULs.

    One middleware for both: each layer costs every request its call.
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
        where = self.nul_in(request)
        if where is not None:
            return self.nul_refusal(request, where)
        return self.get_response(request)

    @staticmethod
    def limit_for(path):
        """An issue's print PDF and its scans in bulk have a limit of their own
        (``ISSUE_PDF_MAX_MB``): only their upload addresses take more than the
        request limit."""
        if path.startswith(f"/{settings.ADMIN_URL}") and path.endswith(LARGE_UPLOAD_SUFFIXES):
            return max(settings.MAX_REQUEST_BYTES, settings.ISSUE_PDF_MAX_BYTES)
        return settings.MAX_REQUEST_BYTES

    @staticmethod
    def nul_refusal(request, where):
        message = _("Bad request: the %(where)s holds a NUL character.") % {"where": where}
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")

    @staticmethod
    def nul_in(request):
        if "\x00" in request.path_info:
            return _("address")
        query = request.META.get("QUERY_STRING", "")
        if query and ("%00" in query or "\x00" in query):
            return _("query")
        if request.method == "POST" and request.content_type in FORM_TYPES:
            fields = request.POST.lists()
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in fields):
                return _("form")
        return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The issue's print PDF and its page scans in bulk: an issue's worth of pages.
LARGE_UPLOAD_SUFFIXES = ("/print-pdf/", "/scans/")
