"""The conferences API: scoped lists with filters, and the action endpoints."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from conferences.models import Conference
from tests.conferences.factories import (
    QUORATE,
    attend,
    booked,
    enquiry,
    held_with_plan,
    requested_icpc,
    room,
)
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_request_schedule_record_and_circulate_through_the_api(child, people):
    s47 = enquiry(child, people["sarah"])
    response = api(people["sarah"]).post(
        "/api/v1/conferences/request/",
        {"kind": "icpc", "child": child.pk, "enquiry": s47.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["original_due_date"] == "2026-03-23"

    meeting_room = room()
    response = api(people["betty"]).post(
        f"/api/v1/conferences/{pk}/schedule/",
        {
            "chair": people["mandy"].pk,
            "start": "2026-03-18T10:00:00Z",
            "end": "2026-03-18T12:00:00Z",
            "room": meeting_room.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "scheduled"

    conference = Conference.objects.get(pk=pk)
    attendance = attend(conference, people, QUORATE)
    response = api(people["mandy"]).post(
        f"/api/v1/conferences/{pk}/record-outcome/",
        {
            "attendance": {str(key): value for key, value in attendance.items()},
            "child_participation": "too_young",
            "decision": "plan",
            "categories": ["NEG", "PHY"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["census_category"], response.json()["quorate"]) == ("MUL", True)

    response = api(people["betty"]).post(
        f"/api/v1/conferences/{pk}/circulate/", {"outcome_sent_on": "2026-03-19"}, format="json"
    )
    assert response.json()["outcome_sent_on"] == "2026-03-19"


def test_double_booking_through_the_api_is_a_400_with_the_message(child, people, org):
    booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    other = requested_icpc(ChildFactory(team=org["team"]), people)
    response = api(people["betty"]).post(
        f"/api/v1/conferences/{other.pk}/schedule/",
        {
            "chair": people["mandy"].pk,
            "start": "2026-03-18T10:30:00Z",
            "end": "2026-03-18T11:00:00Z",
            "online_link": "https://meet.example.org/y",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "already booked" in response.json()["detail"]


def test_recording_someone_elses_conference_is_403(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    response = api(people["bob"]).post(
        f"/api/v1/conferences/{conference.pk}/record-outcome/",
        {"child_participation": "too_young", "decision": "no_plan"},
        format="json",
    )
    assert response.status_code == 403


def test_list_is_scoped_and_filtered(child, people, org):
    held_with_plan(child, people)
    other_team_child = ChildFactory(team=org["other_team"])
    from conferences import services

    services.conference_request_icpc(
        enquiry=enquiry(other_team_child, people["betty"]), by=people["betty"]
    )
    sarah = api(people["sarah"]).get("/api/v1/conferences/").json()
    assert {row["child"] for row in sarah["results"]} == {child.pk}
    charlie = api(people["charlie"]).get(f"/api/v1/conferences/?child={child.pk}").json()
    assert charlie["results"] == []
    betty = api(people["betty"])
    assert [
        r["conference_type"] for r in betty.get("/api/v1/conferences/?type=rcpc").json()["results"]
    ] == ["rcpc"]
    by_chair = betty.get(f"/api/v1/conferences/?chair={people['mandy'].pk}").json()["results"]
    assert [r["status"] for r in by_chair] == ["held"]
    in_range = betty.get("/api/v1/conferences/?date_from=2026-03-18&date_to=2026-03-18").json()
    assert len(in_range["results"]) == 1
    assert betty.get("/api/v1/conferences/?status=requested").json()["count"] == 2


def test_core_groups_api_records_and_lists(child, people):
    conference = held_with_plan(child, people)
    response = api(people["sarah"]).post(
        "/api/v1/core-groups/",
        {"cp_plan": conference.cp_plan_id, "held_on": "2026-03-30", "attendance": "SW"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["rule_id"], response.json()["due_date"]) == ("CP-4", "2026-04-01")
    assert api(people["charlie"]).get("/api/v1/core-groups/").json()["count"] == 0
