"""schemathesis against the API's own OpenAPI schema, in process, as each role
(SECURITY.md "API fuzzing"): 0 server errors, 0 responses that break the schema.

The schema is generated in process by drf-spectacular; each operation is fuzzed with
Hypothesis-generated requests authenticated by token as each persona, over a small dataset
with a visible, an invisible and a restricted child.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.factories import ChildFactory

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# An allocated IRO (sees a restricted child too), a social worker of another team (sees
# little), business support (writes) and the performance role (no case records).
PERSONAS = ["alice", "charlie", "betty", "percy"]


@pytest.fixture
def keep_test_connection():
    """Calls through the WSGI app would close the test's database connection at the end of
    each request (Django's test client avoids this the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(child, org, people, keep_test_connection):
    ChildFactory(team=org["other_team"])
    hidden = ChildFactory(team=org["team"], restricted=True)
    hidden.allowed_users.add(people["alice"])
    return {name: Token.objects.create(user=user).key for name, user in people.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_errors_and_always_matches_its_schema(case, persona, tokens):
    case.call_and_validate(headers={"Authorization": f"Token {tokens[persona]}"}, checks=CHECKS)
