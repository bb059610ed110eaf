"""The Issues Resolution reminder rules (registered with the reminders app). Each rule: seed,
scan, assert; scan again and nothing changes; the right people; no child's name or the
challenge's text in a reminder, an email or a task's arguments."""

from datetime import date, timedelta

import pytest

from challenges import services, workflow
from challenges.decisions import challenge_request_approval
from challenges.reminders import manager_of
from challenges.steps import ActionInput
from people.models import Team
from reminders.models import Reminder
from tests.reminders.helpers import recipients_of, scan_checked
from timescales.services import working_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets(child):
    """What must never leave the service: the child's names and the challenge's text."""
    return [child.first_name, child.last_name, "permanence plan is six months late"]


def _scan_twice(code: str, today: date, secrets: list[str]) -> int:
    first = scan_checked(code, today, secrets=secrets)
    rows = Reminder.objects.count()
    assert scan_checked(code, today, secrets=secrets) == 0
    assert Reminder.objects.count() == rows
    return first


def test_the_response_coming_due_reminds_the_responder_only(raise_challenge, people, secrets):
    challenge = raise_challenge()
    due = challenge.current.response_due
    two_before = working_calendar().subtract_working_days(due, 2)
    assert _scan_twice("DR-DUE", two_before, secrets) == 1
    assert _scan_twice("DR-DUE", due, secrets) == 1
    assert recipients_of("DR-DUE") == {"terry": {"-2wd", "0"}}
    assert Reminder.objects.filter(rule="DR-DUE").first().reference == challenge.reference


def test_an_overdue_response_prompts_the_responder_and_their_manager_straight_away(
    raise_challenge, people, secrets
):
    challenge = raise_challenge()
    after = working_calendar().add_working_days(challenge.current.response_due, 1)
    assert _scan_twice("DR-OVERDUE", after, secrets) == 2
    # terry manages the child's team himself: his manager is the head of service above.
    assert recipients_of("DR-OVERDUE") == {"terry": {"+1wd"}, "helen": {"+1wd"}}
    assert set(Reminder.objects.filter(rule="DR-OVERDUE").values_list("immediate", flat=True)) == {
        True
    }


def test_an_overdue_response_offers_the_iro_escalation(raise_challenge, people, secrets):
    challenge = raise_challenge()
    due = challenge.current.response_due
    assert _scan_twice("DR-ESCALATE", due, secrets) == 0  # due today is not overdue
    assert _scan_twice("DR-ESCALATE", due + timedelta(days=7), secrets) == 1
    [reminder] = Reminder.objects.filter(rule="DR-ESCALATE")
    assert reminder.recipient == people["alice"]
    assert "escalate" in reminder.message
    assert reminder.link == f"/challenges/{challenge.pk}/"


def test_a_response_given_stops_the_stage_reminders(raise_challenge, people, secrets):
    challenge = raise_challenge()
    services.challenge_respond(challenge=challenge, response="Plan by Friday", by=people["terry"])
    later = challenge.current.response_due + timedelta(days=21)
    for code in ("DR-DUE", "DR-OVERDUE", "DR-ESCALATE"):
        assert _scan_twice(code, later, secrets) == 0


def test_each_stage_has_its_own_response_reminders(raise_challenge, people, secrets):
    challenge = raise_challenge()
    first_due = challenge.current.response_due
    services.challenge_escalate(
        challenge=challenge, target_stage=workflow.STAGE_1, reason="No reply", by=people["alice"]
    )
    challenge.refresh_from_db()
    second_due = challenge.current.response_due
    assert _scan_twice("DR-DUE", second_due, secrets) == 1
    assert set(Reminder.objects.filter(rule="DR-DUE").values_list("due_date", flat=True)) == {
        second_due
    }
    assert first_due != second_due


def test_an_approval_waiting_prompts_iro_managers_but_never_the_requester(
    raise_challenge, people, secrets
):
    challenge = raise_challenge()
    approval = challenge_request_approval(
        challenge=challenge,
        target_stage=workflow.STAGE_3,
        reason="No progress in two stages",
        skipped_reason="Urgent",
        by=people["alice"],
    )
    asked = approval.requested_at.date()
    assert _scan_twice("DR-APPROVAL", asked, secrets) == 1
    assert recipients_of("DR-APPROVAL") == {"mandy": {"0"}}
    assert Reminder.objects.get(rule="DR-APPROVAL").link == f"/challenges/approvals/{approval.pk}/"
    in_two = working_calendar().add_working_days(asked, 2)
    assert _scan_twice("DR-APPROVAL", in_two, secrets) == 1
    assert recipients_of("DR-APPROVAL") == {"mandy": {"0", "+2wd"}}


def test_an_overdue_recovery_action_reminds_its_owner_and_the_iro(raise_challenge, people, secrets):
    challenge = raise_challenge()
    due = challenge.current.response_due
    services.challenge_respond(
        challenge=challenge,
        response="A plan",
        actions=[ActionInput(text="Book the meeting", owner=people["sarah"], due_date=due)],
        by=people["terry"],
    )
    after = working_calendar().add_working_days(due, 1)
    assert _scan_twice("DR-ACTION", after, secrets) == 2
    assert recipients_of("DR-ACTION") == {"sarah": {"+1wd"}, "alice": {"+1wd"}}


def test_nobody_is_reminded_of_a_challenge_about_children_they_cannot_see(
    raise_challenge, people, child, secrets
):
    challenge = raise_challenge()
    child.restricted = True
    child.save(update_fields=["restricted"])
    after = working_calendar().add_working_days(challenge.current.response_due, 1)
    assert scan_checked("DR-OVERDUE", after, secrets=secrets) == 0


def test_manager_of_walks_up_past_a_team_the_person_manages(people, org):
    teams = {team.pk: team for team in Team.objects.all()}
    assert manager_of(people["terry"], teams) == people["helen"].pk
    assert manager_of(people["sarah"], teams) == people["terry"].pk
    assert manager_of(people["dora"], teams) is None
