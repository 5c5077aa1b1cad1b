"""The API against its own OpenAPI schema, by schemathesis: every operation, with
generated parameters (valid and invalid), must answer without a server error and as the
schema says (status codes, content types, bodies, headers)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from danvan.wsgi import application
from tests.api.conftest import build_world

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request (Django's
    test client stops it from doing so); here too, or the test's transaction is lost."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db, token_for, keep_connection):
    """An organisation with a bit of everything, another one beside it, and a token of
    the first with a rate that generated requests will not reach."""
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory()
    build_world(organization, count=2)
    build_world(OrganizationFactory(), count=1)
    _token, plain = token_for(organization, rate=100_000)
    return plain


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, api_token):
    # Cases that test the missing token on purpose go without it.
    negated = case.operation.schema.is_security_param_negated(case)
    headers = {} if negated else {"Authorization": f"Bearer {api_token}"}
    response = case.call_and_validate(headers=headers)
    assert response.status_code < 500
