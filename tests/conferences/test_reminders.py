"""The conferences' reminder rules (registered with the reminders app) and their meetings on
the chair's calendar. Each rule: seed, scan, assert; scan again and nothing changes; the right
people; no child's name in a reminder, an email or a task's arguments."""

from datetime import date, timedelta

import pytest

from children import services as child_services
from conferences import services
from conferences.models import Conference
from people.roles import Role
from reminders.calendars import meetings_chaired_on, meetings_for
from reminders.models import Reminder
from tests.conferences.factories import (
    ICPC_DUE,
    at,
    booked,
    held_with_plan,
    requested_icpc,
    room,
)
from tests.conftest import make_user
from tests.factories import TeamFactory
from tests.reminders.helpers import recipients_of, scan_checked
from timescales.calendar import add_months
from timescales.sequences import next_core_group
from timescales.services import rule_books, working_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def names(child):
    return [child.first_name, child.last_name]


def _scan_twice(code: str, today: date, names: list[str]) -> int:
    first = scan_checked(code, today, secrets=names)
    rows = Reminder.objects.count()
    assert scan_checked(code, today, secrets=names) == 0
    assert Reminder.objects.count() == rows
    return first


def test_an_unbooked_review_conference_reminds_business_support(child, people, names):
    held = held_with_plan(child, people)
    rcpc = Conference.objects.get(conference_type=Conference.Type.RCPC, cp_plan=held.cp_plan)
    assert _scan_twice("CONF-BOOK", rcpc.original_due_date, names) == 1
    assert recipients_of("CONF-BOOK") == {"betty": {"0"}}
    [reminder] = Reminder.objects.filter(rule="CONF-BOOK")
    assert reminder.reference == rcpc.reference and not reminder.immediate


def test_an_unbooked_review_conference_past_due_is_an_immediate_overdue_reminder(
    child, people, names
):
    held = held_with_plan(child, people)
    rcpc = Conference.objects.get(conference_type=Conference.Type.RCPC, cp_plan=held.cp_plan)
    after = working_calendar().add_working_days(rcpc.original_due_date, 1)
    _scan_twice("CONF-BOOK", after, names)
    [reminder] = Reminder.objects.filter(rule="CONF-BOOK")
    assert (reminder.threshold, reminder.group, reminder.immediate) == (
        "+1wd",
        "overdue_meetings",
        True,
    )


def test_an_initial_conference_awaiting_a_date_is_left_to_the_cp1_rule(child, people, names):
    requested_icpc(child, people)
    assert _scan_twice("CONF-BOOK", ICPC_DUE, names) == 0


def test_a_conference_booked_after_its_due_date_reminds_the_chair_once_overdue(
    child, people, names
):
    conference = booked(
        requested_icpc(child, people),
        people,
        day=ICPC_DUE + timedelta(days=7),
        late_reason="chair_unavailable",
    )
    assert _scan_twice("CONF-OVERDUE", ICPC_DUE, names) == 0  # due today: not yet overdue
    next_day = working_calendar().add_working_days(ICPC_DUE, 1)
    assert _scan_twice("CONF-OVERDUE", next_day, names) == 1
    assert recipients_of("CONF-OVERDUE") == {"mandy": {"+1wd"}}
    assert Reminder.objects.get(rule="CONF-OVERDUE").reference == conference.reference


def test_outcome_due_reminds_the_chair_and_business_support_until_it_is_sent(child, people, names):
    conference = held_with_plan(child, people)
    assert _scan_twice("CP-OUTCOME", conference.outcome_due, names) == 2
    assert recipients_of("CP-OUTCOME") == {"mandy": {"0"}, "betty": {"0"}}
    services.conference_circulate(
        conference=conference, by=people["betty"], outcome_sent_on=conference.outcome_due
    )
    later = conference.outcome_due + timedelta(days=14)
    assert _scan_twice("CP-OUTCOME", later, names) == 0


def test_minutes_due_in_5_working_days_remind_the_chair_and_business_support(child, people, names):
    conference = held_with_plan(child, people)
    five_before = working_calendar().subtract_working_days(conference.minutes_due, 5)
    assert _scan_twice("CP-MINUTES", five_before - timedelta(days=1), names) == 0
    assert _scan_twice("CP-MINUTES", five_before, names) == 2
    assert recipients_of("CP-MINUTES") == {"mandy": {"-5wd"}, "betty": {"-5wd"}}


def test_an_agency_report_not_received_reminds_business_support_and_the_chair(child, people, names):
    conference = booked(requested_icpc(child, people), people, day=ICPC_DUE, where=room())
    police = services.report_request(conference=conference, agency="police", by=people["betty"])
    health = services.report_request(conference=conference, agency="health", by=people["betty"])
    services.report_receive(report=health, received_on=police.due_date, by=people["betty"])
    assert _scan_twice("CP-10", police.due_date, names) == 2
    assert recipients_of("CP-10") == {"betty": {"0"}, "mandy": {"0"}}
    assert set(Reminder.objects.filter(rule="CP-10").values_list("subject_id", flat=True)) == {
        police.pk
    }


