"""Schemathesis against the API's own OpenAPI schema: every endpoint, with bounded
generated inputs, never answers 500 and always answers what its schema says."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from reader.api import api
from tests.test_api import make_issue

# The schema as the API builds it (reading it over HTTP would need the database
# before any test has it); the cases are sent to the WSGI application.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture
def magazine(db):
    make_issue(2015, 3)
    make_issue(2015, 4, published=False)
    # As Django's test client does: a request's start and end must not close the
    # connection that holds the test's transaction.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_endpoint_keeps_to_its_schema(case, magazine):
    response = case.call()
    assert response.status_code < 500, response.text
    # Whether a schema-valid request is accepted is not checked: a filter may be
    # well formed and still refused (an issue of the year 1066), with a 400.
    case.validate_response(response, checks=CHECKS)
