"""Child protection: s47 enquiries, initial conferences (CP-1), plans, review conferences
(CP-6 then CP-7, from ``next_rcpc``) and core groups (CP-4 then CP-5, from
``next_core_group``), with outcome and minutes due dates (CP-OUTCOME, CP-MINUTES).

Four kinds of case: a plan open today; a plan that ended in the window; an initial conference
that decided no plan; an enquiry whose initial conference is still to come.
"""

from datetime import date, timedelta

from children.models import ChildProtectionPlan, S47Enquiry
from conferences.models import Conference, CoreGroup
from reporting.synthetic.care import child_add, event_add
from reporting.synthetic.context import Context
from timescales.sequences import conference_record_deadlines, icpc_due, next_core_group, next_rcpc

CATEGORIES = (["NEG"], ["NEG"], ["EMO"], ["PHY"], ["SAB"], ["NEG", "EMO"])
CHILD_PARTICIPATION = ("attended_spoke", "views_advocate", "views_written", "too_young")
PARENT_PARTICIPATION = ("attended", "attended_part", "views_only", "did_not_take_part")
END_REASONS = ("no_longer_at_risk", "no_longer_at_risk", "transferred", "became_looked_after")

OPEN_PLAN, ENDED_PLAN, NO_PLAN, AWAITING_ICPC = "open", "ended", "no_plan", "awaiting"


def _meeting_day(ctx: Context, due: date, after: date) -> date:
    """Held a few days before the due date; about one in eight late."""
    held = due - ctx.days(0, 8) if ctx.rng.random() < 0.88 else due + ctx.days(1, 15)
    return max(held, after + timedelta(days=1))


def _conference(ctx: Context, child: dict, kind: str, deadline, **values) -> dict:
    row = {
        "id": ctx.writer.new_id(Conference),
        "child_id": child["id"],
        "conference_type": kind,
        "rule_id": deadline.rule_id,
        "clock_start": deadline.start,
        "original_due_date": deadline.due,
        "requested_by_id": child["social_worker_id"],
        "requested_at": ctx.at(deadline.start, 9),
        "chair_id": child["iro_id"],
    }
    row.update(values)
    return row


def _held(ctx: Context, row: dict, held: date, decision: str, categories: list[str]) -> dict:
    outcome, minutes = conference_record_deadlines(
        conference_held=held, rules=ctx.books(held), calendar=ctx.calendar
    )
    sent, done = held + ctx.days(0, 2), held + ctx.days(5, 28)
    row.update(
        status=Conference.Status.HELD,
        scheduled_start=ctx.at(held),
        scheduled_end=ctx.at(held, 12),
        held_on=held,
        quorate=True,
        child_participation=ctx.rng.choice(CHILD_PARTICIPATION),
        parents_participation=ctx.rng.choice(PARENT_PARTICIPATION),
        decision=decision,
        categories=categories,
        outline_plan=ctx.text(2),
        core_group_members="Social worker, health visitor, school",
        minutes=ctx.text(3),
        outcome_due=outcome.due,
        outcome_sent_on=sent if sent <= ctx.today else None,
        minutes_due=minutes.due,
        minutes_completed_on=done if done <= ctx.today else None,
        late_reason="" if held <= row["original_due_date"] else "chair_unavailable",
    )
    ctx.writer.add(Conference, row)
    event_add(ctx, row["child_id"], held, "conference", "Conference held", row["chair_id"])
    if ctx.audit:
        ctx.audit("cp", row["child_id"], held, conference_id=row["id"])
    return row


def _waiting(ctx: Context, row: dict) -> None:
    """A conference not yet held: booked when it is close, otherwise awaiting a date."""
    due = row["original_due_date"]
    if (due - ctx.today).days <= 20 and ctx.rng.random() < 0.75:
        booked = max(ctx.today + timedelta(days=1), due - ctx.days(0, 5))
        row.update(
            status=Conference.Status.SCHEDULED,
            scheduled_start=ctx.at(booked),
            scheduled_end=ctx.at(booked, 12),
        )
    ctx.writer.add(Conference, row)


def _core_groups(ctx: Context, child: dict, plan_id: int, start: date, until: date) -> None:
    held_dates: list[date] = []
    while True:
        deadline = next_core_group(
            icpc=start, core_groups_held=held_dates, rules=ctx.books(start), calendar=ctx.calendar
        )
        held = _meeting_day(ctx, deadline.due, held_dates[-1] if held_dates else start)
        if held > until:
            return
        ctx.writer.add(
            CoreGroup,
            {
                "id": ctx.writer.new_id(CoreGroup),
                "cp_plan_id": plan_id,
                "child_id": child["id"],
                "held_on": held,
                "rule_id": deadline.rule_id,
                "due_date": deadline.due,
                "attendance": "Social worker, parents, school, health visitor",
                "recorded_by_id": child["social_worker_id"],
            },
        )
        held_dates.append(held)