def test_core_groups_first_within_10_working_days_then_every_4_weeks(child, people, names):
    """CP-4 then CP-5 (the local interval), each reminding the social worker and the chair."""
    conference = held_with_plan(child, people)
    plan = conference.cp_plan
    calendar = working_calendar()
    first_due = calendar.add_working_days(plan.start_date, 10)
    assert _scan_twice("CP-CORE", first_due, names) == 2
    assert recipients_of("CP-CORE") == {"sarah": {"0"}, "mandy": {"0"}}
    services.core_group_record(plan=plan, held_on=first_due, attendance="All", by=people["sarah"])
    second_due = next_core_group(
        icpc=plan.start_date,
        core_groups_held=[first_due],
        rules=rule_books()(plan.start_date),
        calendar=calendar,
    ).due
    assert second_due == first_due + timedelta(weeks=4)
    assert _scan_twice("CP-CORE", second_due - timedelta(days=1), names) == 2
    assert set(
        Reminder.objects.filter(rule="CP-CORE", recipient=people["sarah"]).values_list(
            "due_date", "threshold"
        )
    ) == {(first_due, "0"), (second_due, "-3wd")}


def test_an_ended_plan_has_no_core_group_reminders(child, people, names):
    conference = held_with_plan(child, people)
    plan = conference.cp_plan
    ended = plan.start_date + timedelta(days=5)
    child_services.cp_plan_end(
        plan=plan, end_date=ended, reason="no_longer_at_risk", by=people["mandy"]
    )
    assert _scan_twice("CP-CORE", plan.start_date + timedelta(days=60), names) == 0


def test_plans_open_15_months_and_2_years_prompt_the_chair_and_iro_managers(child, people, names):
    conference = held_with_plan(child, people)
    start = conference.cp_plan.start_date
    fifteen = add_months(start, 15)
    assert _scan_twice("CP-14", fifteen - timedelta(days=1), names) == 0
    assert _scan_twice("CP-14", fifteen, names) == 1  # mandy is both chair and manager
    assert recipients_of("CP-14") == {"mandy": {"15m"}}
    two_years = add_months(start, 24)
    assert _scan_twice("CP-14", two_years + timedelta(days=3), names) == 1
    assert recipients_of("CP-14") == {"mandy": {"15m", "2y"}}
    messages = set(Reminder.objects.filter(rule="CP-14").values_list("message", flat=True))
    assert any("2 years" in message for message in messages)


def _second_iro_team(people, org) -> None:
    """Max manages a second IRO team; with ``managed``, mandy manages the first."""
    team = TeamFactory(name="IRO Team 2", parent=org["root"])
    team.manager = people["max"] = make_user("max", Role.IRO_MANAGER, team)
    team.save(update_fields=["manager"])


def test_a_long_plan_goes_to_the_iro_managers_for_its_chairs_team_only(child, people, org, names):
    _second_iro_team(people, org)
    org["iro_team"].manager = people["mandy"]
    org["iro_team"].save(update_fields=["manager"])
    plan = held_with_plan(child, people, chair="alice").cp_plan
    assert _scan_twice("CP-14", add_months(plan.start_date, 15), names) == 2
    assert recipients_of("CP-14") == {"alice": {"15m"}, "mandy": {"15m"}}


def test_a_long_plan_goes_to_every_iro_manager_when_none_is_for_its_chairs_team(
    child, people, org, names
):
    _second_iro_team(people, org)
    team = TeamFactory(name="IRO Team 3", parent=org["root"])  # no IRO service manager
    people["ivy"] = make_user("ivy", Role.IRO, team)
    plan = held_with_plan(child, people, chair="ivy").cp_plan
    assert _scan_twice("CP-14", add_months(plan.start_date, 15), names) == 3
    assert recipients_of("CP-14") == {"ivy": {"15m"}, "mandy": {"15m"}, "max": {"15m"}}


def test_a_hidden_child_gives_nobody_a_conference_reminder(child, people, names):
    conference = held_with_plan(child, people)
    child.restricted = True
    child.save(update_fields=["restricted"])
    assert scan_checked("CP-OUTCOME", conference.outcome_due, secrets=names) == 0


def test_booked_conferences_are_in_the_chairs_calendar_and_day(child, people):
    conference = booked(requested_icpc(child, people), people, day=ICPC_DUE, where=room("Blue"))
    [meeting] = meetings_for(people["mandy"])
    assert (meeting.reference, meeting.place) == (f"Conference {conference.reference}", "Blue")
    assert meeting.starts == at(ICPC_DUE)
    day = meetings_chaired_on(
        [(people["mandy"].pk, ICPC_DUE), (people["alice"].pk, ICPC_DUE)], viewer=people["betty"]
    )
    assert list(day) == [(people["mandy"].pk, ICPC_DUE)]
    assert meetings_for(people["alice"]) == []


def test_meetings_are_read_for_the_person_and_day_pairs_asked_only(child, people):
    booked(requested_icpc(child, people), people, day=ICPC_DUE)  # mandy chairs it
    other_day = ICPC_DUE + timedelta(days=1)
    asked = [(people["mandy"].pk, other_day), (people["alice"].pk, ICPC_DUE)]
    assert meetings_chaired_on(asked, viewer=people["betty"]) == {}
    asked.append((people["mandy"].pk, ICPC_DUE))
    assert list(meetings_chaired_on(asked, viewer=people["betty"])) == [
        (people["mandy"].pk, ICPC_DUE)
    ]
