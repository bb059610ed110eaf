"""The conference journey through the services: request, booking, invitations and
reports, the record and its decisions, the next review conference, core groups."""

from datetime import date
from unittest import mock

import pytest
from django.core import mail

from children.models import ChildProtectionPlan
from conferences import services
from conferences.models import AgencyReport, ChairUnavailability, Conference
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from reminders.models import EmailDelivery
from reminders.services import delivery_send
from reminders.tasks import send_email_task
from tests.conferences.factories import (
    ICPC_DUE,
    QUORATE,
    STRATEGY_DISCUSSION,
    at,
    attend,
    booked,
    enquiry,
    held_with_plan,
    requested_icpc,
    room,
)
from tests.factories import ChildFactory
from timescales.rules import DeadlineStatus, assess
from timescales.services import rule_books, working_calendar

pytestmark = pytest.mark.django_db


# Requests --------------------------------------------------------------------------------


def test_icpc_request_is_due_15_working_days_after_the_strategy_discussion(child, people):
    conference = requested_icpc(child, people)

    assert conference.status == Conference.Status.REQUESTED
    assert conference.rule_id == "CP-1"
    assert conference.clock_start == STRATEGY_DISCUSSION
    assert conference.original_due_date == ICPC_DUE
    assert conference.original_due_date == conference.s47_enquiry.icpc_due


def test_icpc_request_needs_the_strategy_discussion_date(child, people):
    from children import services as child_services

    s47 = child_services.s47_record(
        child=child,
        start_date=STRATEGY_DISCUSSION,
        strategy_discussion_date=None,
        by=people["sarah"],
    )
    with pytest.raises(RuleViolation, match="strategy discussion"):
        services.conference_request_icpc(enquiry=s47, by=people["sarah"])


def test_a_second_icpc_request_for_one_enquiry_is_refused(child, people):
    conference = requested_icpc(child, people)
    with pytest.raises(RuleViolation, match="already been requested"):
        services.conference_request_icpc(enquiry=conference.s47_enquiry, by=people["betty"])


def test_social_worker_of_another_team_cannot_request(child, people):
    s47 = enquiry(child, people["sarah"])
    with pytest.raises(NotPermitted):
        services.conference_request_icpc(enquiry=s47, by=people["charlie"])


def test_transfer_in_request_is_due_15_working_days_after_notification(child, people):
    conference = services.conference_request_transfer_in(
        child=child, notified_on=date(2026, 3, 2), by=people["betty"]
    )
    assert (conference.rule_id, conference.original_due_date) == ("CP-9", date(2026, 3, 23))


def test_pre_birth_conference_is_for_an_unborn_child(child, people, org):
    with pytest.raises(RuleViolation, match="unborn"):
        services.conference_request_icpc(
            enquiry=enquiry(child, people["sarah"]), by=people["sarah"], pre_birth=True
        )
    unborn = ChildFactory(
        team=org["team"], date_of_birth=None, expected_date_of_birth=date(2026, 6, 1)
    )
    conference = services.conference_request_icpc(
        enquiry=enquiry(unborn, people["sarah"]), by=people["sarah"], pre_birth=True
    )
    assert conference.conference_type == Conference.Type.PRE_BIRTH


# Booking ---------------------------------------------------------------------------------


def test_booking_sets_chair_room_and_time(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18), where=room())
    assert conference.status == Conference.Status.SCHEDULED
    assert conference.chair == people["mandy"]
    assert conference.scheduled_date == date(2026, 3, 18)
    assert conference.late_reason == ""


def test_only_business_support_can_book(child, people):
    with pytest.raises(NotPermitted):
        services.conference_schedule(
            conference=requested_icpc(child, people),
            chair=people["alice"],
            start=at(date(2026, 3, 18)),
            end=at(date(2026, 3, 18), 12),
            online_link="https://meet.example.org/x",
            by=people["sarah"],
        )


def test_double_booking_a_chair_is_refused(child, people, org):
    booked(requested_icpc(child, people), people, day=date(2026, 3, 18), hour=10)
    other = requested_icpc(ChildFactory(team=org["team"]), people)
    with pytest.raises(RuleViolation, match="already booked"):
        booked(other, people, day=date(2026, 3, 18), hour=11)
    # Back to back is not a clash.
    assert booked(other, people, day=date(2026, 3, 18), hour=12).status == "scheduled"


