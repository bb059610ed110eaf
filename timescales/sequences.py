"""What is due next, worked out from the dates already stored (DOMAIN.md section 11).

Pure functions: they take stored event dates, the ``RuleBook`` in force and the
``WorkingCalendar``, and return a ``Deadline`` naming the rule, the start event and both
dates. They never read the clock: whether a deadline is met, late or overdue is
``rules.assess``'s job. Lists of held events may be unsorted and may include events from
before the clock started (a previous period of care or plan); those are ignored.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from timescales.calendar import WorkingCalendar, add_months
from timescales.rules import RuleBook, due_date


@dataclass(frozen=True)
class Deadline:
    """The next due date under one rule, and the event that started its clock."""

    rule_id: str
    start_event: str
    start: date
    due: date


class VisitRegime(StrEnum):
    """Which visiting rules apply to a child in care's placement (V-1..V-7)."""

    STANDARD = "standard"  # V-1, V-2, V-3: CPPCR 2010 reg 28(2)
    PARENT_PENDING_ASSESSMENT = "parent_pending_assessment"  # V-4: reg 28(3), reg 19
    CONNECTED_PERSON_OR_ICO_AT_HOME = "connected_person_or_ico_at_home"  # V-5: reg 28(4)
    CARE_ORDER_AT_HOME = "care_order_at_home"  # V-6: reg 28(5)
    ADOPTIVE_PLACEMENT = "adoptive_placement"  # V-7: AAR 2005 reg 36(4)


def _deadline(rule_id: str, start: date, rules: RuleBook, calendar: WorkingCalendar) -> Deadline:
    rule = rules[rule_id]
    return Deadline(rule_id, rule.start_event, start, due_date(rule, start, calendar))


def _held_since(start: date, held: Sequence[date]) -> list[date]:
    """Distinct events on or after ``start``, oldest first."""
    # Events before the clock started belong to an earlier period of care or plan
    # (CLA-5), and two records of one day are one event, not two reviews.
    return sorted({d for d in held if d >= start})


