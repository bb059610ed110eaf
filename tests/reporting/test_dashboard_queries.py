"""Issue 11: the IRO service manager's dashboard and My caseload stay within 15 queries,
whatever the caseload (the count not growing with rows is ``test_dashboard_pages``)."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.reporting.dashboard_factories import TODAY, child_of, hold, in_care, on_plan

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 15


@pytest.fixture(autouse=True)
def today():
    noon = timezone.make_aware(datetime.combine(TODAY, time(12)))
    with time_machine.travel(noon, tick=False):
        yield TODAY


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [("mandy", "reporting:dashboard_service"), ("alice", "reporting:dashboard_iro")],
)
def test_dashboards_stay_within_the_query_budget(client, people, org, persona, url_name):
    for n in range(6):
        iro = "alice" if n % 2 else "bob"
        child = child_of(people, org, iro=iro)
        review = in_care(child, people, date(2026, 1, 5))
        if n % 3 == 0:
            hold(review, people[iro], date(2026, 5, 6))
        if n % 4 == 0:
            on_plan(child, people, date(2026, 2, 2))
    client.force_login(people[persona])
    url = reverse(url_name)
    client.get(url)
    cache.clear()  # the figures worked out, not kept (``core.kept``)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= QUERY_BUDGET