def test_double_booking_a_room_is_refused_even_with_another_chair(child, people, org):
    shared = room()
    booked(requested_icpc(child, people), people, day=date(2026, 3, 18), where=shared)
    other = requested_icpc(ChildFactory(team=org["team"]), people)
    with pytest.raises(RuleViolation, match="Room 1 is already booked"):
        booked(other, people, day=date(2026, 3, 18), chair="bob", where=shared, hour=11)
    assert booked(other, people, day=date(2026, 3, 18), chair="bob", where=room("Room 2"))


def test_a_chair_on_leave_cannot_be_booked(child, people):
    services.chair_unavailability_add(
        chair=people["alice"], day=date(2026, 3, 18), reason="leave", by=people["alice"]
    )
    with pytest.raises(RuleViolation, match="not available"):
        booked(requested_icpc(child, people), people, day=date(2026, 3, 18), chair="alice")


def test_unavailability_is_entered_by_the_chair_or_their_manager(people):
    with pytest.raises(NotPermitted):
        services.chair_unavailability_add(
            chair=people["alice"], day=date(2026, 3, 18), reason="leave", by=people["bob"]
        )
    entry = services.chair_unavailability_add(
        chair=people["alice"], day=date(2026, 3, 19), reason="non_working", by=people["mandy"]
    )
    assert entry.reason == ChairUnavailability.Reason.NON_WORKING


def test_booking_on_a_weekend_is_refused(child, people):
    with pytest.raises(RuleViolation, match="working day"):
        booked(requested_icpc(child, people), people, day=date(2026, 3, 21))


def test_booking_after_the_due_date_needs_a_coded_late_reason(child, people):
    conference = requested_icpc(child, people)
    with pytest.raises(RuleViolation, match="due by 23/03/2026"):
        booked(conference, people, day=date(2026, 3, 24))
    conference = booked(conference, people, day=date(2026, 3, 24), late_reason="family_request")
    assert conference.late_reason == "family_request"


def test_rebooking_keeps_the_original_due_date_and_lateness_is_judged_against_it(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 20))
    conference = booked(conference, people, day=date(2026, 3, 25), late_reason="chair_unavailable")
    assert conference.original_due_date == ICPC_DUE
    conference = services.conference_record_outcome(
        conference=conference,
        by=conference.chair,
        attendance=attend(conference, people, QUORATE),
        child_participation="too_young",
        decision="no_plan",
    )
    verdict = assess(
        due=conference.original_due_date,
        done=conference.held_on,
        today=date(2026, 4, 1),
        unit=rule_books()(conference.clock_start)["CP-1"].unit,
        calendar=working_calendar(),
    )
    assert (verdict.status, verdict.days_late) == (DeadlineStatus.LATE, 2)


def test_a_held_conference_cannot_be_booked_again(child, people):
    conference = held_with_plan(child, people)
    with pytest.raises(InvalidTransition):
        booked(conference, people, day=date(2026, 3, 25))


# Invitations and reports -----------------------------------------------------------------


