"""Health assessments (H-1, H-2) and personal education plans (E-1) of a generated period of
care, and the period's next due dates.

Each record is dated around the deadline the clock engine gives after the earlier ones of
the period (``children.deadlines.care_clock_deadline``, the function the services use):
most a few days before it, about one in eight after it. For about one child in care in
eight, the latest deadline before today is left undone, so it shows overdue (and reminds);
every other child in care is in date. The next due dates stored on the period are the
engine's after the records written, exactly as ``children.services.care_clocks_refresh``
stores them: a child under the PEP starting age (E-1-FROM-AGE) has the first PEP due from
that birthday and no PEP recorded yet.
"""

from datetime import date, timedelta
from typing import Any

from children.deadlines import HEALTH_CLOCK, PEP_CLOCK, CareClock, care_clock_deadline
from children.models import (
    CareCheck,
    Child,
    ChildEvent,
    HealthAssessment,
    PeriodOfCare,
    PersonalEducationPlan,
)
from reporting.synthetic.context import Context
from timescales.sequences import Deadline

LATE_SHARE = 0.12
OVERDUE_SHARE = 0.12
CLOCKS: tuple[tuple[CareClock, type[CareCheck], str], ...] = (
    (HEALTH_CLOCK, HealthAssessment, "health"),
    (PEP_CLOCK, PersonalEducationPlan, "education"),
)
SUMMARIES = {
    ("health", CareCheck.Kind.INITIAL): "Initial health assessment",
    ("health", CareCheck.Kind.REVIEW): "Review health assessment",
    ("education", CareCheck.Kind.INITIAL): "Personal education plan",
    ("education", CareCheck.Kind.REVIEW): "PEP review",
}


def care_checks_add(ctx: Context, child: dict, period: dict, born: date) -> dict[str, Any]:
    """Write the period's assessments and PEPs (with their timeline events); return the
    period's clock fields (rule, clock start and due date of the next of each)."""
    fields: dict[str, Any] = {}
    for clock, model, event_kind in CLOCKS:
        deadline = _records(ctx, clock, model, event_kind, child, period, born)
        fields |= {
            f"{clock.prefix}_rule": deadline.rule_id if deadline else "",
            f"{clock.prefix}_clock_start": deadline.start if deadline else None,
            f"{clock.prefix}_due": deadline.due if deadline else None,
        }
    return fields


def _records(
    ctx: Context,
    clock: CareClock,
    model: type[CareCheck],
    event_kind: str,
    child: dict,
    period: dict,
    born: date,
) -> Deadline | None:
    """One clock's records, oldest first; returns the deadline left open."""
    rng, today = ctx.rng, ctx.today
    # Unsaved rows: the engine reads only the period's start and the date of birth.
    shape = PeriodOfCare(start_date=period["start_date"]), Child(date_of_birth=born)
    last_day = period["end_date"] or today
    leave_overdue = period["end_date"] is None and rng.random() < OVERDUE_SHARE
    done: list[date] = []
    deadline = care_clock_deadline(clock, *shape, done, ctx.books, ctx.calendar)
    while deadline is not None:
        floor = max(deadline.start, done[-1] + timedelta(days=1) if done else deadline.start)
        if rng.random() < LATE_SHARE:
            completed = deadline.due + ctx.days(1, 30)
        else:
            completed = deadline.due - ctx.days(0, 14)
        if deadline.due < today and not leave_overdue:
            completed = min(completed, today)  # done by now, late or not
        completed = max(completed, floor)
        if completed > last_day:
            break
        following = care_clock_deadline(clock, *shape, [*done, completed], ctx.books, ctx.calendar)
        if leave_overdue and following is not None and deadline.due < today <= following.due:
            break  # the last one due before today is still waiting
        kind = CareCheck.Kind.REVIEW if done else CareCheck.Kind.INITIAL
        ctx.writer.add(
            model,
            {
                "id": ctx.writer.new_id(model),
                "child_id": child["id"],
                "period_id": period["id"],
                "kind": kind,
                "completed_on": completed,
                "rule_id": deadline.rule_id,
                "due_date": deadline.due,
                "recorded_by_id": child["social_worker_id"],
            },
        )
        ctx.writer.add(
            ChildEvent,
            {
                "child_id": child["id"],
                "occurred_on": completed,
                "kind": event_kind,
                "summary": SUMMARIES[(event_kind, kind)],
                "by_id": child["social_worker_id"],
            },
        )
        done.append(completed)
        deadline = following
    return deadline
