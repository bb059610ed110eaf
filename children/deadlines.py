"""Every current statutory deadline of one child, each judged the same way.

Each app contributes the deadlines it owns through a provider registered here (the children
app: CLA-11 IRO allocation, CP-1 initial conference, CP plan duration milestones; reviews
and conferences add theirs). A provider returns ``ChildDeadline`` rows built with
``deadline_row``, so status and days late always come from ``timescales.rules.assess``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from children.models import CareCheck, Child, PeriodOfCare, Visit
from children.selectors import ChildRecord, child_record
from timescales.calendar import WorkingCalendar
from timescales.rules import DeadlineStatus, Rule, RuleBook, assess
from timescales.sequences import (
    Deadline,
    VisitRegime,
    next_cla_visit,
    next_cp_visit,
    next_health_assessment,
    next_pep,
    plan_milestones,
)
from timescales.services import RuleBooks, calendar_and_rule_books

# Deadlines met within this many days stay on the list, so a recent met or late shows.
RECENT_DAYS = 365
# The episode that starts a placement (ANNUAL-REPORT-METRICS.md: RNE S, P, B, T or U).
PLACEMENT_STARTS = ("S", "P", "B", "T", "U")
# Long-term fostering: intended to last until the child is 18 (V-3).
LONG_TERM_PLACEMENTS = frozenset({"U1", "U4"})


@dataclass(frozen=True)
class ChildDeadline:
    rule: Rule
    start_event: str
    start: date
    due: date
    done: date | None
    status: DeadlineStatus
    days_late: int | None


@dataclass(frozen=True)
class DeadlineContext:
    """What every provider needs: the London date, the calendar and the rule books."""

    today: date
    calendar: WorkingCalendar
    books: RuleBooks

    def row(self, rule_id: str, start: date, due: date, done: date | None) -> ChildDeadline:
        """Judge one deadline; the rule is the one in force when its clock started."""
        rule = self.books(start)[rule_id]
        verdict = assess(
            due=due, done=done, today=self.today, unit=rule.unit, calendar=self.calendar
        )
        return ChildDeadline(
            rule=rule,
            start_event=rule.start_event,
            start=start,
            due=due,
            done=done,
            status=verdict.status,
            days_late=verdict.days_late,
        )


Provider = Callable[[ChildRecord, DeadlineContext], list[ChildDeadline]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def deadline_context(*, today: date) -> DeadlineContext:
    """The calendar and the rule books, read once (one query) for a page or a request."""
    calendar, books = calendar_and_rule_books()
    return DeadlineContext(today=today, calendar=calendar, books=books)


def child_deadlines(
    *,
    child: Child,
    today: date,
    record: ChildRecord | None = None,
    context: DeadlineContext | None = None,
) -> list[ChildDeadline]:
    """The child's current deadlines, soonest due first. ``today`` is the London date.

    Every provider reads from one ``ChildRecord``: the page's own, or one read here. A page
    that judges other dates too passes its ``context``."""
    record = record or child_record(child)
    context = context or deadline_context(today=today)
    rows = [row for provider in _PROVIDERS for row in provider(record, context)]
    return sorted(rows, key=lambda row: (row.due, row.rule.id))


def children_record_deadlines(record: ChildRecord, context: DeadlineContext) -> list[ChildDeadline]:
    """CLA-11 for the open period of care; CP-1 for enquiries awaiting their conference;
    the next CP-14 duration milestone of an open plan. Met deadlines stay listed for a year."""
    rows = []
    for period in record.periods:
        if period.end_date is None:
            rows.append(
                context.row(
                    "CLA-11", period.start_date, period.iro_allocation_due, period.iro_allocated_on
                )
            )
    recent = context.today - timedelta(days=RECENT_DAYS)
    for enquiry in record.s47_enquiries:
        if not enquiry.icpc_not_required and not (enquiry.icpc_date and enquiry.icpc_date < recent):
            rows.append(
                context.row("CP-1", enquiry.icpc_clock_start, enquiry.icpc_due, enquiry.icpc_date)
            )
    for plan in record.cp_plans:
        if plan.end_date is None:
            rows += _next_milestone(plan.start_date, context)
    return rows


def visit_deadlines(record: ChildRecord, context: DeadlineContext) -> list[ChildDeadline]:
    """The next statutory visit, where the council records visits here: V-1..V-7 for the
    current placement of a child in care, CP-11 for an open plan. The next visit is due from
    the latest one, so it is never yet done. A child with no visit of a kind recorded gets no
    deadline of that kind (the council keeps those visits elsewhere)."""
    visits: dict[str, list[date]] = {Visit.Kind.CARE: [], Visit.Kind.PROTECTION: []}
    for visit in record.visits:
        visits[visit.kind].append(visit.visit_date)
    rows = []
    if visits[Visit.Kind.CARE]:
        rows += _care_visit(record, visits[Visit.Kind.CARE], context)
    plan = next((plan for plan in record.cp_plans if plan.end_date is None), None)
    if visits[Visit.Kind.PROTECTION] and plan is not None:
        books = context.books(plan.start_date)
        due = next_cp_visit(
            plan_start=plan.start_date,
            visits=visits[Visit.Kind.PROTECTION],
            rules=books,
            calendar=context.calendar,
        )
        rows.append(context.row(due.rule_id, due.start, due.due, None))
    return rows


def _care_visit(
    record: ChildRecord, visits: list[date], context: DeadlineContext
) -> list[ChildDeadline]:
    period = record.open_period
    placements = (
        [episode for episode in period.episode_list if episode.rne in PLACEMENT_STARTS]
        if period is not None
        else []
    )
    if not placements:
        return []
    episode = max(placements, key=lambda episode: episode.decom)
    due = next_cla_visit(
        placement_start=episode.decom,
        visits=visits,
        regime=visit_regime(episode.place, episode.ls),
        first_review=None,
        long_term=episode.place in LONG_TERM_PLACEMENTS,
        rules=context.books(episode.decom),
        calendar=context.calendar,
    )
    return [context.row(due.rule_id, due.start, due.due, None)] if due is not None else []


def visit_regime(place: str, legal_status: str) -> VisitRegime:
    """Which reg 28 visiting pattern a placement follows (DOMAIN.md section 6): adoptive
    placements V-7; placed with parents under a care order V-6, under an interim care order
    V-5, otherwise pending assessment V-4; every other placement V-1..V-3."""
    if place in {"A3", "A4", "A5", "A6"}:
        return VisitRegime.ADOPTIVE_PLACEMENT
    if place == "P1":
        return {
            "C2": VisitRegime.CARE_ORDER_AT_HOME,
            "C1": VisitRegime.CONNECTED_PERSON_OR_ICO_AT_HOME,
        }.get(legal_status, VisitRegime.PARENT_PENDING_ASSESSMENT)
    return VisitRegime.STANDARD


def _next_milestone(plan_start: date, context: DeadlineContext) -> list[ChildDeadline]:
    books = context.books(plan_start)
    for milestone in plan_milestones(plan_start=plan_start, rules=books, calendar=context.calendar):
        if milestone.due >= context.today:
            return [context.row(milestone.rule_id, plan_start, milestone.due, None)]
    return []


# Health assessments and personal education plans (H-1, H-2, E-1) -----------------------


@dataclass(frozen=True)
class CareClock:
    """One of a period of care's two clocks: the records that satisfy it (``related``, the
    same name on the child and on the period), the period's fields holding the next
    deadline (``prefix``), and the pure function that computes it."""

    related: str
    prefix: str
    label: str
    next_due: Callable[
        [PeriodOfCare, Child, list[date], RuleBook, WorkingCalendar], Deadline | None
    ]


def _next_health(
    period: PeriodOfCare, child: Child, done: list[date], rules: RuleBook, cal: WorkingCalendar
) -> Deadline:
    return next_health_assessment(
        period_start=period.start_date,
        assessments=done,
        date_of_birth=child.date_of_birth,
        rules=rules,
        calendar=cal,
    )


def _next_pep(
    period: PeriodOfCare, child: Child, done: list[date], rules: RuleBook, cal: WorkingCalendar
) -> Deadline | None:
    return next_pep(
        period_start=period.start_date,
        peps=done,
        date_of_birth=child.date_of_birth,
        rules=rules,
        calendar=cal,
    )


HEALTH_CLOCK = CareClock(
    "health_assessments", "health_assessment", "health assessment", _next_health
)
PEP_CLOCK = CareClock("peps", "pep", "PEP", _next_pep)


def care_clock_deadline(
    clock: CareClock,
    period: PeriodOfCare,
    child: Child,
    done: list[date],
    books: RuleBooks,
    calendar: WorkingCalendar,
) -> Deadline | None:
    """The clock's deadline after ``done``, judged by the rules in force when it started
    (the latest record, or the period's start), as ``due_dates_recompute`` judges it. None
    when nothing is due (a PEP: E-1-FROM-AGE, E-1-END-AGE, no date of birth)."""
    started = max((day for day in done if day >= period.start_date), default=period.start_date)
    return clock.next_due(period, child, done, books(started), calendar)


def open_pep_clock(
    period: PeriodOfCare, books: RuleBooks, calendar: WorkingCalendar
) -> Deadline | None:
    """The first PEP's clock of an open period of care, for the recompute of stored due
    dates (``timescales.registry.DueDateSource.deadline``; ``child`` joined).

    While no PEP counts yet (rule E-1) the clock starts at the later of becoming looked
    after and the E-1-FROM-AGE birthday, so a new starting age, or a corrected date of
    birth, moves its start as well as its due date. A period with PEPs (E-1-REVIEW) keeps
    its stored rule and start (None), as does one whose first PEP would now fall due on or
    after the E-1-END-AGE birthday (nothing is cleared by a recompute)."""
    if period.pep_rule != "E-1":
        return None
    return _next_pep(period, period.child, [], books(period.start_date), calendar)


HEALTH, PEP = "health", "pep"


def care_clock_deadlines(record: ChildRecord, context: DeadlineContext) -> list[ChildDeadline]:
    """The next health assessment (H-1, H-2) and PEP (E-1, E-1-REVIEW) of the open period
    of care, from the due dates the services store on it; the next one is never yet done."""
    period = record.open_period
    return _next_checks(period, context) if period is not None else []


def _next_checks(period: PeriodOfCare, context: DeadlineContext) -> list[ChildDeadline]:
    rows = []
    for prefix in (HEALTH_CLOCK.prefix, PEP_CLOCK.prefix):
        rule_id = getattr(period, f"{prefix}_rule")
        start = getattr(period, f"{prefix}_clock_start")
        due = getattr(period, f"{prefix}_due")
        if rule_id and start and due:
            rows.append(context.row(rule_id, start, due, None))
    return rows


@dataclass(frozen=True)
class CareCheckSummary:
    """The child page's "Health and education": the latest assessment or PEP with the
    deadline it met or missed (None for a PEP recorded when none was due), and the next one
    due in the open period of care, or why none is needed (``not_needed``)."""

    record: str  # HEALTH or PEP
    last_on: date | None
    last: ChildDeadline | None
    last_kind: str
    next: ChildDeadline | None
    not_needed: str = ""


def health_and_education(
    *, record: ChildRecord, deadlines: list[ChildDeadline], context: DeadlineContext
) -> list[CareCheckSummary]:
    """Summaries from the child's record (its health assessments and PEPs, oldest first,
    and its periods of care) and the child's current ``deadlines``."""
    starts = {period.pk: period.start_date for period in record.periods}
    summaries = []
    for name, prefix, clock in ((HEALTH, "H-", HEALTH_CLOCK), (PEP, "E-", PEP_CLOCK)):
        checks: list[CareCheck] = getattr(record, clock.related)
        upcoming = next((row for row in deadlines if row.rule.id.startswith(prefix)), None)
        last_on, last, kind = None, None, ""
        if checks:
            latest = checks[-1]
            earlier = [c.completed_on for c in checks[:-1] if c.period_id == latest.period_id]
            start = earlier[-1] if earlier else starts[latest.period_id]
            last_on, kind = latest.completed_on, latest.get_kind_display()
            if latest.rule_id:
                last = context.row(latest.rule_id, start, latest.due_date, last_on)
        not_needed = _pep_not_needed(record, upcoming, context) if name == PEP else ""
        summaries.append(CareCheckSummary(name, last_on, last, kind, upcoming, not_needed))
    return summaries


def _pep_not_needed(
    record: ChildRecord, upcoming: ChildDeadline | None, context: DeadlineContext
) -> str:
    """Why a child in care has no PEP due today: too young (E-1-FROM-AGE), too old
    (E-1-END-AGE) or no date of birth. Empty when one is due, or out of care."""
    period = record.open_period
    if period is None:
        return ""
    rules = context.books(period.start_date)
    age = record.child.age_on(context.today)
    if age is None:
        return "Not needed: no date of birth is recorded"
    if upcoming is None:
        return f"Not needed: PEPs end at age {rules['E-1-END-AGE'].amount}"
    if age < rules["E-1-FROM-AGE"].amount:
        return f"Not needed yet: PEPs start at age {rules['E-1-FROM-AGE'].amount}"
    return ""
