"""Children in care: the child, allocations, a period of care made of SSDA903 episodes, its
reviews from the first (CLA-1) to the next one due, with decisions and timeline events, and
its health assessments and PEPs (``reporting.synthetic.checks``).

Every stored due date is the clock engine's: ``iro_allocation_due`` (CLA-11), each review's
rule and original due date (``next_cla_review``: CLA-1, CLA-2, CLA-3 from the reviews held
so far), ``decisions_due``/``record_due`` (CLA-13, CLA-14), the next health assessment and
PEP (H-1, H-2, E-1).
"""

from datetime import date, time, timedelta

from children.models import Allocation, Child, ChildEvent, Episode, PeriodOfCare
from reporting.synthetic.checks import care_checks_add
from reporting.synthetic.context import Context
from reporting.synthetic.names import FIRST_NAMES, LAST_NAMES
from reviews.models import PARTICIPATION_CODES, Decision, Review
from timescales.sequences import iro_allocation_due, next_cla_review, review_record_deadlines

ETHNICITIES = ("WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "BCRB", "MOTH")
PLACEMENTS = (("U4", "PR1"), ("U6", "PR4"), ("U3", "PR1"), ("K2", "PR4"), ("P1", "PR0"))
LEGAL_STATUSES = ("C1", "C2", "C2", "V2", "V2", "E1")
CHANGES = ("P", "T", "L", "B")
CEASED = ("E11", "E12", "E13", "E41", "E45", "E4A", "E8")
LATE_REASONS = [choice.value for choice in Review.LateReason]
PARTICIPATION = [code for code, _ in PARTICIPATION_CODES if code != "PN0"]
DECISIONS = (
    "Update the care plan after the review.",
    "Arrange a health assessment.",
    "Review the PEP with the designated teacher.",
    "Set up sibling contact.",
    "Refer to the advocacy service.",
)


def child_add(ctx: Context, number: int, born: date, start: date, end: date | None) -> dict:
    """The child, its current allocations (team, social worker, IRO) and their rows."""
    writer, rng = ctx.writer, ctx.rng
    team = ctx.team()
    worker, iro = rng.choice(team.social_workers), ctx.iro()
    child = writer.add(
        Child,
        {
            "id": writer.new_id(Child),
            "la_child_id": f"{ctx.tag}{number:07d}",
            "first_name": rng.choice(FIRST_NAMES),
            "last_name": rng.choice(LAST_NAMES),
            "date_of_birth": born,
            "sex": rng.choice("MF"),
            "ethnicity": rng.choice(ETHNICITIES),
            "iro_id": iro,
            "social_worker_id": worker,
            "team_id": team.id,
        },
    )
    for kind, user_id, team_id in (
        (Allocation.Kind.TEAM, None, team.id),
        (Allocation.Kind.SOCIAL_WORKER, worker, None),
        (Allocation.Kind.IRO, iro, None),
    ):
        writer.add(
            Allocation,
            {
                "id": writer.new_id(Allocation),
                "child_id": child["id"],
                "kind": kind,
                "user_id": user_id,
                "team_id": team_id,
                "start_date": start,
                "end_date": end,
            },
        )
    child.update(team=team, start=start, end=end)
    return child


def event_add(
    ctx: Context, child_id: int, on: date, kind: str, summary: str, by: int | None
) -> None:
    ctx.writer.add(
        ChildEvent,
        {"child_id": child_id, "occurred_on": on, "kind": kind, "summary": summary, "by_id": by},
    )


def _episodes(ctx: Context, period_id: int, start: date, end: date | None) -> None:
    """One to four contiguous episodes (RNE S, then placement or legal status changes);
    the last ends with the period (a ceased reason) or is open."""
    rng = ctx.rng
    last = end or ctx.today
    starts = [start]
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        if (last - starts[-1]).days > 30:
            starts.append(starts[-1] + ctx.days(14, (last - starts[-1]).days - 7))
    legal = rng.choice(LEGAL_STATUSES)
    need = rng.choice(("N1", "N1", "N1", "N2", "N4", "N5", "N8"))
    for index, decom in enumerate(starts):
        rne = "S" if index == 0 else rng.choice(CHANGES)
        if rne in ("L", "B"):
            legal = rng.choice(LEGAL_STATUSES)
        place, provider = rng.choice(PLACEMENTS)
        final = index == len(starts) - 1
        ceased = end if final else starts[index + 1]
        ctx.writer.add(
            Episode,
            {
                "id": ctx.writer.new_id(Episode),
                "period_id": period_id,
                "decom": decom,
                "rne": rne,
                "ls": legal,
                "cin": need,
                "place": place,
                "place_provider": provider,
                "dec": ceased,
                "rec": (rng.choice(CEASED) if end else "") if final else "X1",
                "reason_place_change": ""
                if final or rne == "L"
                else rng.choice(("CARPL", "CHILD", "PLACE")),
                "home_post": "AB1 2CD",
                "pl_post": "AB3 4EF",
            },
        )


def _held_review(ctx: Context, review: dict, held: date, child: dict, age: int) -> None:
    rng = ctx.rng
    decisions, record = review_record_deadlines(
        review_held=held, rules=ctx.books(held), calendar=ctx.calendar
    )
    circulated = held + ctx.days(1, 9)
    completed = held + ctx.days(8, 32)
    review.update(
        status=Review.Status.HELD,
        scheduled_date=held,
        held_date=held,
        sw_report_received_on=held - ctx.days(0, 6),
        child_prepared=rng.random() < 0.85,
        attendees="Child, carer, social worker, IRO",
        participation_code="PN0" if age < 4 else rng.choice(PARTICIPATION),
        wishes_and_feelings=ctx.text(1),
        summary=ctx.text(3),
        permanence_plan_in_place=rng.random() < 0.8,
        decisions_due=decisions.due,
        decisions_circulated_on=circulated if circulated <= ctx.today else None,
        record_due=record.due,
        record_completed_on=completed if completed <= ctx.today else None,
        late_reason=rng.choice(LATE_REASONS) if held > review["original_due_date"] else "",
    )
    for _ in range(rng.randint(1, 3)):
        due = held + ctx.days(20, 90)
        if due >= ctx.today:
            status = Decision.Status.OPEN
        else:
            status = rng.choices(
                (Decision.Status.DONE, Decision.Status.NOT_DONE, Decision.Status.OPEN), (8, 1, 1)
            )[0]
        ctx.writer.add(
            Decision,
            {
                "id": ctx.writer.new_id(Decision),
                "review_id": review["id"],
                "text": rng.choice(DECISIONS),
                "owner_id": child["social_worker_id"],
                "owner_role": "Social worker",
                "due_date": due,
                "status": status,
            },
        )


def _open_review(ctx: Context, review: dict) -> None:
    """The next review: booked when it is close, otherwise waiting for a date."""
    due = review["due_date"]
    if (due - ctx.today).days <= 30 and ctx.rng.random() < 0.7:
        booked = max(ctx.today + timedelta(days=1), due - ctx.days(0, 7))
        review.update(
            status=Review.Status.SCHEDULED,
            scheduled_date=booked,
            scheduled_time=time(10, 0),
            venue="Carer's home",
        )


def reviews_add(ctx: Context, child: dict, period_id: int, start: date, end: date | None) -> int:
    """The period's reviews in sequence; most are held a little before the due date, about
    one in eight late. Returns the number of reviews written."""
    rng, held_dates, count = ctx.rng, [], 0
    last_day = end or ctx.today
    while True:
        deadline = next_cla_review(
            period_start=start,
            reviews_held=held_dates,
            rules=ctx.books(start),
            calendar=ctx.calendar,
        )
        if rng.random() < 0.88:
            held = deadline.due - ctx.days(0, 14)
        else:
            held = deadline.due + ctx.days(1, 25)
        held = max(held, (held_dates[-1] if held_dates else start) + timedelta(days=1))
        if held > last_day and end is not None:
            return count
        review = {
            "id": ctx.writer.new_id(Review),
            "child_id": child["id"],
            "period_id": period_id,
            "sequence_rule": deadline.rule_id,
            "clock_start": deadline.start,
            "original_due_date": deadline.due,
            "due_date": deadline.due,
            "chair_id": child["iro_id"],
        }
        count += 1
        if held > last_day:
            _open_review(ctx, review)
            ctx.writer.add(Review, review)
            return count
        _held_review(ctx, review, held, child, child["age_at_start"] + (held - start).days // 365)
        ctx.writer.add(Review, review)
        event_add(ctx, child["id"], held, "review", "Review held", child["iro_id"])
        if ctx.audit:
            ctx.audit("cla", child["id"], held, review_id=review["id"])
        held_dates.append(held)


def child_in_care_add(ctx: Context, number: int, *, left: bool) -> dict:
    """A child who is in care today (``left`` False) or who left care in the window."""
    rng, today = ctx.rng, ctx.today
    if left:
        start = today - ctx.days(90, 365 * ctx.years)
        end = start + ctx.days(30, min(720, (today - start).days - 1))
    else:
        start = today - ctx.days(3, 365 * ctx.years)
        end = None
    age = rng.choice((0, 1, 3, 5, 8, 10, 12, 13, 14, 15, 15, 16, 16, 17))
    born = start - timedelta(days=age * 365 + rng.randint(1, 360))
    child = child_add(ctx, number, born, start, end)
    child["age_at_start"] = age
    allocation = iro_allocation_due(
        became_looked_after=start, rules=ctx.books(start), calendar=ctx.calendar
    )
    period = {
        "id": ctx.writer.new_id(PeriodOfCare),
        "child_id": child["id"],
        "start_date": start,
        "end_date": end,
        "iro_allocation_due": allocation.due,
        "iro_allocated_on": start + ctx.days(0, 7),
    }
    # The next health assessment and PEP follow the ones recorded (H-1, H-2, E-1).
    ctx.writer.add(PeriodOfCare, period | care_checks_add(ctx, child, period, born))
    _episodes(ctx, period["id"], start, end)
    event_add(ctx, child["id"], start, "care", "Became looked after", ctx.business_support())
    child["reviews"] = reviews_add(ctx, child, period["id"], start, end)
    if end is not None:
        event_add(
            ctx, child["id"], end, "care", "Ceased to be looked after", ctx.business_support()
        )
    return child
