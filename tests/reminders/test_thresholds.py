"""Every registered reminder rule fires exactly at each of its thresholds, and not before:
"now" is moved with time-machine to just before, at and just after each threshold, the scan
reads its own "today" (the London date, ``reminders.clock``), and the thresholds fall beside
England's bank holidays (Christmas and Boxing Day 2026, Easter 2027) and across the clock
changes (BST from 29 March 2026, GMT from 25 October 2026).

Near midnight the UTC and London dates differ in summer: 23:30 UTC on a day in BST is 00:30
the next day in London, so the "at" instant of a threshold in BST is 23:30 UTC the day before
and the "before" instant of one in GMT is 23:30 UTC the day before.

``CASES`` holds one entry per rule code: a rule registered without one fails
``test_every_registered_rule_has_a_threshold_case``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from audits.models import AuditQuestion, AuditRecommendation, AuditTemplate, AuditTemplateVersion
from audits.seed import seed_templates
from challenges import services as challenge_services
from challenges import workflow
from challenges.decisions import challenge_request_approval
from challenges.models import (
    Challenge,
    ChallengeReason,
    Clinic,
    ClinicAction,
    ClinicItem,
    RecoveryAction,
)
from children.models import AccessReason, Child, ChildProtectionPlan, PeriodOfCare
from conferences.models import AgencyReport, Conference
from people.models import Team, User
from people.roles import Role
from reminders import builtin, clock, registry
from reminders.models import Reminder
from reminders.services import rule_scan
from retention.models import DestructionRequest
from reviews.models import Decision, Review
from tests.audits.factories import completed_audit, held_review
from tests.conftest import make_user
from tests.factories import ChildFactory
from tests.reminders.helpers import period_due, s47_due
from timescales.calendar import add_months
from timescales.sequences import next_core_group, plan_milestones
from timescales.services import rule_books, working_calendar

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON)


def instants(fires: date) -> dict[str, datetime]:
    """Just before (23:30 the evening before), at (00:30) and just after (23:30 that
    evening) the London day a threshold fires on."""
    return {
        "before": london(fires - timedelta(days=1), time(23, 30)),
        "at": london(fires, time(0, 30)),
        "after": london(fires, time(23, 30)),
    }


# --- the days around which each rule is tried ------------------------------------------------


def _days(days: str) -> dict[str, date]:
    """The London day each threshold fires on, counted by hand on the GOV.UK list of England
    and Wales bank holidays (never by the calendar code under test), for the labels
    -15wd -10wd -5wd -3wd -2wd 0 +1wd +2wd week1 in that order."""
    labels = ("-15wd", "-10wd", "-5wd", "-3wd", "-2wd", "0", "+1wd", "+2wd", "week1")
    return {label: date.fromisoformat(day) for label, day in zip(labels, days.split(), strict=True)}


KNOWN: dict[str, dict[str, date]] = {
    # Due Thu 24 Dec 2026: Christmas Day is Fri 25, Boxing Day (Sat 26) is observed on
    # Mon 28, so 1 WD after is Tue 29 Dec; a week after is New Year's Eve.
    "christmas-eve-2026": _days(
        "2026-12-03 2026-12-10 2026-12-17 2026-12-21 2026-12-22"
        " 2026-12-24 2026-12-29 2026-12-30 2026-12-31"
    ),
    # Due Tue 29 Dec 2026: 1 WD before is Thu 24 Dec, 2 WD before Wed 23 Dec.
    "after-boxing-day-2026": _days(
        "2026-12-04 2026-12-11 2026-12-18 2026-12-22 2026-12-23"
        " 2026-12-29 2026-12-30 2026-12-31 2027-01-05"
    ),
    # Due Thu 25 Mar 2027: Good Friday 26 Mar and Easter Monday 29 Mar, so 1 WD after is
    # Tue 30 Mar.
    "before-easter-2027": _days(
        "2027-03-04 2027-03-11 2027-03-18 2027-03-22 2027-03-23"
        " 2027-03-25 2027-03-30 2027-03-31 2027-04-01"
    ),
    # Due Tue 30 Mar 2027, the day after Easter Monday: 1 WD before is Thu 25 Mar.
    "after-easter-2027": _days(
        "2027-03-05 2027-03-12 2027-03-19 2027-03-23 2027-03-24"
        " 2027-03-30 2027-03-31 2027-04-01 2027-04-06"
    ),
    # Due Mon 30 Mar 2026, the first weekday in BST (clocks went forward on Sun 29 Mar):
    # London midnight is 23:00 UTC; the thresholds before it fall in GMT; a week after is
    # Easter Monday 6 Apr 2026.
    "bst-starts-2026": _days(
        "2026-03-09 2026-03-16 2026-03-23 2026-03-25 2026-03-26"
        " 2026-03-30 2026-03-31 2026-04-01 2026-04-06"
    ),
    # Due Mon 26 Oct 2026, the first weekday in GMT again (clocks went back on Sun 25 Oct):
    # the thresholds before it fall in BST.
    "gmt-returns-2026": _days(
        "2026-10-05 2026-10-12 2026-10-19 2026-10-21 2026-10-22"
        " 2026-10-26 2026-10-27 2026-10-28 2026-11-02"
    ),
}
SCENARIOS: dict[str, date] = {name: days["0"] for name, days in KNOWN.items()}


@dataclass(frozen=True)
class Event:
    """A reminder row the scan must insert: from London day ``fires``, key (due, label)."""

    fires: date
    due: date
    label: str


@dataclass
class World:
    people: dict[str, User]
    org: dict[str, Team]
    child: Child
    monkeypatch: pytest.MonkeyPatch


def threshold_events(code: str, scenario: str) -> list[Event]:
    """Each threshold of the rule for an item due on the scenario's day, firing on the day
    counted by hand (the first week of a weekly one), in the order they fire."""
    days = KNOWN[scenario]
    events = []
    for threshold in registry.get(code).thresholds:
        label = "week1" if threshold.kind == "weekly" else threshold.label
        events.append(Event(days[label], days["0"], label))
    return sorted(events, key=lambda event: event.fires)


@dataclass(frozen=True)
class Case:
    """How to make one open item of a rule due on a given day, who must be reminded, and
    (for rules not driven by thresholds on a due date) which rows to expect."""

    seed: Callable[[date, World], None]
    recipient: str
    events: Callable[[str, str], list[Event]] = threshold_events
    scenarios: tuple[str, ...] = field(default=tuple(SCENARIOS))


# --- seeds: one open item due on ``due`` ---------------------------------------------------


def _allocation(due: date, world: World) -> None:
    period_due(world.child, due)


def _care_check_due(prefix: str, rule_id: str) -> Callable[[date, World], None]:
    """An open period of care whose next health assessment or PEP is due on ``due``."""

    def seed(due: date, world: World) -> None:
        start = date(due.year - 1, 1, 1)
        PeriodOfCare.objects.create(
            child=world.child,
            start_date=start,
            iro_allocation_due=start + timedelta(days=7),
            iro_allocated_on=start,
            **{f"{prefix}_rule": rule_id, f"{prefix}_clock_start": start, f"{prefix}_due": due},
        )

    return seed


def _icpc(due: date, world: World) -> None:
    s47_due(world.child, due)


def _caseload(due: date, world: World) -> None:
    ChildFactory.create_batch(71, iro=world.people["alice"], team=world.org["team"])


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _caseload_events(code: str, scenario: str) -> list[Event]:
    """CLA-16 repeats weekly while the caseload stays high: a new row each Monday (for the
    Christmas scenario the Boxing Day holiday, for Easter 2027 Easter Monday)."""
    monday = _monday_on_or_after(SCENARIOS[scenario])
    return [Event(monday, monday, "above")]


def _calendar_ends_2027(due: date, world: World) -> None:
    """The bank-holiday data stops at the end of 2027: the warning starts 12 months before."""
    make_user("adam", Role.SYSTEM_ADMIN)
    world.monkeypatch.setattr(builtin, "HOLIDAY_YEARS", range(2000, 2028))


def _calendar_events(code: str, scenario: str) -> list[Event]:
    # From New Year's Day 2027 (a bank holiday; London is on GMT, so midnight is 00:00 UTC).
    return [Event(date(2027, 1, 1), date(2027, 12, 31), "12m")]


def _access_reason(due: date, world: World) -> None:
    make_user("ivy", Role.IG_OFFICER)
    AccessReason.objects.create(
        child=world.child,
        user=world.people["olga"],
        roles="Head of service",
        reason="To check a referral.",
        given_on=due,
        expires_at=london(due, time(12)),
    )


def _review(due: date, world: World, **fields: object) -> Review:
    held = None if not fields else due - timedelta(days=7)
    return held_review(world.child, due=due if held is None else held, held=held, **fields)


def _review_due(due: date, world: World) -> None:
    _review(due, world)


def _decisions_due(due: date, world: World) -> None:
    _review(due, world, decisions_due=due)


def _record_due(due: date, world: World) -> None:
    _review(due, world, record_due=due)


def _decision_due(due: date, world: World) -> None:
    review = _review(due, world, decisions_circulated_on=due, record_completed_on=due)
    Decision.objects.create(
        review=review, text="Book the PEP", owner=world.people["sarah"], due_date=due
    )


def _conference(due: date, world: World, status: str, **fields: object) -> Conference:
    start = fields.pop("scheduled_start", None)
    return Conference.objects.create(
        child=world.child,
        conference_type=Conference.Type.RCPC,
        rule_id="CP-6",
        clock_start=due - timedelta(days=90),
        original_due_date=due,
        status=status,
        chair=world.people["mandy"],
        scheduled_start=start,
        **fields,
    )


def _conference_requested(due: date, world: World) -> None:
    _conference(due, world, Conference.Status.REQUESTED)


def _conference_booked(due: date, world: World) -> Conference:
    return _conference(
        due, world, Conference.Status.SCHEDULED, scheduled_start=london(due, time(10))
    )


def _conference_booked_only(due: date, world: World) -> None:
    _conference_booked(due, world)


def _outcome_due(due: date, world: World) -> None:
    _conference(due, world, Conference.Status.HELD, held_on=due, outcome_due=due)


def _minutes_due(due: date, world: World) -> None:
    _conference(due, world, Conference.Status.HELD, held_on=due, minutes_due=due)


def _report_due(due: date, world: World) -> None:
    conference = _conference_booked(due + timedelta(days=7), world)
    AgencyReport.objects.create(
        conference=conference,
        agency="police",
        requested_on=due - timedelta(days=14),
        rule_id="CP-10",
        due_date=due,
    )


def _plan(world: World, start: date) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        child=world.child, start_date=start, initial_categories=["NEG"], latest_categories=["NEG"]
    )


def _core_group_due(due: date, world: World) -> None:
    """An open plan whose first core group (CP-4: 10 WD after the plan starts) is due."""
    calendar = working_calendar()
    start = calendar.subtract_working_days(due, 10)
    _plan(world, start)
    deadline = next_core_group(
        icpc=start, core_groups_held=[], rules=rule_books()(start), calendar=calendar
    )
    assert deadline.due == due


def _plan_fifteen_months(due: date, world: World) -> None:
    start = add_months(due, -15)
    _plan(world, start)
    milestones = plan_milestones(
        plan_start=start, rules=rule_books()(start), calendar=working_calendar()
    )
    assert min(milestone.due for milestone in milestones) == due


def _plan_events(code: str, scenario: str) -> list[Event]:
    """CP-14: the plan reaches 15 months on the scenario's day."""
    due = SCENARIOS[scenario]
    return [Event(due, due, "15m")]