def test_report_is_due_2_working_days_before_an_initial_conference(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    report = services.report_request(conference=conference, agency="health", by=people["betty"])
    assert (report.rule_id, report.due_date) == ("CP-10-ICPC", date(2026, 3, 16))


def test_report_deadline_counts_back_over_a_bank_holiday_and_moves_with_the_booking(child, people):
    conference = requested_icpc(child, people)
    report = services.report_request(conference=conference, agency="police", by=people["betty"])
    assert report.due_date is None  # not booked yet
    # Tuesday 7 April 2026: Easter Monday (6th) and Good Friday (3rd) are not working days.
    booked(conference, people, day=date(2026, 4, 7), late_reason="late_request")
    report.refresh_from_db()
    assert report.due_date == date(2026, 4, 1)


def test_report_for_a_review_conference_is_due_5_working_days_before(child, people):
    held_with_plan(child, people)
    rcpc = Conference.objects.get(conference_type="rcpc")
    booked(rcpc, people, day=date(2026, 6, 10))
    report = services.report_request(conference=rcpc, agency="education", by=people["betty"])
    assert (report.rule_id, report.due_date) == ("CP-10-RCPC", date(2026, 6, 3))


def test_receiving_a_report_records_the_date(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    report = services.report_request(conference=conference, agency="health", by=people["betty"])
    services.report_receive(report=report, received_on=date(2026, 3, 17), by=people["betty"])
    assert AgencyReport.objects.get().received_on == date(2026, 3, 17)


def test_sending_an_invitation_emails_a_link_and_reference_never_the_child(
    child, people, django_capture_on_commit_callbacks
):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    invitation = services.invitation_add(
        conference=conference,
        name="PC Jones",
        agency="police",
        email="jones@police.example.org",
        interpreter_needed=True,
        interpreter_language="Polish",
        by=people["betty"],
    )
    with (
        mock.patch.object(send_email_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.invitation_send(invitation=invitation, by=people["betty"])
    # Through the reminders email gateway: a row, queued by id after the commit, sent once.
    [delivery] = EmailDelivery.objects.filter(kind=EmailDelivery.Kind.MESSAGE)
    assert queued.call_args.kwargs["args"] == (delivery.pk,)
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert delivery_send(delivery_id=delivery.pk) == "not claimed"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jones@police.example.org"]
    assert f"CPC-{conference.pk:06d}" in message.body
    [(filename, ics, mimetype)] = message.attachments
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    assert f"CPC-{conference.pk:06d}" in ics
    for text in (message.body, message.subject, ics):
        assert child.first_name not in text and child.last_name not in text
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_interpreter_needs_the_language(child, people):
    conference = requested_icpc(child, people)
    with pytest.raises(RuleViolation, match="language"):
        services.invitation_add(
            conference=conference,
            name="Parent",
            agency="family",
            interpreter_needed=True,
            by=people["betty"],
        )


# The record ------------------------------------------------------------------------------


def record(conference, people, agencies=QUORATE, **fields):
    values = {"child_participation": "too_young", "decision": "plan", "categories": ["NEG"]}
    values.update(fields)
    return services.conference_record_outcome(
        conference=conference,
        by=conference.chair,
        attendance=attend(conference, people, agencies),
        **values,
    )


def test_icpc_deciding_a_plan_starts_it_on_the_icpc_date(child, people):
    conference = held_with_plan(child, people, categories=["NEG", "EMO"])

    plan = ChildProtectionPlan.objects.get(child=child)
    assert plan.start_date == conference.held_on == date(2026, 3, 18)
    assert plan.initial_categories == ["NEG", "EMO"]
    assert conference.cp_plan == plan
    conference.s47_enquiry.refresh_from_db()
    assert conference.s47_enquiry.icpc_date == date(2026, 3, 18)
    assert conference.status == Conference.Status.HELD


def test_several_categories_are_exported_as_mul(child, people):
    conference = held_with_plan(child, people, categories=["NEG", "PHY"])
    assert conference.census_category == "MUL"
    assert conference.cp_plan.initial_category_code == "MUL"


def test_one_category_is_exported_as_itself(child, people):
    conference = held_with_plan(child, people, categories=["SAB"])
    assert conference.census_category == "SAB"


def test_holding_an_icpc_with_a_plan_requests_the_first_rcpc_three_months_later(child, people):
    held_with_plan(child, people)
    rcpc = Conference.objects.get(conference_type=Conference.Type.RCPC)
    assert rcpc.status == Conference.Status.REQUESTED
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == (
        "CP-6",
        date(2026, 3, 18),
        date(2026, 6, 18),
    )


def test_outcome_and_minutes_deadlines_are_stored(child, people):
    conference = held_with_plan(child, people)
    assert conference.outcome_due == date(2026, 3, 19)  # CP-OUTCOME: 1 WD
    assert conference.minutes_due == date(2026, 4, 17)  # CP-MINUTES: 20 WD over Easter


def test_icpc_deciding_no_plan_dates_the_enquiry_and_requests_nothing(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    conference = record(conference, people, decision="no_plan", categories=[])
    conference.s47_enquiry.refresh_from_db()
    assert conference.s47_enquiry.icpc_date == date(2026, 3, 18)
    assert not ChildProtectionPlan.objects.exists()
    assert not Conference.objects.filter(conference_type="rcpc").exists()


def test_plan_needs_a_category(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    with pytest.raises(RuleViolation, match="category"):
        record(conference, people, categories=[])


def test_a_conference_without_social_care_and_two_agencies_is_not_quorate(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    with pytest.raises(RuleViolation, match="not quorate"):
        record(conference, people, agencies=["social_care", "police", "family"])


def test_a_conference_that_is_not_quorate_can_end_with_a_recorded_reason(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    conference = record(
        conference,
        people,
        agencies=["police", "health", "education"],
        not_quorate_reason="Social worker taken ill; manager gave the report by phone.",
    )
    assert conference.quorate is False
    assert conference.status == Conference.Status.HELD


def test_social_care_and_two_other_agencies_make_a_quorum(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    assert record(conference, people).quorate is True


def test_the_number_of_other_agencies_is_a_setting(child, people, settings):
    settings.CONFERENCE_QUORUM_OTHER_AGENCIES = 3
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    with pytest.raises(RuleViolation, match="3 other agencies"):
        record(conference, people)


def test_only_the_chair_records_the_conference(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    with pytest.raises(NotPermitted):
        services.conference_record_outcome(
            conference=conference, by=people["bob"], decision="no_plan"
        )
    with pytest.raises(NotPermitted):
        services.conference_record_draft(conference=conference, by=people["betty"], minutes="x")


def test_an_iro_chair_can_start_a_plan(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18), chair="alice")
    assert record(conference, people).cp_plan is not None


def test_an_iro_chair_records_a_conference_deciding_no_plan(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18), chair="alice")
    assert record(conference, people, decision="no_plan").status == Conference.Status.HELD


def test_a_draft_keeps_what_the_chair_wrote_without_deciding(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18), chair="alice")
    services.conference_record_draft(
        conference=conference, by=people["alice"], minutes="Half written", categories=["NEG"]
    )
    conference.refresh_from_db()
    assert conference.minutes == "Half written"
    assert conference.status == Conference.Status.SCHEDULED
    assert conference.draft_saved_at is not None


def test_rcpc_continuing_the_plan_updates_latest_categories_and_requests_the_next(child, people):
    held_with_plan(child, people, categories=["NEG"])
    rcpc = booked(Conference.objects.get(conference_type="rcpc"), people, day=date(2026, 6, 10))
    record(rcpc, people, decision="continue", categories=["NEG", "EMO"])

    plan = ChildProtectionPlan.objects.get()
    assert plan.initial_categories == ["NEG"]
    assert plan.latest_categories == ["NEG", "EMO"]
    assert plan.latest_category_code == "MUL"
    following = Conference.objects.get(conference_type="rcpc", status="requested")
    assert (following.rule_id, following.original_due_date) == ("CP-7", date(2026, 12, 10))


def test_rcpc_ending_the_plan_ends_it_with_the_reason_and_requests_nothing(child, people):
    held_with_plan(child, people)
    rcpc = booked(Conference.objects.get(conference_type="rcpc"), people, day=date(2026, 6, 10))
    record(rcpc, people, decision="end", categories=[], end_reason="no_longer_at_risk")

    plan = ChildProtectionPlan.objects.get()
    assert (plan.end_date, plan.end_reason) == (date(2026, 6, 10), "no_longer_at_risk")
    assert not Conference.objects.filter(status="requested").exists()


def test_rcpc_ending_needs_a_cp12_reason(child, people):
    held_with_plan(child, people)
    rcpc = booked(Conference.objects.get(conference_type="rcpc"), people, day=date(2026, 6, 10))
    with pytest.raises(RuleViolation, match="why the plan is ending"):
        record(rcpc, people, decision="end", categories=[])


def test_an_rcpc_cannot_decide_a_new_plan(child, people):
    held_with_plan(child, people)
    rcpc = booked(Conference.objects.get(conference_type="rcpc"), people, day=date(2026, 6, 10))
    with pytest.raises(RuleViolation, match="decision"):
        record(rcpc, people, decision="plan")


def test_circulating_records_outcome_and_minutes_dates(child, people):
    conference = held_with_plan(child, people)
    services.conference_circulate(
        conference=conference, by=people["betty"], outcome_sent_on=date(2026, 3, 19)
    )
    services.conference_circulate(
        conference=conference, by=people["mandy"], minutes_completed_on=date(2026, 4, 20)
    )
    conference.refresh_from_db()
    assert conference.outcome_sent_on == date(2026, 3, 19)
    assert conference.minutes_completed_on == date(2026, 4, 20)
    with pytest.raises(NotPermitted):
        services.conference_circulate(
            conference=conference, by=people["sarah"], outcome_sent_on=date(2026, 3, 19)
        )


def test_cancelling_needs_a_reason_and_frees_nothing_held(child, people):
    conference = requested_icpc(child, people)
    with pytest.raises(RuleViolation):
        services.conference_cancel(conference=conference, reason=" ", by=people["betty"])
    services.conference_cancel(conference=conference, reason="Enquiry closed", by=people["betty"])
    conference.refresh_from_db()
    assert conference.status == Conference.Status.CANCELLED


# Core groups -----------------------------------------------------------------------------


def test_first_core_group_answers_cp4_and_later_ones_cp5(child, people):
    held_with_plan(child, people)
    plan = ChildProtectionPlan.objects.get()
    first = services.core_group_record(
        plan=plan, held_on=date(2026, 3, 30), attendance="SW, health visitor", by=people["sarah"]
    )
    second = services.core_group_record(
        plan=plan, held_on=date(2026, 4, 30), attendance="SW, school", by=people["sarah"]
    )
    assert (first.rule_id, first.due_date) == ("CP-4", date(2026, 4, 1))
    assert (second.rule_id, second.due_date) == ("CP-5", date(2026, 4, 27))


def test_core_group_outside_the_plan_is_refused(child, people):
    held_with_plan(child, people)
    with pytest.raises(RuleViolation, match="within the plan"):
        services.core_group_record(
            plan=ChildProtectionPlan.objects.get(),
            held_on=date(2026, 3, 1),
            attendance="",
            by=people["sarah"],
        )


# The child's deadlines -------------------------------------------------------------------


def test_childs_deadlines_include_next_rcpc_core_group_and_outcome_and_minutes(child, people):
    from children.deadlines import child_deadlines

    held_with_plan(child, people)
    rows = {row.rule.id: row for row in child_deadlines(child=child, today=date(2026, 3, 20))}
    assert rows["CP-6"].due == date(2026, 6, 18)
    assert rows["CP-4"].due == date(2026, 4, 1)
    assert (rows["CP-OUTCOME"].due, rows["CP-OUTCOME"].status) == (
        date(2026, 3, 19),
        DeadlineStatus.OVERDUE,
    )
    assert rows["CP-MINUTES"].due == date(2026, 4, 17)
    # CP-1 comes from the children app once, not again from conferences.
    assert [row.rule.id for row in child_deadlines(child=child, today=date(2026, 3, 20))].count(
        "CP-1"
    ) == 1


def test_a_new_bank_holiday_moves_an_open_request_but_not_a_held_one(child, people):
    from timescales.services import extra_non_working_day_add

    held_with_plan(child, people)
    rcpc = Conference.objects.get(conference_type="rcpc")
    assert rcpc.original_due_date == date(2026, 6, 18)
    # CP-6 is in months, so a holiday does not move it; a CP-9 request in working days does.
    transfer = services.conference_request_transfer_in(
        child=ChildFactory(team=child.team), notified_on=date(2026, 3, 2), by=people["betty"]
    )
    extra_non_working_day_add(day=date(2026, 3, 10), description="Local", by=people["mandy"])
    transfer.refresh_from_db()
    assert transfer.original_due_date == date(2026, 3, 24)
    icpc = Conference.objects.get(conference_type="icpc")
    assert icpc.original_due_date == ICPC_DUE
