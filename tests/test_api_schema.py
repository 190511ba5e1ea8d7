"""Property-based test of the read API against its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid, sent to the WSGI app in-process:
no answer may be a 5xx, and every answer must match the status codes, content type and
schema the document declares. The last test checks enough cases ran.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import ArticleFactory, BylineFactory, CorrectionFactory, PhotoFactory

EXAMPLES_PER_OPERATION = 60
MINIMUM_CASES = 200
cases_sent = []


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Django's handler closes the connection after each request; the test client stops that, so must we."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def stories(db):
    story = ArticleFactory(lead_photo=PhotoFactory(), tags=["Ferries"])
    BylineFactory(article=story)
    CorrectionFactory(article=story)
    ArticleFactory(draft=True)
    ArticleFactory(withdrawn=True)


# Reading the document needs no database; the requests run inside each test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_openapi_document(case):
    cases_sent.append(case.operation.label)
    # A cursor is opaque: any string fits its schema, only ones the API gave out are accepted.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_enough_generated_cases_ran_across_every_operation():
    if not cases_sent:
        pytest.skip("run with the schemathesis test above (same file) to count its cases")
    assert len(cases_sent) >= MINIMUM_CASES, len(cases_sent)
    operations = {label.split()[1] for label in cases_sent}
    assert {"/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/stories/by-path"} <= operations
    assert {"/api/v1/sections", "/api/v1/contributors", "/api/v1/tags", "/api/v1/corrections"} <= operations
