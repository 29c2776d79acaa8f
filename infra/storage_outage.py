"""A request that cannot reach the file store answers 503 with what happened.

With media on object storage (django-storages, S3), an upload made while
the store is down fails in boto3 after a few seconds (the timeouts and
retries in settings). The admin's saves run in a transaction, and the
uploads waiting for a job are kept before any row is written, so nothing is
left behind; the editor gets one clear page instead of a server error, and
a load balancer sees a passing 503, not a 500.
"""

import logging

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


def is_storage_outage(exception):
    """Whether ``exception`` (or what it was raised from) says the store is away."""
    try:
        from botocore.exceptions import ClientError, ConnectionError, HTTPClientError
    except ImportError:  # local files only
        return False
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if isinstance(exception, ConnectionError | HTTPClientError):
            return True
        if isinstance(exception, ClientError):
            status = exception.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500:
                return True
        exception = exception.__cause__ or exception.__context__
    return False


class StorageUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_storage_outage(exception):
            return None
        logger.warning("file store unavailable for %s: %s", request.path, exception)
        response = render(request, "storage_unavailable.html", status=503, using="django")
        response["Retry-After"] = "30"
        add_never_cache_headers(response)
        return response
