"""Every current statutory deadline of one child, each judged the same way.

Each app contributes the deadlines it owns through a provider registered here (the children
app: CLA-11 IRO allocation, CP-1 initial conference, CP plan duration milestones; reviews
and conferences add theirs). A provider returns ``ChildDeadline`` rows built with
``deadline_row``, so status and days late always come from ``timescales.rules.assess``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from children.models import Child
from timescales.calendar import WorkingCalendar
from timescales.rules import DeadlineStatus, Rule, assess
from timescales.sequences import plan_milestones
from timescales.services import RuleBooks, rule_books, working_calendar

# Deadlines met within this many days stay on the list, so a recent met or late shows.
RECENT_DAYS = 365


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


Provider = Callable[[Child, DeadlineContext], list[ChildDeadline]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def child_deadlines(*, child: Child, today: date) -> list[ChildDeadline]:
    """The child's current deadlines, soonest due first. ``today`` is the London date."""
    context = DeadlineContext(today=today, calendar=working_calendar(), books=rule_books())
    rows = [row for provider in _PROVIDERS for row in provider(child, context)]
    return sorted(rows, key=lambda row: (row.due, row.rule.id))


def children_record_deadlines(child: Child, context: DeadlineContext) -> list[ChildDeadline]:
    """CLA-11 for the open period of care; CP-1 for enquiries awaiting their conference;
    the next CP-14 duration milestone of an open plan. Met deadlines stay listed for a year."""
    rows = []
    for period in child.periods_of_care.filter(end_date__isnull=True):
        rows.append(
            context.row(
                "CLA-11", period.start_date, period.iro_allocation_due, period.iro_allocated_on
            )
        )
    recent = context.today - timedelta(days=RECENT_DAYS)
    for enquiry in child.s47_enquiries.filter(icpc_not_required=False).exclude(
        icpc_date__lt=recent
    ):
        rows.append(
            context.row("CP-1", enquiry.icpc_clock_start, enquiry.icpc_due, enquiry.icpc_date)
        )
    for plan in child.cp_plans.filter(end_date__isnull=True):
        rows += _next_milestone(plan.start_date, context)
    return rows


def _next_milestone(plan_start: date, context: DeadlineContext) -> list[ChildDeadline]:
    books = context.books(plan_start)
    for milestone in plan_milestones(plan_start=plan_start, rules=books, calendar=context.calendar):
        if milestone.due >= context.today:
            return [context.row(milestone.rule_id, plan_start, milestone.due, None)]
    return []
