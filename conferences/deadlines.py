"""The child's conference deadlines for the child page (``children.deadlines`` provider).

The children app already lists CP-1 (the initial conference, from the s47 enquiry) and the
plan-duration milestones (CP-14); this adds the next review conference (CP-6/CP-7/CP-8) and
any transfer-in conference waiting (CP-9), the next core group (CP-4/CP-5), and the outcome
and minutes deadlines of the latest held conference (CP-OUTCOME, CP-MINUTES).
"""

from children.deadlines import ChildDeadline, DeadlineContext
from children.models import Child
from conferences.models import Conference
from timescales.sequences import next_core_group

OPEN = (Conference.Status.REQUESTED, Conference.Status.SCHEDULED)


def conference_deadlines(child: Child, context: DeadlineContext) -> list[ChildDeadline]:
    rows = []
    waiting = Conference.objects.filter(child=child, status__in=OPEN).exclude(rule_id="CP-1")
    for conference in waiting:
        rows.append(
            context.row(
                conference.rule_id, conference.clock_start, conference.original_due_date, None
            )
        )
    for plan in child.cp_plans.filter(end_date__isnull=True):
        held = list(plan.core_groups.values_list("held_on", flat=True))
        deadline = next_core_group(
            icpc=plan.start_date,
            core_groups_held=held,
            rules=context.books(plan.start_date),
            calendar=context.calendar,
        )
        rows.append(context.row(deadline.rule_id, deadline.start, deadline.due, None))
    latest = (
        Conference.objects.filter(child=child, status=Conference.Status.HELD)
        .order_by("-held_on", "-pk")
        .first()
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
