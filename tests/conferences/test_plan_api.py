"""CP plans gain their conferences (issue 5): /api/v1/cp-plans/{id}/conferences/ and a
compact list on each plan. Scoped like every API (a plan out of sight is a 404), and the
number of queries does not grow with the conferences."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from children.models import ChildProtectionPlan
from conferences.models import Conference, Invitation
from tests.conferences.factories import ICPC_DUE, held_with_plan
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def add_held_reviews(plan: ChildProtectionPlan, count: int) -> None:
    """Held review conferences on the plan, each with an invitation (the full list's
    nested rows)."""
    for number in range(count):
        day = plan.start_date + timedelta(days=90 * (number + 1))
        conference = Conference.objects.create(
            child=plan.child,
            cp_plan=plan,
            conference_type=Conference.Type.RCPC,
            status=Conference.Status.HELD,
            rule_id="CP-7",
            clock_start=day,
            original_due_date=day,
            held_on=day,
            decision=Conference.Decision.CONTINUE,
        )
        Invitation.objects.create(conference=conference, name="A parent", agency="family")


def count(user, url: str) -> int:
    client = api(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_a_plans_conferences_in_full_soonest_due_first(child, people):
    held_with_plan(child, people)
    plan = ChildProtectionPlan.objects.get(child=child)

    body = api(people["sarah"]).get(reverse("cp-plan-conferences", args=[plan.pk])).json()

    rows = body["results"]
    assert [(r["conference_type"], r["status"], r["original_due_date"]) for r in rows] == [
        ("icpc", "held", ICPC_DUE.isoformat()),
        ("rcpc", "requested", "2026-06-18"),
    ]
    filtered = api(people["sarah"]).get("/api/v1/conferences/", {"cp_plan": plan.pk}).json()
    assert rows == filtered["results"]
    assert body["count"] == 2


def test_the_plan_lists_its_conferences_compactly(child, people):
    icpc = held_with_plan(child, people)
    plan = ChildProtectionPlan.objects.get(child=child)
    rcpc = Conference.objects.get(conference_type=Conference.Type.RCPC)

    body = api(people["sarah"]).get(reverse("cp-plan-detail", args=[plan.pk])).json()

    assert body["conferences"] == [
        {
            "id": icpc.pk,
            "conference_type": "icpc",
            "status": "held",
            "date": "2026-03-18",
            "original_due_date": ICPC_DUE.isoformat(),
            "outcome": "plan",
            "url": f"http://testserver/api/v1/conferences/{icpc.pk}/",
        },
        {
            "id": rcpc.pk,
            "conference_type": "rcpc",
            "status": "requested",
            "date": None,
            "original_due_date": "2026-06-18",
            "outcome": "",
            "url": f"http://testserver/api/v1/conferences/{rcpc.pk}/",
        },
    ]
    assert body["initial_category_code"] == "NEG"


def test_a_plan_out_of_sight_is_a_404(child, people):
    held_with_plan(child, people)
    plan = ChildProtectionPlan.objects.get(child=child)
    for name in ("cp-plan-conferences", "cp-plan-detail"):
        url = reverse(name, args=[plan.pk])
        assert api(people["charlie"]).get(url).status_code == 404
        assert api(people["percy"]).get(url).status_code == 404
        assert api(people["terry"]).get(url).status_code == 200


def test_a_restricted_childs_plan_is_invisible_but_to_its_list(child, people):
    held_with_plan(child, people)
    plan = ChildProtectionPlan.objects.get(child=child)
    child.restricted = True
    child.save(update_fields=["restricted"])
    child.allowed_users.set([people["alice"]])
    url = reverse("cp-plan-conferences", args=[plan.pk])

    assert api(people["betty"]).get(url).status_code == 404
    assert api(people["sarah"]).get(url).status_code == 404
    assert api(people["betty"]).get(reverse("cp-plan-list")).json()["count"] == 0
    assert api(people["alice"]).get(url).json()["count"] == 2


def test_queries_do_not_grow_with_conferences_or_plans(child, org, people):
    held_with_plan(child, people)
    plan = ChildProtectionPlan.objects.get(child=child)
    urls = [
        reverse("cp-plan-conferences", args=[plan.pk]),
        reverse("cp-plan-detail", args=[plan.pk]),
        reverse("cp-plan-list"),
    ]
    add_held_reviews(plan, 1)
    few = [count(people["betty"], url) for url in urls]
    add_held_reviews(plan, 9)  # 1 held review, then 10
    held_with_plan(ChildFactory(team=org["team"]), people, day=date(2026, 3, 19))
    many = [count(people["betty"], url) for url in urls]
    assert Conference.objects.filter(cp_plan=plan).count() == 12
    assert ChildProtectionPlan.objects.count() == 2
    assert few == many
