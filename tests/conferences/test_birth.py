"""CP-8: a plan made before birth, and the birth recorded afterwards.

DOMAIN.md section 11, CP-8 (LOCAL Liverpool/Tees, decided default): the first review
conference of a pre-birth plan is due by the sooner of 3 months after the ICPC (CP-6) and
10 WD after the birth. Recording the birth works the stored due dates out again through the
clock's one recompute; deadlines whose event has happened keep their original due dates.
"""

from datetime import date

import pytest

from children import services as child_services
from children.deadlines import child_deadlines
from children.models import Child, ChildEvent, ChildProtectionPlan
from conferences import services
from conferences.models import Conference
from tests.conferences.factories import (
    ICPC_DUE,
    PRE_BIRTH_ICPC,
    QUORATE,
    attend,
    booked,
    enquiry,
    pre_birth_plan,
    unborn,
)
from timescales.models import DueDateChange

pytestmark = pytest.mark.django_db

ICPC_HELD = PRE_BIRTH_ICPC
CP6_DUE = date(2026, 6, 18)  # ICPC + 3 months (CP-6)


def first_rcpc(child: Child) -> Conference:
    return Conference.objects.get(child=child, conference_type=Conference.Type.RCPC)


def test_birth_after_a_pre_birth_plan_brings_the_first_review_forward_as_cp8_says(org, people):
    child = unborn(org, people, expected=date(2026, 5, 1))
    icpc = pre_birth_plan(child, people)
    plan = ChildProtectionPlan.objects.get(child=child)
    group = services.core_group_record(
        plan=plan, held_on=date(2026, 3, 25), attendance="All", by=people["sarah"]
    )
    # Unborn: no birth to count from, so CP-6 (ICPC + 3 months).
    rcpc = first_rcpc(child)
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == ("CP-6", ICPC_HELD, CP6_DUE)

    child_services.record_birth(child=child, date_of_birth=date(2026, 4, 20), by=people["sarah"])

    # CP-8: born Mon 20 Apr 2026; 10 WD skips the Early May bank holiday (Mon 4 May):
    # 21, 22, 23, 24, 27, 28, 29, 30 Apr, 1 May, 5 May. Tue 5 May is sooner than 18 June.
    rcpc.refresh_from_db()
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == (
        "CP-8",
        date(2026, 4, 20),
        date(2026, 5, 5),
    )
    assert rcpc.status == Conference.Status.REQUESTED
    # What has happened keeps the due dates it was judged against.
    icpc.refresh_from_db()
    assert (icpc.original_due_date, icpc.outcome_due, icpc.minutes_due) == (
        ICPC_DUE,
        date(2026, 3, 19),
        date(2026, 4, 17),
    )
    assert icpc.s47_enquiry.icpc_due == ICPC_DUE
    group.refresh_from_db()
    assert (group.rule_id, group.due_date) == ("CP-4", date(2026, 4, 1))
    # The move is recorded: the clock's change log, the conference's history, the timeline.
    change = DueDateChange.objects.get()
    assert (change.subject, change.rule_id, change.old_due, change.new_due) == (
        f"conferences.conference:{rcpc.pk}:original_due_date",
        "CP-8",
        CP6_DUE,
        date(2026, 5, 5),
    )
    assert (change.cause, change.changed_by) == ("Birth recorded: 20/04/2026", people["sarah"])
    latest = rcpc.history.order_by("-history_id").first()
    assert (latest.rule_id, latest.original_due_date) == ("CP-8", date(2026, 5, 5))
    event = ChildEvent.objects.filter(child=child, kind="record").get(summary__startswith="Born")
    assert (event.occurred_on, event.summary, event.by) == (
        date(2026, 4, 20),
        "Born: 1 deadline moved with the birth",
        people["sarah"],
    )
    rows = {row.rule.id: row for row in child_deadlines(child=child, today=date(2026, 4, 21))}
    assert (rows["CP-8"].start, rows["CP-8"].due) == (date(2026, 4, 20), date(2026, 5, 5))
    assert "CP-6" not in rows


def test_a_late_birth_leaves_the_three_months_in_place(org, people):
    # Born Wed 10 Jun 2026: + 10 WD = Wed 24 Jun, later than ICPC + 3 months (18 Jun).
    child = unborn(org, people, expected=date(2026, 6, 1))
    pre_birth_plan(child, people)

    child_services.record_birth(child=child, date_of_birth=date(2026, 6, 10), by=people["betty"])

    rcpc = first_rcpc(child)
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == ("CP-6", ICPC_HELD, CP6_DUE)
    assert not DueDateChange.objects.exists()
    assert child.events.filter(summary="Born").exists()