def _next_in_series(
    *,
    start: date,
    held: Sequence[date],
    first: str,
    second: str,
    later: str,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """The first event is due from ``start``, the second from the first, later ones from
    the latest held; any event actually held counts, however early (CLA-4)."""
    events = _held_since(start, held)
    if not events:
        return _deadline(first, start, rules, calendar)
    if len(events) == 1:
        return _deadline(second, events[0], rules, calendar)
    return _deadline(later, events[-1], rules, calendar)


# Children in care reviews ---------------------------------------------------------------


def next_cla_review(
    *,
    period_start: date,
    reviews_held: Sequence[date],
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """Next review of a child in care (CPPCR 2010 reg 33).

    CLA-1: first review within 20 WD of becoming looked after (reg 33(1)); CLA-2: second
    not more than 3 months after the first; CLA-3: later ones not more than 6 months after
    the previous (reg 33(2)). Only reviews held on or after ``period_start`` count, so a
    new period of care restarts the sequence (CLA-5); an early or extra review is simply
    the previous review (CLA-4).
    """
    return _next_in_series(
        start=period_start,
        held=reviews_held,
        first="CLA-1",
        second="CLA-2",
        later="CLA-3",
        rules=rules,
        calendar=calendar,
    )


def next_short_break_review(
    *,
    first_break_start: date,
    reviews_held: Sequence[date],
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """Next short-break review (CLA-6, CPPCR 2010 reg 48): first within 3 months of the
    first short break, then not more than 6 months after the previous (CLA-6-LATER)."""
    return _next_in_series(
        start=first_break_start,
        held=reviews_held,
        first="CLA-6",
        second="CLA-6-LATER",
        later="CLA-6-LATER",
        rules=rules,
        calendar=calendar,
    )


def next_adoption_review(
    *,
    start: date,
    reviews_held: Sequence[date],
    placed: bool,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """Next adoption review (AAR 2005 reg 36).

    Not yet placed (``start`` = authority to place first given): CLA-7 3 months, then
    CLA-7-LATER 6 months after the previous. Placed (``start`` = placement date): CLA-8
    4 weeks, CLA-8-SECOND 3 months after that, then CLA-8-LATER 6 months after the
    previous. Reviews before ``start`` are ignored, so placement restarts the series.
    """
    first, second, later = (
        ("CLA-8", "CLA-8-SECOND", "CLA-8-LATER")
        if placed
        else ("CLA-7", "CLA-7-LATER", "CLA-7-LATER")
    )
    return _next_in_series(
        start=start,
        held=reviews_held,
        first=first,
        second=second,
        later=later,
        rules=rules,
        calendar=calendar,
    )


def review_record_deadlines(
    *, review_held: date, rules: RuleBook, calendar: WorkingCalendar
) -> tuple[Deadline, Deadline]:
    """CLA-13: decisions circulated within 5 WD of the review; CLA-14: full record within
    20 WD (IRO Handbook; local amounts)."""
    return (
        _deadline("CLA-13", review_held, rules, calendar),
        _deadline("CLA-14", review_held, rules, calendar),
    )


def record_sign_off_due(*, received: date, rules: RuleBook, calendar: WorkingCalendar) -> Deadline:
    """CLA-15: the team manager contests the decisions or signs off the record within
    5 WD of receiving them (local)."""
    return _deadline("CLA-15", received, rules, calendar)


def iro_notification_due(
    *, became_looked_after: date, rules: RuleBook, calendar: WorkingCalendar
) -> Deadline:
    """CLA-10: IRO service told of a new child in care within 2 WD (local)."""
    return _deadline("CLA-10", became_looked_after, rules, calendar)


def iro_allocation_due(
    *, became_looked_after: date, rules: RuleBook, calendar: WorkingCalendar
) -> Deadline:
    """CLA-11: IRO allocated within 5 WD of becoming looked after (local)."""
    return _deadline("CLA-11", became_looked_after, rules, calendar)


def _age_on(born: date, day: date) -> int:
    """Completed years on ``day`` (born on 29 February: a year older on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def next_health_assessment(
    *,
    period_start: date,
    assessments: Sequence[date],
    date_of_birth: date | None,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """Next health assessment of a child in care.

    H-1: the initial assessment within 20 WD of becoming looked after, in time for the
    first review. H-2 (CPPCR 2010 reg 7, via LA summaries): a review assessment 6 months
    after the previous one if the child was under 5 on the day of that assessment
    (H-2-UNDER-5), else 12 months. The age on the day of the previous assessment picks the
    interval, so a child assessed at 4 is due again 6 months later even if 5 by then; with
    no date of birth the shorter interval applies. Only assessments on or after
    ``period_start`` count, so a new period of care restarts at H-1.
    """
    held = _held_since(period_start, assessments)
    if not held:
        return _deadline("H-1", period_start, rules, calendar)
    latest = held[-1]
    under_five = date_of_birth is None or _age_on(date_of_birth, latest) < 5
    return _deadline("H-2-UNDER-5" if under_five else "H-2", latest, rules, calendar)


def next_pep(
    *,
    period_start: date,
    peps: Sequence[date],
    date_of_birth: date | None,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline | None:
    """Next personal education plan of a child in care, or None when none is due.

    A PEP is part of the care plan of a child of compulsory school age, and virtual schools
    extend it to early years and up to 18 ("Promoting the education of looked-after and
    previously looked-after children", DfE 2018). The ages are local rules counted from the
    date of birth: E-1-FROM-AGE (default 3) and E-1-END-AGE (default 18).

    E-1: a PEP within 10 WD of becoming looked after (an emergency placement), so that it
    is available for the first review; a child younger than E-1-FROM-AGE then has none due
    until that birthday, when E-1's clock starts instead. E-1-REVIEW (local, default 4
    months: "reviewed termly"): each later PEP from the previous one. Only PEPs on or after
    the day the clock started count, so a new period of care restarts at E-1 and a PEP
    before the starting birthday does not stand for the first one. None when no date of
    birth is known (an unborn child) or when the PEP would fall due on or after the
    E-1-END-AGE birthday.
    """
    if date_of_birth is None:
        return None
    starts = max(period_start, due_date(rules["E-1-FROM-AGE"], date_of_birth, calendar))
    deadline = _next_in_series(
        start=starts,
        held=peps,
        first="E-1",
        second="E-1-REVIEW",
        later="E-1-REVIEW",
        rules=rules,
        calendar=calendar,
    )
    if deadline.due >= due_date(rules["E-1-END-AGE"], date_of_birth, calendar):
        return None
    return deadline


# Visits to children in care -------------------------------------------------------------


def next_cla_visit(
    *,
    placement_start: date,
    visits: Sequence[date],
    regime: VisitRegime,
    first_review: date | None,
    long_term: bool,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline | None:
    """Next statutory visit to a child in care (CPPCR 2010 reg 28, AAR 2005 reg 36(4)).

    ``placement_start`` is the start of the placement (for CARE_ORDER_AT_HOME, the date of
    the care order); visits before it belong to an earlier placement and are ignored.
    ``first_review`` is the first review held since the placement started, or None.
    ``long_term`` means the placement is intended to last until the child is 18 (V-3).
    Returns None only for an adoptive placement after its first review, when the
    frequency is whatever that review set (V-7).
    """
    held = _held_since(placement_start, visits)
    match regime:
        case VisitRegime.STANDARD:
            return _standard_visit(placement_start, held, long_term, rules, calendar)
        case VisitRegime.PARENT_PENDING_ASSESSMENT:
            weekly, after_review = "V-4", "V-4-LATER"
        case VisitRegime.CONNECTED_PERSON_OR_ICO_AT_HOME:
            weekly, after_review = "V-5", "V-5-LATER"
        case VisitRegime.CARE_ORDER_AT_HOME:
            return _next_in_series(
                start=placement_start,
                held=held,
                first="V-6",
                second="V-6-LATER",
                later="V-6-LATER",
                rules=rules,
                calendar=calendar,
            )
        case VisitRegime.ADOPTIVE_PLACEMENT:
            weekly, after_review = "V-7", None
        case _:
            raise ValueError(f"unknown visit regime: {regime!r}")
    return _weekly_until_review(
        placement_start=placement_start,
        held=held,
        first_review=first_review,
        weekly=weekly,
        after_review=after_review,
        rules=rules,
        calendar=calendar,
    )


def _standard_visit(
    placement_start: date,
    held: list[date],
    long_term: bool,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """V-1 within a week of the placement; V-2 every 6 weeks in its first year; after it,
    V-3 every 3 months if intended to last until 18, else V-3-OTHER every 6 weeks."""
    if not held:
        return _deadline("V-1", placement_start, rules, calendar)
    latest = held[-1]
    # An interval that starts inside the first year is a first-year interval: the
    # stricter 6 weeks applies even if it ends after the anniversary.
    if latest < add_months(placement_start, 12):
        return _deadline("V-2", latest, rules, calendar)
    return _deadline("V-3" if long_term else "V-3-OTHER", latest, rules, calendar)


def _weekly_until_review(
    *,
    placement_start: date,
    held: list[date],
    first_review: date | None,
    weekly: str,
    after_review: str | None,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline | None:
    """Weekly visits until the first review, then the longer interval (V-4, V-5, V-7)."""
    if not held:
        return _deadline(weekly, placement_start, rules, calendar)
    latest = held[-1]
    next_weekly = _deadline(weekly, latest, rules, calendar)
    # The weekly duty lasts until the first review: a weekly visit falling due on or
    # before that review is still owed, one falling after it is not.
    if first_review is None or next_weekly.due <= first_review:
        return next_weekly
    if after_review is None:
        return None
    return _deadline(after_review, latest, rules, calendar)


# Child protection -----------------------------------------------------------------------


def icpc_due(*, strategy_discussion: date, rules: RuleBook, calendar: WorkingCalendar) -> Deadline:
    """CP-1: initial child protection conference within 15 WD of the strategy discussion
    at which the s47 enquiry started (Working Together)."""
    return _deadline("CP-1", strategy_discussion, rules, calendar)


def transfer_in_due(*, notified: date, rules: RuleBook, calendar: WorkingCalendar) -> Deadline:
    """CP-9: transfer-in conference within 15 WD of notification of the permanent move."""
    return _deadline("CP-9", notified, rules, calendar)


def next_core_group(
    *,
    icpc: date,
    core_groups_held: Sequence[date],
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """CP-4: first core group within 10 WD of the ICPC; CP-5: later ones every 4 weeks
    (local) from the previous one. Core groups before the ICPC are ignored."""
    return _next_in_series(
        start=icpc,
        held=core_groups_held,
        first="CP-4",
        second="CP-5",
        later="CP-5",
        rules=rules,
        calendar=calendar,
    )


def next_rcpc(
    *,
    icpc: date,
    rcpcs_held: Sequence[date],
    birth: date | None = None,
    pre_birth: bool = False,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """Next review child protection conference.

    CP-6: first within 3 months of the ICPC; CP-7: later ones within 6 months of the
    previous (Working Together). CP-8 (local): for a plan made before birth, once the
    birth date is known the first RCPC is due by the sooner of ICPC + 3 months (CP-6) and
    birth + 10 WD (CP-8); on a tie CP-6 is named. Without a birth date CP-6 applies.
    """
    awaiting_first = not _held_since(icpc, rcpcs_held)
    if awaiting_first and pre_birth and birth is not None:
        by_icpc = _deadline("CP-6", icpc, rules, calendar)
        by_birth = _deadline("CP-8", birth, rules, calendar)
        return by_birth if by_birth.due < by_icpc.due else by_icpc
    return _next_in_series(
        start=icpc,
        held=rcpcs_held,
        first="CP-6",
        second="CP-7",
        later="CP-7",
        rules=rules,
        calendar=calendar,
    )


def conference_report_due(
    *, conference_date: date, initial: bool, rules: RuleBook, calendar: WorkingCalendar
) -> Deadline:
    """CP-10 (local): reports to parents and chair 2 WD before an initial conference
    (CP-10-ICPC) or 5 WD before a review conference (CP-10-RCPC), counted back from the
    conference date with ``subtract_working_days``."""
    rule_id = "CP-10-ICPC" if initial else "CP-10-RCPC"
    return _deadline(rule_id, conference_date, rules, calendar)


def conference_record_deadlines(
    *, conference_held: date, rules: RuleBook, calendar: WorkingCalendar
) -> tuple[Deadline, Deadline]:
    """CP-OUTCOME: outcome and decisions to attendees within 1 WD; CP-MINUTES: minutes
    within 20 WD (local, DOMAIN.md decided defaults)."""
    return (
        _deadline("CP-OUTCOME", conference_held, rules, calendar),
        _deadline("CP-MINUTES", conference_held, rules, calendar),
    )


def plan_milestones(
    *, plan_start: date, rules: RuleBook, calendar: WorkingCalendar
) -> tuple[Deadline, ...]:
    """CP-14 plan-duration flags: 15 months, 18 months and 2 years after the plan started
    (local; 2 years is the DfE D7 band)."""
    return tuple(
        _deadline(rule_id, plan_start, rules, calendar)
        for rule_id in ("CP-14-15M", "CP-14-18M", "CP-14-2Y")
    )


def next_cp_visit(
    *,
    plan_start: date,
    visits: Sequence[date],
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> Deadline:
    """CP-11 (local): statutory visit every 10 WD, from the plan start and then from the
    previous visit. Visits before the plan started are ignored."""
    return _next_in_series(
        start=plan_start,
        held=visits,
        first="CP-11",
        second="CP-11",
        later="CP-11",
        rules=rules,
        calendar=calendar,
    )


# Issues Resolution Process --------------------------------------------------------------


def stage_response_due(
    *, raised: date, informal: bool, rules: RuleBook, calendar: WorkingCalendar
) -> Deadline:
    """DR-1: response to an informal issue within 10 WD; DR-2: response at each formal
    stage within 5 WD of that stage being raised (both local)."""
    return _deadline("DR-1" if informal else "DR-2", raised, rules, calendar)


def formal_process_due(
    *, formal_start: date, rules: RuleBook, calendar: WorkingCalendar
) -> Deadline:
    """DR-3: the whole formal process within 20 WD of formal stage 1 being raised (IRO
    Handbook 6.2)."""
    return _deadline("DR-3", formal_start, rules, calendar)
