"""The child's conference deadlines for the child page (``children.deadlines`` provider).

The children app already lists CP-1 (the initial conference, from the s47 enquiry) and the
plan-duration milestones (CP-14); this adds the next review conference (CP-6/CP-7/CP-8) and
any transfer-in conference waiting (CP-9), the next core group (CP-4/CP-5), and the outcome
and minutes deadlines of the latest held conference (CP-OUTCOME, CP-MINUTES).
"""

from datetime import date

from children.deadlines import ChildDeadline, DeadlineContext
from children.selectors import ChildRecord
from conferences.models import Conference
from conferences.selectors import child_conferences, child_open_plans
from timescales.calendar import WorkingCalendar
from timescales.registry import RuleBooks
from timescales.sequences import Deadline, next_core_group, next_rcpc

OPEN = (Conference.Status.REQUESTED, Conference.Status.SCHEDULED)
# The rules a plan's first review conference can answer (CP-8 only for a pre-birth plan).
FIRST_RCPC_RULES = ("CP-6", "CP-8")


def open_conference_clock(
    conference: Conference, books: RuleBooks, calendar: WorkingCalendar
) -> Deadline | None:
    """The clock of a conference still to be held, for the recompute of stored due dates
    (``timescales.registry.DueDateSource.deadline``; ``cp_plan__child`` joined).

    A plan's first review conference is worked out again from the plan: for a plan made
    before birth, once the birth is recorded, it is due by the sooner of ICPC + 3 months
    (CP-6) and birth + 10 WD (CP-8, with the rules in force at the ICPC), the same
    arithmetic as when it was requested. Any other keeps its stored rule and start (None)."""
    plan = conference.cp_plan
    if plan is None or conference.rule_id not in FIRST_RCPC_RULES:
        return None
    return next_rcpc(
        icpc=plan.start_date,
        rcpcs_held=[],
        birth=plan.child.date_of_birth,
        pre_birth=plan.made_before_birth,
        rules=books(plan.start_date),
        calendar=calendar,
    )


def conference_deadlines(record: ChildRecord, context: DeadlineContext) -> list[ChildDeadline]:
    rows = []
    conferences = child_conferences(record)
    for conference in conferences:
        if conference.status in OPEN and conference.rule_id != "CP-1":
            rows.append(
                context.row(
                    conference.rule_id, conference.clock_start, conference.original_due_date, None
                )
            )
    for plan in child_open_plans(record):
        held = [group.held_on for group in plan.core_groups.all()]
        deadline = next_core_group(
            icpc=plan.start_date,
            core_groups_held=held,
            rules=context.books(plan.start_date),
            calendar=context.calendar,
        )
        rows.append(context.row(deadline.rule_id, deadline.start, deadline.due, None))
    held_conferences = [c for c in conferences if c.status == Conference.Status.HELD]
    # As ORDER BY held_on DESC, pk DESC in PostgreSQL: a missing date sorts first.
    latest = max(
        held_conferences,
        key=lambda c: (c.held_on is None, c.held_on or date.min, c.pk),
        default=None,
    )
    if latest is not None and latest.held_on and latest.outcome_due and latest.minutes_due:
        rows.append(
            context.row("CP-OUTCOME", latest.held_on, latest.outcome_due, latest.outcome_sent_on)
        )
        rows.append(
            context.row(
                "CP-MINUTES", latest.held_on, latest.minutes_due, latest.minutes_completed_on
            )
        )
    return rows
