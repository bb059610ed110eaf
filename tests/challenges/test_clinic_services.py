"""Challenge clinics (issue 6): schedule on challenges or a cohort, invitees from the
allocations and the team manager chain, invitations emailed with no case details, record
findings and actions (on each child's timeline), cancel (withdrawing the invitations sent),
refused transitions, the reminder for an overdue clinic action."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from icalendar import Calendar, Event

from challenges import clinic_services, clinic_workflow, services
from challenges.clinic_services import ClinicActionInput
from challenges.models import Clinic, ClinicAction, ClinicEvent
from children.models import ChildEvent, ChildProtectionPlan
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from reminders.models import EmailDelivery, Reminder
from reminders.services import delivery_send
from tests.factories import ChildFactory
from tests.reminders.helpers import recipients_of, scan_checked
from timescales.calendar import add_months
from timescales.services import working_calendar

pytestmark = pytest.mark.django_db


def invited(clinic: Clinic) -> dict[str, str]:
    return {
        invitee.user.first_name.lower(): invitee.role
        for invitee in clinic.invitees.select_related("user")
    }


def test_the_table_allows_each_step_only_from_scheduled():
    for action in clinic_workflow.TRANSITIONS:
        for status in (clinic_workflow.HELD, clinic_workflow.CANCELLED):
            with pytest.raises(InvalidTransition):
                clinic_workflow.next_status(status=status, action=action)
    assert clinic_workflow.next_status(status="scheduled", action="record") == "held"
    assert clinic_workflow.next_status(status="scheduled", action="cancel") == "cancelled"


def test_scheduling_on_a_challenge_invites_the_panel_and_the_childs_people(
    schedule_clinic, people, child
):
    clinic = schedule_clinic()

    assert clinic.reference == f"CL-{clinic.pk:05d}"
    assert clinic.status == Clinic.Status.SCHEDULED
    assert list(clinic.children.all()) == [child]
    assert invited(clinic) == {
        "helen": "panel",
        "alice": "iro",
        "sarah": "social_worker",
        "terry": "team_manager",
    }
    assert ClinicEvent.objects.get(clinic=clinic).action == "schedule"
    line = ChildEvent.objects.get(child=child, kind="challenge_clinic")
    assert line.summary.startswith(f"Challenge clinic {clinic.reference} booked for")


def test_a_team_without_a_manager_invites_the_next_manager_up(
    schedule_clinic, raise_challenge, people, org
):
    kid = ChildFactory(team=org["other_team"], iro=people["bob"], social_worker=people["charlie"])
    clinic = schedule_clinic(challenges=[raise_challenge(children=[kid])])
    # The assessment team has no manager: olga heads the service above it.
    assert invited(clinic) == {
        "helen": "panel",
        "bob": "iro",
        "charlie": "social_worker",
        "olga": "team_manager",
    }


def test_a_head_of_service_who_is_also_a_childs_manager_is_on_the_panel(
    schedule_clinic, raise_challenge, people, org
):
    kid = ChildFactory(team=org["service"], iro=people["alice"])  # helen manages the service
    clinic = schedule_clinic(challenges=[raise_challenge(children=[kid])])
    assert invited(clinic) == {"helen": "panel", "alice": "iro"}


def test_a_cohort_is_snapshotted_when_the_clinic_is_scheduled(schedule_clinic, people, org, child):
    today = timezone.localdate()
    ChildProtectionPlan.objects.create(
        child=child, start_date=add_months(today, -16), initial_categories=["NEG"]
    )
    clinic = schedule_clinic(cohort="cp-15-months")
    later = ChildFactory(team=org["team"])
    ChildProtectionPlan.objects.create(
        child=later, start_date=add_months(today, -17), initial_categories=["NEG"]
    )

    assert list(clinic.children.all()) == [child]
    assert [item.child for item in clinic.items.all()] == [child]
    assert clinic.cohort_label.startswith("Children on a child protection plan open 15 months")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"panel": []}, "Choose at least one head of service"),
        ({"venue": ""}, "Enter the venue or an online meeting link"),
        ({"challenges": []}, "Choose the challenges or a cohort"),
        ({"cohort": "cp-2-years", "challenges": []}, "No children you can see are in this cohort"),
    ],
)
def test_scheduling_refuses_an_incomplete_clinic_with_a_message(
    schedule_clinic, people, change, message
):
    with pytest.raises(RuleViolation, match=message):
        schedule_clinic(**change)
    assert not Clinic.objects.exists()


def test_the_panel_is_heads_of_service_and_the_date_not_in_the_past(schedule_clinic, people):
    with pytest.raises(RuleViolation, match="is not a head of service"):
        schedule_clinic(panel=[people["terry"]])
    with pytest.raises(RuleViolation, match="cannot be scheduled in the past"):
        schedule_clinic(day=timezone.localdate() - timedelta(days=1))


def test_only_open_challenges_go_to_a_clinic(schedule_clinic, raise_challenge, people):
    closed = raise_challenge()
    services.challenge_withdraw(challenge=closed, reason="Sorted", by=people["alice"])
    closed.refresh_from_db()
    with pytest.raises(RuleViolation, match="is withdrawn: a clinic considers open challenges"):
        schedule_clinic(challenges=[closed])


def test_only_the_iro_service_manager_schedules(schedule_clinic, people):
    with pytest.raises(NotPermitted):
        schedule_clinic(by=people["alice"])


def test_invitations_are_recorded_and_emailed_without_case_details(schedule_clinic, people, child):
    clinic = schedule_clinic()
    with TestCase.captureOnCommitCallbacks(execute=False):
        sent = clinic_services.clinic_invitations_send(clinic=clinic, by=people["mandy"])
    assert sent == 4
    assert not clinic.invitees.filter(sent_at__isnull=True).exists()
    deliveries = list(EmailDelivery.objects.order_by("to_address"))
    assert [d.to_address for d in deliveries] == sorted(
        people[name].email for name in ("alice", "helen", "sarah", "terry")
    )
    for delivery in deliveries:
        delivery_send(delivery_id=delivery.pk)
    secrets = [child.first_name, child.la_child_id, "six months late", "Room 4", "Drift"]
    for message in mail.outbox:
        text = " ".join([message.subject, message.body, *[str(a[1]) for a in message.attachments]])
        assert clinic.reference in message.subject
        assert f"/challenges/clinics/{clinic.pk}/" in message.body
        assert not [secret for secret in secrets if secret in text]
    assert len(mail.outbox) == 4
    # Sending again sends nothing new.
    assert clinic_services.clinic_invitations_send(clinic=clinic, by=people["mandy"]) == 0


def _calendar_event(ics: str | bytes) -> tuple[str, Event]:
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def test_cancelling_after_invitations_withdraws_them_from_each_invitees_calendar(
    schedule_clinic, people, child
):
    clinic = schedule_clinic()
    mandy = people["mandy"]
    clinic_services.clinic_invitations_send(clinic=clinic, by=mandy)
    invitation = _calendar_event(EmailDelivery.objects.first().ics)[1]
    # Invited but never sent an invitation: nothing to withdraw.
    clinic_services.clinic_invitee_add(clinic=clinic, user=people["bob"], role="other", by=mandy)
    EmailDelivery.objects.all().delete()
    reason = f"{child.first_name} {child.last_name} has moved placement"

    with TestCase.captureOnCommitCallbacks(execute=False) as on_commit:
        told = clinic_services.clinic_cancel(clinic=clinic, reason=reason, by=mandy)
    assert told == 4
    assert len(on_commit) == 4  # queued only once the cancellation is committed
    for delivery in EmailDelivery.objects.all():
        delivery_send(delivery_id=delivery.pk)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        people[name].email for name in ("alice", "helen", "sarah", "terry")
    )
    secrets = [child.first_name, child.last_name, child.la_child_id, "moved placement", "Room 4"]
    for message in mail.outbox:
        [(filename, ics, mimetype)] = message.attachments
        assert (filename, mimetype) == ("meeting.ics", "text/calendar")
        text = " ".join([message.subject, message.body, ics])
        assert not [secret for secret in secrets if secret in text]
        assert clinic.reference in message.subject and "cancelled" in message.body
        assert f"/challenges/clinics/{clinic.pk}/" in message.body
        method, event = _calendar_event(ics)
        assert (method, str(event["STATUS"])) == ("CANCEL", "CANCELLED")
        assert event["UID"] == invitation["UID"]
        assert event["SEQUENCE"] > invitation["SEQUENCE"]
    event = ClinicEvent.objects.get(clinic=clinic, action="cancel")
    assert event.summary == "Clinic cancelled: 4 invitees sent a cancellation"


def test_cancelling_before_invitations_are_sent_emails_nobody(schedule_clinic, people):
    clinic = schedule_clinic()
    mandy = people["mandy"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        told = clinic_services.clinic_cancel(clinic=clinic, reason="Panel unavailable", by=mandy)
    assert told == 0
    assert not EmailDelivery.objects.exists() and not mail.outbox
    assert ClinicEvent.objects.get(clinic=clinic, action="cancel").summary == "Clinic cancelled"


def test_removing_someone_sent_an_invitation_withdraws_it_from_their_calendar_alone(
    schedule_clinic, people, child
):
    clinic = schedule_clinic()
    mandy = people["mandy"]
    clinic_services.clinic_invitations_send(clinic=clinic, by=mandy)
    sarah = people["sarah"]
    invitation = _calendar_event(EmailDelivery.objects.get(to_address=sarah.email).ics)[1]
    # bob was never sent an invitation; a later one to him raises the clinic's version.
    clinic_services.clinic_invitee_add(clinic=clinic, user=people["bob"], role="other", by=mandy)
    EmailDelivery.objects.all().delete()
    mail.outbox.clear()

    with TestCase.captureOnCommitCallbacks(execute=False) as on_commit:
        told = clinic_services.clinic_invitee_remove(
            invitee=clinic.invitees.get(user=sarah), by=mandy
        )
    assert told is True
    assert len(on_commit) == 1  # queued only once the removal is committed
    assert not clinic_services.clinic_invitee_remove(
        invitee=clinic.invitees.get(user=people["bob"]), by=mandy
    )
    for delivery in EmailDelivery.objects.all():
        delivery_send(delivery_id=delivery.pk)

    [message] = mail.outbox
    assert message.to == [sarah.email]
    assert message.subject == f"No longer invited: challenge clinic {clinic.reference}"
    [(filename, ics, mimetype)] = message.attachments
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    secrets = [child.first_name, child.last_name, child.la_child_id, "six months late", "Room 4"]
    text = " ".join([message.subject, message.body, ics])
    assert not [secret for secret in secrets if secret in text]
    assert "/challenges/clinics/" in message.body
    method, event = _calendar_event(ics)
    assert (method, str(event["STATUS"])) == ("CANCEL", "CANCELLED")
    assert event["UID"] == invitation["UID"]
    assert event["SEQUENCE"] > invitation["SEQUENCE"]
    assert sorted(invited(clinic)) == ["alice", "helen", "terry"]
    summaries = set(ClinicEvent.objects.filter(clinic=clinic).values_list("summary", flat=True))
    assert {f"{sarah} uninvited: sent a cancellation", f"{people['bob']} uninvited"} <= summaries


def test_invitees_can_be_added_and_removed_but_the_panel_keeps_a_head(schedule_clinic, people):
    clinic = schedule_clinic()
    mandy = people["mandy"]
    clinic_services.clinic_invitee_add(clinic=clinic, user=people["bob"], role="other", by=mandy)
    with pytest.raises(RuleViolation, match="already invited"):
        clinic_services.clinic_invitee_add(clinic=clinic, user=people["bob"], role="iro", by=mandy)
    helen = clinic.invitees.get(user=people["helen"])
    with pytest.raises(RuleViolation, match="panel needs at least one head of service"):
        clinic_services.clinic_invitee_remove(invitee=helen, by=mandy)
    clinic_services.clinic_invitee_add(clinic=clinic, user=people["olga"], role="panel", by=mandy)
    clinic_services.clinic_invitee_remove(invitee=helen, by=mandy)
    assert invited(clinic)["olga"] == "panel" and "helen" not in invited(clinic)


def test_recording_writes_findings_actions_and_each_childs_timeline(
    schedule_clinic, raise_challenge, people, child, org
):
    sibling = ChildFactory(team=org["team"], iro=people["alice"])
    both = raise_challenge(children=[child, sibling])
    clinic = schedule_clinic(challenges=[raise_challenge(), both])
    first, second = clinic.items.order_by("pk")
    due = timezone.localdate() + timedelta(days=14)

    clinic_services.clinic_record(
        clinic=clinic,
        summary="Two plans drifting; both need a date.",
        findings={
            first.pk: "Permanence plan <script>alert(1)</script>overdue.",
            second.pk: "Sibling assessment not started.",
        },
        actions=[ClinicActionInput(second.pk, "Start the assessment", people["terry"], due)],
        by=people["mandy"],
        version=clinic.version,
    )

    clinic.refresh_from_db()
    assert clinic.status == Clinic.Status.HELD and clinic.held_on == timezone.localdate()
    first.refresh_from_db()
    assert first.finding == "Permanence plan overdue."
    action = ClinicAction.objects.get()
    assert (action.item, action.owner, action.due_date) == (second, people["terry"], due)
    findings = ChildEvent.objects.filter(kind="challenge_clinic", summary__contains="finding")
    assert sorted((e.child_id, e.summary) for e in findings) == sorted(
        [
            (
                child.pk,
                f"Challenge clinic {clinic.reference} finding on "
                f"{first.challenge.reference}: Permanence plan overdue.",
            ),
            (
                child.pk,
                f"Challenge clinic {clinic.reference} finding on "
                f"{second.challenge.reference}: Sibling assessment not started.",
            ),
            (
                sibling.pk,
                f"Challenge clinic {clinic.reference} finding on "
                f"{second.challenge.reference}: Sibling assessment not started.",
            ),
        ]
    )


def test_a_held_or_cancelled_clinic_refuses_further_steps(schedule_clinic, people):
    mandy = people["mandy"]
    held = schedule_clinic()
    clinic_services.clinic_record(clinic=held, summary="Done", findings={}, by=mandy)
    with pytest.raises(InvalidTransition, match="Only a scheduled clinic can be recorded"):
        clinic_services.clinic_record(clinic=held, summary="Again", findings={}, by=mandy)
    with pytest.raises(InvalidTransition, match="Only a scheduled clinic can be cancelled"):
        clinic_services.clinic_cancel(clinic=held, reason="Late", by=mandy)
    with pytest.raises(InvalidTransition, match="Invitations can only be sent"):
        clinic_services.clinic_invitations_send(clinic=held, by=mandy)

    cancelled = schedule_clinic()
    clinic_services.clinic_cancel(clinic=cancelled, reason="Panel unavailable", by=mandy)
    cancelled.refresh_from_db()
    assert cancelled.status == Clinic.Status.CANCELLED
    assert cancelled.cancelled_reason == "Panel unavailable"
    with pytest.raises(InvalidTransition, match="Invitees can only change"):
        clinic_services.clinic_invitee_add(
            clinic=cancelled, user=people["bob"], role="other", by=mandy
        )
    with pytest.raises(InvalidTransition, match="Only a scheduled clinic can be recorded"):
        clinic_services.clinic_record(clinic=cancelled, summary="x", findings={}, by=mandy)


def test_recording_is_refused_before_the_day_stale_or_without_a_summary(schedule_clinic, people):
    mandy = people["mandy"]
    tomorrow = schedule_clinic(day=timezone.localdate() + timedelta(days=1))
    with pytest.raises(InvalidTransition, match="record it on or after that day"):
        clinic_services.clinic_record(clinic=tomorrow, summary="x", findings={}, by=mandy)
    today = schedule_clinic()
    with pytest.raises(RuleViolation, match="overall summary"):
        clinic_services.clinic_record(clinic=today, summary="  ", findings={}, by=mandy)
    with pytest.raises(InvalidTransition, match="Someone else has just changed this clinic"):
        clinic_services.clinic_record(
            clinic=today, summary="x", findings={}, by=mandy, version=today.version + 1
        )
    with pytest.raises(NotPermitted):
        clinic_services.clinic_record(clinic=today, summary="x", findings={}, by=people["helen"])


def test_an_action_due_before_the_clinic_is_refused(schedule_clinic, people):
    clinic = schedule_clinic()
    item = clinic.items.get()
    past = timezone.localdate() - timedelta(days=1)
    with pytest.raises(RuleViolation, match="cannot be due before the clinic"):
        clinic_services.clinic_record(
            clinic=clinic,
            summary="x",
            findings={},
            actions=[ClinicActionInput(item.pk, "Do it", people["sarah"], past)],
            by=people["mandy"],
        )
    assert not ClinicAction.objects.exists()


def test_an_overdue_clinic_action_reminds_its_owner_and_the_chair(schedule_clinic, people, child):
    clinic = schedule_clinic()
    item = clinic.items.get()
    due = timezone.localdate() + timedelta(days=7)
    clinic_services.clinic_record(
        clinic=clinic,
        summary="x",
        findings={item.pk: "Plan late."},
        actions=[ClinicActionInput(item.pk, "Write the plan", people["sarah"], due)],
        by=people["mandy"],
    )
    secrets = [child.first_name, child.last_name, "Write the plan", "Plan late"]
    after = working_calendar().add_working_days(due, 1)
    assert scan_checked("DR-CLINIC-ACTION", after, secrets=secrets) == 2
    assert scan_checked("DR-CLINIC-ACTION", after, secrets=secrets) == 0
    assert recipients_of("DR-CLINIC-ACTION") == {"sarah": {"+1wd"}, "mandy": {"+1wd"}}
    assert Reminder.objects.filter(rule="DR-CLINIC-ACTION").first().reference == clinic.reference

    action = ClinicAction.objects.get()
    with pytest.raises(NotPermitted):
        clinic_services.clinic_action_set_status(action=action, status="done", by=people["terry"])
    clinic_services.clinic_action_set_status(action=action, status="done", by=people["sarah"])
    action.refresh_from_db()
    assert action.status == ClinicAction.Status.DONE