def _challenge(world: World) -> Challenge:
    return challenge_services.challenge_raise(
        children=[world.child],
        reasons=ChallengeReason.objects.filter(code="drift-delay"),
        what_is_wrong="The permanence plan is late.",
        impact_on_child="Uncertainty.",
        what_must_happen="A plan at the next review.",
        by=world.people["alice"],
    )


def _response_due(due: date, world: World) -> None:
    stage = _challenge(world).current
    stage.response_due = due
    stage.save(update_fields=["response_due"])


def _approval_asked(due: date, world: World) -> None:
    """Asked at 00:30 London time on ``due`` (23:30 UTC the day before in summer): the rule
    reads the London day it was asked."""
    approval = challenge_request_approval(
        challenge=_challenge(world),
        target_stage=workflow.STAGE_3,
        reason="No progress in two stages",
        skipped_reason="Urgent",
        by=world.people["alice"],
    )
    approval.requested_at = london(due, time(0, 30))
    approval.save(update_fields=["requested_at"])


def _action_due(due: date, world: World) -> None:
    challenge = _challenge(world)
    RecoveryAction.objects.create(
        challenge=challenge,
        stage=challenge.current,
        text="Book the meeting",
        owner=world.people["sarah"],
        due_date=due,
    )


def _clinic_action_due(due: date, world: World) -> None:
    clinic = Clinic.objects.create(
        reference="CL-1",
        starts_at=london(date(2025, 7, 1), time(10)),
        ends_at=london(date(2025, 7, 1), time(12)),
        chair=world.people["mandy"],
        scheduled_by=world.people["mandy"],
        status=Clinic.Status.HELD,
        held_on=date(2025, 7, 1),
    )
    clinic.children.add(world.child)
    item = ClinicItem.objects.create(clinic=clinic, child=world.child, finding="Drift.")
    ClinicAction.objects.create(
        clinic=clinic, item=item, text="Book the meeting", owner=world.people["sarah"], due_date=due
    )