def _review_conferences(
    ctx: Context, child: dict, plan: dict, categories: list[str], planned_end: date | None
) -> int:
    """RCPCs until the plan ends (ENDED_PLAN) or the next one is still to come."""
    held_dates: list[date] = []
    start = plan["start_date"]
    while True:
        deadline = next_rcpc(
            icpc=start, rcpcs_held=held_dates, rules=ctx.books(start), calendar=ctx.calendar
        )
        row = _conference(ctx, child, Conference.Type.RCPC, deadline, cp_plan_id=plan["id"])
        held = _meeting_day(ctx, deadline.due, held_dates[-1] if held_dates else start)
        if planned_end is None and held > ctx.today:
            _waiting(ctx, row)
            return len(held_dates) + 1
        if planned_end is not None and held > ctx.today:
            held = max(ctx.today, (held_dates[-1] if held_dates else start) + timedelta(days=1))
        ending = planned_end is not None and held >= min(planned_end, ctx.today)
        if ending:
            row["end_reason"] = ctx.rng.choice(END_REASONS)
        _held(
            ctx,
            row,
            held,
            Conference.Decision.END if ending else Conference.Decision.CONTINUE,
            categories,
        )
        held_dates.append(held)
        if ending:
            plan.update(end_date=held, end_reason=row["end_reason"])
            return len(held_dates)


def child_protection_add(ctx: Context, number: int, kind: str) -> dict:
    """One child protection case of ``kind``; returns the child with ``conferences`` set."""
    rng, today = ctx.rng, ctx.today
    if kind == AWAITING_ICPC:
        discussed = today - ctx.days(0, 12)
    elif kind == ENDED_PLAN:
        discussed = today - ctx.days(420, 365 * ctx.years)
    else:
        discussed = today - ctx.days(30, 365 * ctx.years)
    born = discussed - ctx.days(200, 16 * 365)
    child = child_add(
        ctx, number, born, discussed, None if kind in (OPEN_PLAN, AWAITING_ICPC) else today
    )
    due = icpc_due(strategy_discussion=discussed, rules=ctx.books(discussed), calendar=ctx.calendar)
    enquiry = {
        "id": ctx.writer.new_id(S47Enquiry),
        "child_id": child["id"],
        "strategy_discussion_date": discussed,
        "start_date": discussed,
        "icpc_due": due.due,
    }
    event_add(
        ctx, child["id"], discussed, "cp", "Section 47 enquiry started", child["social_worker_id"]
    )
    icpc = _conference(ctx, child, Conference.Type.ICPC, due, s47_enquiry_id=enquiry["id"])
    if kind == AWAITING_ICPC:
        ctx.writer.add(S47Enquiry, enquiry)
        _waiting(ctx, icpc)
        child["conferences"] = 1
        return child
    held = min(_meeting_day(ctx, due.due, discussed), today)
    enquiry.update(end_date=held, icpc_date=held)
    ctx.writer.add(S47Enquiry, enquiry)
    categories = list(rng.choice(CATEGORIES))
    if kind == NO_PLAN:
        _held(ctx, icpc, held, Conference.Decision.NO_PLAN, [])
        child["conferences"] = 1
        return child
    plan = {
        "id": ctx.writer.new_id(ChildProtectionPlan),
        "child_id": child["id"],
        "start_date": held,
        "initial_categories": categories,
        "latest_categories": categories,
    }
    icpc["cp_plan_id"] = plan["id"]
    _held(ctx, icpc, held, Conference.Decision.PLAN, categories)
    planned_end = None
    if kind == ENDED_PLAN:
        planned_end = held + ctx.days(80, max(81, (today - held).days - 260))
    # The plan row goes in before its review conferences (they point at it); the RCPC
    # that ends it sets end_date on the same dict first.
    rcpcs = _review_conferences(ctx, child, plan, categories, planned_end)
    if plan.get("end_date"):
        event_add(
            ctx, child["id"], plan["end_date"], "cp", "Child protection plan ended", child["iro_id"]
        )
    ctx.writer.add(ChildProtectionPlan, plan)
    if kind == OPEN_PLAN:
        _core_groups(ctx, child, plan["id"], held, today)
    child["conferences"] = 1 + rcpcs
    return child
