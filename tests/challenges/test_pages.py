"""The Issues Resolution pages: raise from the child page, respond, escalate with approval,
decline back to the IRO, accept; who sees what (charlie gets 404s)."""

from datetime import date

import pytest
from django.urls import reverse

from challenges import services
from challenges import workflow as wf
from challenges.models import Approval, Challenge, RecoveryAction, StageConfig
from iro_service.core.forms import date_input_data


def detail_url(challenge: Challenge) -> str:
    return reverse("challenges:detail", args=[challenge.pk])


def test_the_child_page_links_to_raise_a_challenge(client, people, child):
    client.force_login(people["alice"])
    page = client.get(reverse("children:detail", args=[child.pk]))
    assert f"{reverse('challenges:raise')}?child={child.pk}" in page.content.decode()


def test_a_social_worker_sees_the_childs_challenges_but_no_raise_link(
    client, people, child, raise_challenge
):
    challenge = raise_challenge()
    client.force_login(people["sarah"])
    body = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert challenge.reference in body
    assert "Raise a challenge" not in body


def test_an_iro_raises_a_challenge_from_the_child_page(client, people, child):
    client.force_login(people["alice"])
    response = client.post(
        reverse("challenges:raise"),
        {
            "child": child.pk,
            "scope": "child",
            "reasons": ["drift-delay", "permanence"],
            "what_is_wrong": "No permanence plan at the second review.",
            "impact_on_child": "Drift.",
            "what_must_happen": "A plan by the next review.",
            "stage": wf.INFORMAL,
        },
    )
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(challenge)
    assert sorted(challenge.reasons.values_list("code", flat=True)) == ["drift-delay", "permanence"]
    page = client.get(detail_url(challenge)).content.decode()
    assert "No permanence plan at the second review." in page
    assert "moj-timeline" in page