def _destruction_asked(due: date, world: World) -> None:
    asker = make_user("ivy", Role.IG_OFFICER)
    make_user("igor", Role.IG_OFFICER)
    DestructionRequest.objects.create(
        child=world.child, reason="Past retention", requested_by=asker, requested_on=due
    )


def _recommendation_due(due: date, world: World) -> None:
    # The audit templates come from a data migration that a browser test's flush removes.
    seed_templates(AuditTemplate, AuditTemplateVersion, AuditQuestion)
    review = held_review(world.child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = completed_audit(world.people["alice"], review=review, pep_available="no")
    AuditRecommendation.objects.create(
        audit=audit,
        text="Put the PEP in place.",
        owner=world.people["sarah"],
        owner_role=AuditRecommendation.OwnerRole.SOCIAL_WORKER,
        created_by=world.people["alice"],
        due_date=due,
    )


CASES: dict[str, Case] = {
    "CLA-11": Case(_allocation, "mandy"),
    "CP-1": Case(_icpc, "betty"),
    "CLA-16": Case(_caseload, "mandy", events=_caseload_events),
    "CAL-12M": Case(
        _calendar_ends_2027, "adam", events=_calendar_events, scenarios=("after-boxing-day-2026",)
    ),
    "IG-ACCESS": Case(_access_reason, "ivy"),
    "REV-BOOK": Case(_review_due, "betty"),
    "REV-DUE": Case(_review_due, "alice"),
    "CLA-13": Case(_decisions_due, "betty"),
    "CLA-14": Case(_record_due, "alice"),
    "REV-DECISION": Case(_decision_due, "sarah"),
    "CONF-BOOK": Case(_conference_requested, "betty"),
    "CONF-OVERDUE": Case(_conference_booked_only, "mandy"),
    "CP-OUTCOME": Case(_outcome_due, "betty"),
    "CP-MINUTES": Case(_minutes_due, "mandy"),
    "CP-10": Case(_report_due, "betty"),
    "CP-CORE": Case(_core_group_due, "sarah"),
    "CP-14": Case(_plan_fifteen_months, "mandy", events=_plan_events),
    "DR-DUE": Case(_response_due, "terry"),
    "DR-OVERDUE": Case(_response_due, "helen"),
    "DR-ESCALATE": Case(_response_due, "alice"),
    "DR-APPROVAL": Case(_approval_asked, "mandy"),
    "DR-ACTION": Case(_action_due, "sarah"),
    "DR-CLINIC-ACTION": Case(_clinic_action_due, "sarah"),
    "RET-APPROVE": Case(_destruction_asked, "igor"),
    "AUD-REC": Case(_recommendation_due, "sarah"),
    "HEALTH-DUE": Case(_care_check_due("health_assessment", "H-2"), "alice"),
    "PEP-DUE": Case(_care_check_due("pep", "E-1-REVIEW"), "sarah"),
}


def test_every_registered_rule_has_a_threshold_case():
    """A new rule needs an entry in CASES (how to seed it, who gets it)."""
    assert set(CASES) == {rule.code for rule in registry.rules()}


def _has(user: User, code: str, event: Event) -> bool:
    return Reminder.objects.filter(
        rule=code, recipient=user, due_date=event.due, threshold=event.label
    ).exists()


@pytest.mark.parametrize(
    ("code", "scenario"),
    [(code, scenario) for code, case in CASES.items() for scenario in case.scenarios],
)
def test_each_threshold_fires_exactly_on_its_london_day(
    code, scenario, people, org, child, monkeypatch
):
    case = CASES[code]
    due = SCENARIOS[scenario]
    world = World(people=people, org=org, child=child, monkeypatch=monkeypatch)
    case.seed(due, world)
    recipient = User.objects.get(email=f"{case.recipient}@staff.example.org")
    events = case.events(code, scenario)
    assert events
    for event in events:
        moments = instants(event.fires)
        with time_machine.travel(moments["before"], tick=False):
            rule_scan(code)
        assert not _has(recipient, code, event), f"{event} fired before {moments['before']}"
        with time_machine.travel(moments["at"], tick=False):
            assert rule_scan(code).inserted >= 1
        assert _has(recipient, code, event), f"{event} did not fire at {moments['at']}"
        with time_machine.travel(moments["after"], tick=False):
            assert rule_scan(code).inserted == 0, f"{event} fired again at {moments['after']}"


# --- "today" is the London date ---------------------------------------------------------------


def test_the_service_keeps_london_time():
    assert settings.TIME_ZONE == "Europe/London"


@pytest.mark.parametrize(
    ("utc", "london_day"),
    [
        # Sat 28 Mar 2026, GMT: the London date is the UTC date.
        (datetime(2026, 3, 28, 23, 30), date(2026, 3, 28)),
        # Sun 29 Mar 2026 00:30 UTC, before the change at 01:00 UTC: still GMT.
        (datetime(2026, 3, 29, 0, 30), date(2026, 3, 29)),
        # Sun 29 Mar 2026 23:30 UTC is 00:30 BST on Monday 30 March.
        (datetime(2026, 3, 29, 23, 30), date(2026, 3, 30)),
        # Sat 24 Oct 2026 23:30 UTC is 00:30 BST on Sunday 25 October.
        (datetime(2026, 10, 24, 23, 30), date(2026, 10, 25)),
        # Sun 25 Oct 2026 23:30 UTC, after the change back: 23:30 GMT, still Sunday.
        (datetime(2026, 10, 25, 23, 30), date(2026, 10, 25)),
        # Christmas Eve 2026 23:30 UTC (GMT): still Christmas Eve.
        (datetime(2026, 12, 24, 23, 30), date(2026, 12, 24)),
    ],
)
def test_the_scans_today_is_the_london_date(utc, london_day):
    with time_machine.travel(utc.replace(tzinfo=ZoneInfo("UTC")), tick=False):
        assert clock.today() == london_day
        # Whatever time zone a caller has switched on, the scan's day is London's.
        with timezone.override(ZoneInfo("UTC")):
            assert clock.today() == london_day
