"""The challenges API: raise, respond, escalate, request approval, approve, decline, refer
to Cafcass, accept and withdraw through the services; filters; 404 for invisible records;
400/403/409 with the service's message."""

import pytest
from rest_framework.test import APIClient

from challenges import workflow as wf
from challenges.models import Challenge
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/challenges/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def raise_via_api(user, child, **extra):
    payload = {
        "children": [child.pk],
        "reasons": ["drift-delay"],
        "what_is_wrong": "No plan",
        "impact_on_child": "Drift",
        "what_must_happen": "A plan",
        **extra,
    }
    return client_for(user).post(f"{BASE}raise/", payload, format="json")


def post(user, challenge_id: int, name: str, payload: dict):
    return client_for(user).post(f"{BASE}{challenge_id}/{name}/", payload, format="json")


def test_the_whole_journey_through_the_api(people, child):
    response = raise_via_api(people["alice"], child, stage=wf.STAGE_1, skipped_reason="Serious")
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    assert body["current"]["responder"] == people["terry"].pk
    assert body["current"]["response_rule"] == "DR-2"

    response = post(
        people["terry"],
        pk,
        "respond",
        {
            "response": "Booked",
            "actions": [{"text": "Hold it", "owner": people["sarah"].pk, "due_date": "2030-01-01"}],
            "version": body["version"],
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["recovery_actions"][0]["text"] == "Hold it"

    response = post(people["alice"], pk, "escalate", {"target_stage": wf.STAGE_3, "reason": "x"})
    assert response.status_code == 409
    assert "approval" in response.json()["detail"]

    response = post(
        people["alice"],
        pk,
        "request-approval",
        {"target_stage": wf.STAGE_3, "reason": "No progress", "skipped_reason": "Urgent"},
    )
    assert response.status_code == 201
    response = post(people["alice"], pk, "approve", {})
    assert response.status_code == 403
    assert (
        "own request" in response.json()["detail"]
        or "IRO service manager" in response.json()["detail"]
    )
    response = post(people["mandy"], pk, "approve", {"comment": "Yes"})
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["current"]["responder"]) == (
        wf.STAGE_3,
        people["helen"].pk,
    )
    post(people["helen"], pk, "respond", {"response": "Funding agreed"})
    response = post(
        people["alice"], pk, "accept", {"outcome": "Agreed", "what_changed": "Placement funded"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == wf.RESOLVED
    actions = [event["action"] for event in response.json()["events"]]
    assert actions == ["raise", "respond", "request_approval", "approve", "respond", "accept"]


def test_decline_returns_to_the_iro_with_the_comment(people, child):
    pk = raise_via_api(people["alice"], child, stage=wf.STAGE_2, skipped_reason="Urgent").json()[
        "id"
    ]
    post(
        people["alice"],
        pk,
        "request-approval",
        {"target_stage": wf.STAGE_4, "reason": "x", "skipped_reason": "y"},
    )
    response = post(people["mandy"], pk, "decline", {"comment": "Try stage 3 first"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == wf.AWAITING_IRO
    assert body["approvals"][0]["comment"] == "Try stage 3 first"


def test_refer_to_cafcass_and_withdraw(people, child):
    pk = raise_via_api(people["alice"], child).json()["id"]
    response = post(
        people["alice"],
        pk,
        "refer-to-cafcass",
        {"concurrent": True, "reason": "r", "what_was_sent": "s", "child_wishes": "w"},
    )
    assert response.status_code == 201
    assert response.json()["status"] == "awaiting_approval"
    response = post(people["alice"], pk, "withdraw", {"reason": "Resolved elsewhere"})
    assert response.json()["status"] == wf.WITHDRAWN
    response = post(people["alice"], pk, "withdraw", {"reason": "again"})
    assert response.status_code == 409


def test_invisible_challenges_are_404_and_absent_from_lists(people, child):
    pk = raise_via_api(people["alice"], child).json()["id"]
    charlie = client_for(people["charlie"])
    assert charlie.get(f"{BASE}{pk}/").status_code == 404
    assert charlie.get(BASE).json()["count"] == 0
    assert post(people["charlie"], pk, "respond", {"response": "x"}).status_code == 404


def test_raising_about_an_invisible_child_is_404(people, org):
    stranger = ChildFactory(team=org["other_team"], restricted=True)
    assert raise_via_api(people["alice"], stranger).status_code == 404


def test_missing_text_is_a_400(people, child):
    response = raise_via_api(people["alice"], child, what_is_wrong="")
    assert response.status_code == 400


def test_filters(people, child, org):
    alice = people["alice"]
    first = raise_via_api(alice, child).json()["id"]
    other = ChildFactory(team=org["other_team"])
    second = raise_via_api(
        alice, other, reasons=["health"], stage=wf.STAGE_1, skipped_reason="x"
    ).json()["id"]
    client = client_for(people["mandy"])

    def ids(**query):
        return [row["id"] for row in client.get(BASE, query).json()["results"]]

    assert ids(reason="health") == [second]
    assert ids(stage=wf.INFORMAL) == [first]
    assert ids(team=org["other_team"].pk) == [second]
    assert sorted(ids(iro=alice.pk)) == sorted([first, second])
    assert ids(child=child.pk) == [first]
    assert ids(overdue="true") == []
    assert Challenge.objects.count() == 2


def test_unknown_stage_or_scope_is_a_400_or_409_with_a_message(people, child):
    response = raise_via_api(people["alice"], child, scope="planet")
    assert response.status_code == 400
    assert response.json()["detail"] == "Choose who the challenge is about."
    pk = raise_via_api(people["alice"], child).json()["id"]
    response = post(people["alice"], pk, "escalate", {"target_stage": "stage_9", "reason": "x"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Choose the stage to escalate to."