def test_a_booked_first_review_keeps_its_booking_and_its_due_date_follows_the_birth(org, people):
    child = unborn(org, people, expected=date(2026, 5, 1))
    pre_birth_plan(child, people)
    rcpc = booked(first_rcpc(child), people, day=date(2026, 5, 1))

    child_services.record_birth(child=child, date_of_birth=date(2026, 4, 20), by=people["sarah"])

    rcpc.refresh_from_db()
    assert (rcpc.status, rcpc.scheduled_date) == (Conference.Status.SCHEDULED, date(2026, 5, 1))
    assert (rcpc.rule_id, rcpc.original_due_date) == ("CP-8", date(2026, 5, 5))


def test_birth_after_the_first_review_was_held_moves_nothing(org, people):
    child = unborn(org, people, expected=date(2026, 5, 1))
    pre_birth_plan(child, people)
    first = booked(first_rcpc(child), people, day=date(2026, 4, 15))
    services.conference_record_outcome(
        conference=first,
        by=first.chair,
        attendance=attend(first, people, QUORATE),
        child_participation="too_young",
        decision="continue",
        categories=["NEG"],
    )

    child_services.record_birth(child=child, date_of_birth=date(2026, 4, 20), by=people["sarah"])

    first.refresh_from_db()
    assert (first.rule_id, first.original_due_date) == ("CP-6", CP6_DUE)
    second = Conference.objects.get(child=child, status=Conference.Status.REQUESTED)
    assert (second.rule_id, second.original_due_date) == ("CP-7", date(2026, 10, 15))
    assert not DueDateChange.objects.exists()


def test_a_child_born_before_the_pre_birth_conference_is_not_on_a_pre_birth_plan(org, people):
    # Born on 10 March, recorded before the conference of 18 March was written up: the plan
    # started after the birth, so CP-6 alone applies (birth + 10 WD would be 24 March).
    child = unborn(org, people, expected=date(2026, 3, 20))
    requested = services.conference_request_icpc(
        enquiry=enquiry(child, people["sarah"]), by=people["sarah"], pre_birth=True
    )
    conference = booked(requested, people, day=ICPC_HELD)
    child_services.record_birth(child=child, date_of_birth=date(2026, 3, 10), by=people["sarah"])
    services.conference_record_outcome(
        conference=conference,
        by=conference.chair,
        attendance=attend(conference, people, QUORATE),
        child_participation="too_young",
        decision="plan",
        categories=["NEG"],
    )
    rcpc = first_rcpc(child)
    assert (rcpc.rule_id, rcpc.original_due_date) == ("CP-6", CP6_DUE)


def test_a_birth_recorded_before_the_outcome_of_a_pre_birth_plan_sets_cp8_at_once(org, people):
    child = unborn(org, people, expected=date(2026, 4, 1))
    requested = services.conference_request_icpc(
        enquiry=enquiry(child, people["sarah"]), by=people["sarah"], pre_birth=True
    )
    conference = booked(requested, people, day=ICPC_HELD)
    child_services.record_birth(child=child, date_of_birth=date(2026, 3, 20), by=people["sarah"])
    services.conference_record_outcome(
        conference=conference,
        by=conference.chair,
        attendance=attend(conference, people, QUORATE),
        child_participation="too_young",
        decision="plan",
        categories=["NEG"],
    )
    # Born after the conference day: a pre-birth plan. Fri 20 Mar 2026 + 10 WD, over Good
    # Friday (3 Apr) and Easter Monday (6 Apr): 23, 24, 25, 26, 27, 30, 31 Mar, 1, 2, 7 Apr.
    rcpc = first_rcpc(child)
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == (
        "CP-8",
        date(2026, 3, 20),
        date(2026, 4, 7),
    )


def test_correcting_the_date_of_birth_moves_the_first_review_again(org, people):
    child = unborn(org, people, expected=date(2026, 5, 1))
    pre_birth_plan(child, people)
    child = child_services.record_birth(
        child=child, date_of_birth=date(2026, 4, 20), by=people["sarah"]
    )

    child_services.child_update(child=child, by=people["sarah"], date_of_birth=date(2026, 4, 22))

    # Wed 22 Apr + 10 WD: 23, 24, 27, 28, 29, 30 Apr, 1, 5, 6, 7 May (4 May a bank holiday).
    rcpc = first_rcpc(child)
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == (
        "CP-8",
        date(2026, 4, 22),
        date(2026, 5, 7),
    )
    assert DueDateChange.objects.filter(cause="Date of birth corrected").count() == 1