def test_raise_form_shows_the_error_summary(client, people, child):
    client.force_login(people["alice"])
    response = client.post(
        reverse("challenges:raise"), {"child": child.pk, "scope": "child", "stage": wf.STAGE_1}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Choose at least one reason" in body
    assert not Challenge.objects.exists()


def test_skipping_informal_without_a_reason_is_shown_as_an_error(client, people, child):
    client.force_login(people["alice"])
    response = client.post(
        reverse("challenges:raise"),
        {
            "child": child.pk,
            "scope": "child",
            "reasons": ["drift-delay"],
            "what_is_wrong": "a",
            "impact_on_child": "b",
            "what_must_happen": "c",
            "stage": wf.STAGE_1,
        },
    )
    assert "Say why you are not starting informally." in response.content.decode()


def test_the_raise_form_is_prefilled_from_its_source(client, people, child):
    client.force_login(people["alice"])
    body = client.get(
        reverse("challenges:raise"),
        {
            "child": child.pk,
            "source": "review-decision:42",
            "reason": "care-planning",
            "what_is_wrong": "Decision 3 is overdue",
        },
    ).content.decode()
    assert 'value="review-decision:42"' in body
    assert "Decision 3 is overdue" in body


def test_a_service_level_challenge_takes_other_children_by_id(client, people, child, org):
    from tests.factories import ChildFactory

    others = ChildFactory.create_batch(3, team=org["team"])
    client.force_login(people["alice"])
    client.post(
        reverse("challenges:raise"),
        {
            "child": child.pk,
            "scope": "service",
            "other_children": "\n".join(c.la_child_id for c in others),
            "reasons": ["resources"],
            "what_is_wrong": "a",
            "impact_on_child": "b",
            "what_must_happen": "c",
            "stage": wf.INFORMAL,
        },
    )
    challenge = Challenge.objects.get()
    assert challenge.scope == Challenge.Scope.SERVICE
    assert challenge.children.count() == 4


def test_charlie_gets_404s(client, people, child, raise_challenge):
    challenge = raise_challenge()
    client.force_login(people["charlie"])
    assert client.get(detail_url(challenge)).status_code == 404
    assert client.get(reverse("challenges:respond", args=[challenge.pk])).status_code == 404
    assert client.get(reverse("challenges:list")).content.decode().count(challenge.reference) == 0


def test_a_social_worker_cannot_open_the_respond_form(client, people, raise_challenge):
    challenge = raise_challenge()
    client.force_login(people["sarah"])
    assert client.get(reverse("challenges:respond", args=[challenge.pk])).status_code == 403


def test_the_team_manager_responds_with_a_recovery_plan(client, people, raise_challenge):
    challenge = raise_challenge()
    client.force_login(people["terry"])
    listed = client.get(reverse("challenges:to_answer")).content.decode()
    assert challenge.reference in listed
    response = client.post(
        reverse("challenges:respond", args=[challenge.pk]),
        {
            "version": challenge.version,
            "response": "Meeting booked.",
            "action_1_text": "Hold the meeting",
            "action_1_owner": people["sarah"].pk,
            **date_input_data("action_1_due", date(2030, 1, 10)),
        },
    )
    assert response.status_code == 302
    action = RecoveryAction.objects.get()
    assert (action.text, action.owner) == ("Hold the meeting", people["sarah"])


def test_an_action_without_a_due_date_is_refused(client, people, raise_challenge):
    challenge = raise_challenge()
    client.force_login(people["terry"])
    response = client.post(
        reverse("challenges:respond", args=[challenge.pk]),
        {"version": challenge.version, "response": "x", "action_1_text": "Do it"},
    )
    assert "Enter when action 1 is due" in response.content.decode()
    assert not RecoveryAction.objects.exists()


def test_escalating_to_stage_3_on_the_page_asks_for_approval(client, people, raise_challenge):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    client.force_login(people["alice"])
    client.post(
        reverse("challenges:escalate", args=[challenge.pk]),
        {"version": challenge.version, "target_stage": wf.STAGE_3, "reason": "No reply"},
    )
    approval = Approval.objects.get()
    client.force_login(people["mandy"])
    queue = client.get(reverse("challenges:approvals")).content.decode()
    assert reverse("challenges:decide", args=[approval.pk]) in queue
    client.post(
        reverse("challenges:decide", args=[approval.pk]),
        {"decision": "decline", "comment": "Wait for the review"},
    )
    client.force_login(people["alice"])
    page = client.get(detail_url(challenge)).content.decode()
    assert "Wait for the review" in page
    mine = client.get(reverse("challenges:mine")).content.decode()
    assert "Awaiting my decision" in mine


def test_the_approvals_queue_is_for_the_iro_service_manager(client, people):
    client.force_login(people["alice"])
    assert client.get(reverse("challenges:approvals")).status_code == 403


def test_a_stale_form_shows_the_conflict_in_the_error_summary(client, people, raise_challenge):
    challenge = raise_challenge()
    seen = challenge.version
    services.challenge_respond(challenge=challenge, response="Done", by=people["terry"])
    client.force_login(people["alice"])
    response = client.post(
        reverse("challenges:escalate", args=[challenge.pk]),
        {"version": seen, "target_stage": wf.STAGE_1, "reason": "No reply"},
    )
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Someone else has just changed this challenge" in body


def test_accepting_on_the_page_resolves(client, people, raise_challenge):
    challenge = raise_challenge()
    client.force_login(people["alice"])
    client.post(
        reverse("challenges:accept", args=[challenge.pk]),
        {"version": challenge.version, "outcome": "Agreed", "what_changed": "Plan in place"},
    )
    challenge.refresh_from_db()
    assert challenge.status == wf.RESOLVED


@pytest.mark.parametrize("name", ["mine", "to_answer", "list", "themes"])
def test_list_pages_render(client, people, raise_challenge, name):
    raise_challenge()
    client.force_login(people["mandy"])
    assert client.get(reverse(f"challenges:{name}")).status_code == 200


def test_all_challenges_filters_by_overdue(client, people, raise_challenge):
    import time_machine

    with time_machine.travel("2026-01-05 10:00 +0000", tick=False):
        old = raise_challenge()
    fresh = raise_challenge()
    client.force_login(people["mandy"])
    body = client.get(reverse("challenges:list"), {"overdue": "on"}).content.decode()
    assert old.reference in body
    assert fresh.reference not in body


def test_the_owner_marks_a_recovery_action_done(client, people, raise_challenge):
    challenge = raise_challenge()
    services.challenge_respond(
        challenge=challenge,
        response="ok",
        actions=[services.ActionInput("Do it", people["sarah"], date(2030, 1, 1))],
        by=people["terry"],
    )
    action = RecoveryAction.objects.get()
    url = reverse("challenges:action_status", args=[action.pk])
    client.force_login(people["bob"])
    assert client.post(url, {"status": "done"}).status_code == 403
    client.force_login(people["charlie"])
    assert client.post(url, {"status": "done"}).status_code == 404
    client.force_login(people["sarah"])
    assert client.post(url, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == RecoveryAction.Status.DONE


def test_recording_cafcass_response_on_the_page_closes_a_challenge_with_cafcass(
    client, people, raise_challenge
):
    StageConfig.objects.get(stage=wf.CAFCASS)  # seeded
    challenge = raise_challenge()
    referral = services.challenge_refer_to_cafcass(
        challenge=challenge,
        concurrent=False,
        reason="r",
        what_was_sent="s",
        child_wishes="w",
        by=people["alice"],
    )
    services.approval_approve(approval=Approval.objects.get(), by=people["mandy"])
    client.force_login(people["alice"])
    page = client.get(detail_url(challenge)).content.decode()
    url = reverse("challenges:cafcass_response", args=[referral.pk])
    assert url in page
    response = client.post(url, {"cafcass_response": "Advice given", "outcome": "Plan changed"})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == wf.CLOSED
    client.force_login(people["charlie"])
    assert client.get(url).status_code == 404


def test_an_overdue_response_offers_the_iro_escalation(client, people, raise_challenge):
    import time_machine

    with time_machine.travel("2026-01-05 10:00 +0000", tick=False):
        challenge = raise_challenge()
    client.force_login(people["alice"])
    body = client.get(detail_url(challenge)).content.decode()
    assert "The response is overdue" in body
    assert reverse("challenges:escalate", args=[challenge.pk]) in body
    client.force_login(people["terry"])
    assert "The response is overdue" not in client.get(detail_url(challenge)).content.decode()


def test_the_iro_amends_a_resolved_challenge_on_the_page(client, people, raise_challenge):
    challenge = raise_challenge()
    services.challenge_accept(
        challenge=challenge, outcome="Agreed", what_changed="Plan", by=people["alice"]
    )
    client.force_login(people["alice"])
    url = reverse("challenges:amend", args=[challenge.pk])
    assert url in client.get(detail_url(challenge)).content.decode()
    response = client.post(
        url, {"outcome": "Agreed at panel", "what_changed": "Plan", "reason": ""}
    )
    assert "Say why you are amending it" in response.content.decode()
    client.post(url, {"outcome": "Agreed at panel", "what_changed": "Plan", "reason": "Typo"})
    challenge.refresh_from_db()
    assert challenge.outcome == "Agreed at panel"
    client.force_login(people["bob"])
    assert client.get(url).status_code == 403
