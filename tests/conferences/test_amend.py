"""Issue 5, "the same amend rule as reviews": a held conference record changes only by an
amendment with a reason, which keeps the original; a save based on an older version of the
record is refused with a clear message and the person's text is kept (T8)."""

import pytest
from django.urls import reverse

from children.models import ChildEvent
from conferences import services
from conferences.models import Conference, ConferenceAmendment
from iro_service.core.errors import NotPermitted, RuleViolation
from tests.conferences.factories import (
    ICPC_DUE,
    QUORATE,
    attend,
    booked,
    held_with_plan,
    requested_icpc,
)

pytestmark = pytest.mark.django_db


def test_an_amendment_keeps_the_original_and_the_reason(child, people):
    conference = held_with_plan(child, people)
    before = conference.version
    amendment = services.conference_amend(
        conference=conference,
        values={"minutes": "Corrected minutes", "outline_plan": "Outline plan"},
        reason="Minutes were missing the health visitor's report",
        version=before,
        by=people["mandy"],
    )
    conference.refresh_from_db()
    assert conference.minutes == "Corrected minutes"
    assert conference.version == before + 1
    assert amendment.original["minutes"] == ""
    assert amendment.reason.startswith("Minutes were missing")
    assert ChildEvent.objects.filter(child=child, summary__contains="record amended").exists()


def test_an_amendment_needs_a_reason_and_a_change(child, people):
    conference = held_with_plan(child, people)
    with pytest.raises(RuleViolation, match="Say why"):
        services.conference_amend(
            conference=conference,
            values={"minutes": "New"},
            reason=" ",
            version=None,
            by=people["mandy"],
        )
    with pytest.raises(RuleViolation, match="Change something"):
        services.conference_amend(
            conference=conference,
            values={"minutes": conference.minutes},
            reason="No change",
            version=None,
            by=people["mandy"],
        )
    assert not ConferenceAmendment.objects.exists()


def test_only_a_held_record_is_amended_and_only_by_its_chair_or_the_manager(child, people):
    conference = booked(requested_icpc(child, people), people, day=ICPC_DUE, chair="alice")
    with pytest.raises(RuleViolation, match="held"):
        services.conference_amend(
            conference=conference,
            values={"minutes": "x"},
            reason="r",
            version=None,
            by=people["alice"],
        )
    held = services.conference_record_outcome(
        conference=conference,
        by=people["alice"],
        attendance=attend(conference, people, QUORATE),
        child_participation="too_young",
        decision="no_plan",
    )
    with pytest.raises(NotPermitted):
        services.conference_amend(
            conference=held, values={"minutes": "x"}, reason="r", version=None, by=people["bob"]
        )
    services.conference_amend(
        conference=held, values={"minutes": "x"}, reason="r", version=None, by=people["alice"]
    )


def test_a_held_record_cannot_be_changed_by_a_draft_save(child, people):
    conference = held_with_plan(child, people)
    with pytest.raises(RuleViolation, match="closed"):
        services.conference_record_draft(conference=conference, by=people["mandy"], minutes="x")


def test_two_amendments_from_the_same_version_one_is_refused(child, people):
    conference = held_with_plan(child, people)
    opened = conference.version
    services.conference_amend(
        conference=conference,
        values={"minutes": "First"},
        reason="Correction",
        version=opened,
        by=people["mandy"],
    )
    with pytest.raises(services.EditConflict, match="Someone else has changed"):
        services.conference_amend(
            conference=conference,
            values={"minutes": "Second"},
            reason="Another correction",
            version=opened,
            by=people["mandy"],
        )
    conference.refresh_from_db()
    assert conference.minutes == "First"


def test_recording_from_a_stale_form_is_refused(child, people):
    conference = booked(requested_icpc(child, people), people, day=ICPC_DUE)
    with pytest.raises(services.EditConflict):
        services.conference_record_outcome(
            conference=conference,
            by=people["mandy"],
            version=conference.version + 1,  # not the version this form was opened at
            attendance=attend(conference, people, QUORATE),
            child_participation="too_young",
            decision="no_plan",
        )
    assert Conference.objects.get(pk=conference.pk).status == "scheduled"


def test_the_amend_page_shows_a_conflict_and_keeps_the_text(client, child, people):
    conference = held_with_plan(child, people)
    url = reverse("conferences:amend", args=[conference.pk])
    client.force_login(people["mandy"])
    assert client.get(url).status_code == 200
    form = {
        "child_participation": "too_young",
        "minutes": "My careful words",
        "reason": "Typo",
        "version": conference.version,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "minutes": "Words written meanwhile"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else has changed this conference record" in page
    assert "Words written meanwhile" in page
    assert Conference.objects.get(pk=conference.pk).minutes == "My careful words"
    detail = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "This record has been amended" in detail and "Typo" in detail


def test_people_who_cannot_amend_get_403(client, child, people):
    conference = held_with_plan(child, people)
    client.force_login(people["betty"])
    assert client.get(reverse("conferences:amend", args=[conference.pk])).status_code == 403
    client.force_login(people["charlie"])
    assert client.get(reverse("conferences:amend", args=[conference.pk])).status_code == 404


def test_api_amend_and_a_stale_version_is_409(client, child, people):
    conference = held_with_plan(child, people)
    client.force_login(people["mandy"])
    url = f"/api/v1/conferences/{conference.pk}/amend/"
    body = {"minutes": "Amended by API", "reason": "Typo", "version": conference.version}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == conference.version + 1
    stale = client.post(url, {**body, "minutes": "Again"}, content_type="application/json")
    assert stale.status_code == 409
    assert "Someone else has changed" in stale.content.decode()


def test_api_lists_a_cp_plans_conferences(client, child, people):
    conference = held_with_plan(child, people)
    client.force_login(people["mandy"])
    response = client.get(f"/api/v1/conferences/?cp_plan={conference.cp_plan_id}")
    assert response.status_code == 200
    rows = response.json()["results"] if "results" in response.json() else response.json()
    # The ICPC that made the plan and the RCPC requested for it.
    assert {row["conference_type"] for row in rows} == {"icpc", "rcpc"}
