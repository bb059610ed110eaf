"""The reviews API: scoping, filters, action endpoints through the services, decisions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ChildFactory
from tests.reviews.conftest import put_in_care

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_reviews_list_is_scoped_and_filtered(in_care, org, people):
    other = put_in_care(
        ChildFactory(team=org["other_team"], iro=people["bob"]),
        people["betty"],
        in_care.clock_start,
    )
    alice = client_for(people["alice"])
    assert alice.get(reverse("review-list")).json()["count"] == 2
    body = alice.get(reverse("review-list"), {"iro": people["alice"].pk}).json()
    assert [row["id"] for row in body["results"]] == [in_care.pk]
    assert alice.get(reverse("review-list"), {"child": other.child_id}).json()["count"] == 1
    assert alice.get(reverse("review-list"), {"status": "held"}).json()["count"] == 0
    due = in_care.due_date.isoformat()
    assert alice.get(reverse("review-list"), {"due_before": due}).json()["count"] == 2
    later = (in_care.due_date + timedelta(days=1)).isoformat()
    assert alice.get(reverse("review-list"), {"due_after": later}).json()["count"] == 0
    sarah = client_for(people["sarah"])
    assert sarah.get(reverse("review-list")).json()["count"] == 1
    assert sarah.get(reverse("review-detail", args=[other.pk])).status_code == 404


def test_the_api_journey_schedule_record_decisions_circulate_complete(in_care, people):
    today = timezone.localdate().isoformat()
    betty, alice = client_for(people["betty"]), client_for(people["alice"])
    url = lambda name: reverse(f"review-{name}", args=[in_care.pk])  # noqa: E731
    response = betty.post(url("schedule"), {"scheduled_date": today, "venue": "Hall"})
    assert response.status_code == 400
    assert "reason it will be late" in response.json()["detail"]
    response = betty.post(
        url("schedule"),
        {"scheduled_date": today, "venue": "Hall", "late_reason": "child_unavailable"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "scheduled"
    record = {
        "version": 1,
        "held_date": today,
        "participation_code": "PN1",
        "schedule7": {"health": {"considered": True, "notes": "Done"}},
    }
    assert betty.post(url("record"), record, format="json").status_code == 403
    response = alice.post(url("record"), record, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["in_timescale"] is False
    assert alice.post(url("record"), record, format="json").status_code == 409
    decision = {
        "text": "Review contact",
        "owner": people["sarah"].pk,
        "owner_role": "Social worker",
        "due_date": today,
    }
    response = alice.post(url("decisions"), decision, format="json")
    assert response.status_code == 201
    decision_id = response.json()["id"]
    assert len(alice.get(url("decisions")).json()) == 1
    patch_url = url("decisions") + f"{decision_id}/"
    assert client_for(people["terry"]).patch(patch_url, {"status": "done"}).status_code == 403
    assert (
        client_for(people["sarah"]).patch(patch_url, {"status": "done"}).json()["status"] == "done"
    )
    assert betty.post(url("circulate"), {"on": today}).json()["decisions_circulated_on"] == today
    assert betty.post(url("complete"), {"on": today}).status_code == 403
    assert alice.post(url("complete"), {"on": today}).json()["record_completed_on"] == today


def test_adjourn_and_cancel_endpoints(in_care, people):
    alice = client_for(people["alice"])
    today = timezone.localdate().isoformat()
    response = alice.post(reverse("review-adjourn", args=[in_care.pk]), {"reason": "Ill"})
    assert response.status_code == 409
    response = alice.post(reverse("review-cancel", args=[in_care.pk]), {"reason": "Moved"})
    assert response.json()["status"] == "cancelled"
    body = alice.get(reverse("review-list"), {"status": "due"}).json()
    assert body["count"] == 1 and body["results"][0]["original_due_date"] == "2025-02-03"
    assert today
