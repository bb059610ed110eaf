"""Child protection (ANNUAL-REPORT-METRICS.md, "Child protection (CP)").

Plans are "open on D" when they started on or before D and have not ended on or before
it. Initial conferences are ICPCs and pre-birth ICPCs (a transfer-in conference is not an
initial conference in the CIN census); only conferences held count.
"""

from collections import Counter
from datetime import date
from functools import cache

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KT

from children.models import ChildProtectionPlan
from conferences.models import Conference
from reporting.metrics.periods import (
    AddMonths,
    Period,
    months_before,
    open_on,
    overlaps,
    pct,
)
from timescales.calendar import WorkingCalendar

SEX_KEYS = {"M": "male", "F": "female", "U": "unknown"}
CATEGORIES = ("NEG", "PHY", "EMO", "SAB", "MUL")
INITIAL_TYPES = (Conference.Type.ICPC, Conference.Type.PRE_BIRTH)
# CP-1 and the DfE measure CP-2: within 15 WD, event day 0.
ICPC_WORKING_DAYS = 15


def plans_open_on(day: date) -> QuerySet[ChildProtectionPlan]:
    return ChildProtectionPlan.objects.filter(open_on(day))


def children_on_plans(day: date) -> int:
    """``cp_at_end`` / ``cp_at_start``: children with a plan open on ``day``."""
    return plans_open_on(day).aggregate(n=Count("child", distinct=True))["n"]


def cp_during(period: Period) -> int:
    """``cp_during_year``: children with a plan open on any day of the period."""
    plans = ChildProtectionPlan.objects.filter(overlaps(period))
    return plans.aggregate(n=Count("child", distinct=True))["n"]


def plan_flow(period: Period) -> dict[str, object]:
    """``cp_started``, ``cp_ended``, ``cp_repeat_pct`` (CP-13: previous plans > 0) and
    ``cp_ended_2y_plus_pct`` (CP-14: end >= start + 2 calendar years) in one aggregate."""
    started = Q(start_date__gte=period.start, start_date__lte=period.end)
    ended = Q(end_date__gte=period.start, end_date__lte=period.end)
    totals = ChildProtectionPlan.objects.filter(started | ended).aggregate(
        started=Count("pk", filter=started),
        repeat=Count("pk", filter=started & Q(previous_plans__gt=0)),
        ended=Count("pk", filter=ended),
        long=Count("pk", filter=ended & Q(end_date__gte=AddMonths("start_date", 24))),
    )
    return {
        "cp_started": totals["started"],
        "cp_ended": totals["ended"],
        "cp_repeat_pct": pct(totals["repeat"], totals["started"]),
        "cp_ended_2y_plus_pct": pct(totals["long"], totals["ended"]),
    }


def cp_by_sex(day: date) -> dict[str, int]:
    """``cp_by_sex``: unborn (no date of birth, expected after ``day``) before sex."""
    unborn = Q(child__date_of_birth__isnull=True, child__expected_date_of_birth__gt=day)
    counts = {"unborn": Count("child", distinct=True, filter=unborn)}
    for code, key in SEX_KEYS.items():
        counts[key] = Count("child", distinct=True, filter=Q(child__sex=code) & ~unborn)
    totals = plans_open_on(day).aggregate(**counts)
    return {key: totals[key] for key in ("male", "female", "unborn", "unknown")}


def cp_by_category(day: date) -> dict[str, int]:
    """``cp_by_category``: plans open on ``day`` by latest category, MUL when several
    were recorded (CP-3); a plan with no category recorded is not counted."""
    length = Func(
        F("latest_categories"), function="jsonb_array_length", output_field=IntegerField()
    )
    code = Case(
        When(n__gt=1, then=Value("MUL")),
        When(n=1, then=KT("latest_categories__0")),
        default=None,
        output_field=CharField(),
    )
    rows = (
        plans_open_on(day)
        .annotate(n=length)
        .annotate(code=code)
        .values("code")
        .annotate(plans=Count("pk"))
    )
    found = {row["code"]: row["plans"] for row in rows}
    return {category: found.get(category, 0) for category in CATEGORIES}


def long_plans(day: date) -> dict[str, int]:
    """``cp_open_over_15m`` and ``cp_open_over_2y``: plans open on ``day`` that started
    more than 15 calendar months / 2 calendar years before it (CP-14 flags)."""
    return plans_open_on(day).aggregate(
        cp_open_over_15m=Count("pk", filter=Q(start_date__lt=months_before(day, 15))),
        cp_open_over_2y=Count("pk", filter=Q(start_date__lt=months_before(day, 24))),
    )


def initial_conferences_held(period: Period) -> QuerySet[Conference]:
    return Conference.objects.filter(
        conference_type__in=INITIAL_TYPES,
        status=Conference.Status.HELD,
        held_on__gte=period.start,
        held_on__lte=period.end,
    )


def icpc_metrics(period: Period, calendar: WorkingCalendar) -> dict[str, object]:
    """``icpc_held``, ``icpc_in_timescale_pct`` and ``icpc_s47_in_15wd_pct``.

    CP-1: held on or before the strategy discussion + 15 WD. The conference's stored
    ``original_due_date`` is used where its clock (rule CP-1) started at the enquiry's
    strategy discussion, as the conferences app judges it; otherwise (an import, a date
    attached later) the same rule is applied to the strategy discussion date. CP-2 (the
    national starting point): held on or before the s47 start + 15 WD, event day 0.

    One query, grouped by the dates the clocks need (bounded by the days of the year, not
    by the number of conferences); each group is judged here with the working calendar,
    which lives in Python (bank holidays and the extra days an administrator added).
    """
    strategy = "s47_enquiry__strategy_discussion_date"
    s47 = "s47_enquiry__start_date"
    stored_due = Case(
        When(Q(rule_id="CP-1", clock_start=F(strategy)), then=F("original_due_date")),
        default=None,
        output_field=DateField(),
    )
    groups = (
        initial_conferences_held(period)
        .values_list(strategy, s47, "held_on")
        .annotate(stored_due=stored_due, n=Count("pk"))
        .order_by()
    )
    due = cache(lambda start: calendar.add_working_days(start, ICPC_WORKING_DAYS))
    totals = Counter[str]()
    for strategy_on, s47_on, held_on, stored, n in groups:
        totals["held"] += n
        if strategy_on is not None and strategy_on <= held_on:
            totals["strategy"] += n
            totals["strategy_met"] += n if held_on <= (stored or due(strategy_on)) else 0
        if s47_on is not None and s47_on <= held_on:
            totals["s47"] += n
            totals["s47_met"] += n if held_on <= due(s47_on) else 0
    return {
        "icpc_held": totals["held"],
        "icpc_in_timescale_pct": pct(totals["strategy_met"], totals["strategy"]),
        "icpc_s47_in_15wd_pct": pct(totals["s47_met"], totals["s47"]),
    }


def rcpc_metrics(period: Period) -> dict[str, object]:
    """``rcpc_held`` and ``rcpc_in_timescale_pct``: held on or before the stored
    ``original_due_date`` (CP-6: ICPC + 3 months; CP-7: previous + 6 months). The local
    pre-birth rule CP-8 (birth + 10 WD, when sooner) is stricter than the national
    definition, so those first review conferences are judged against ICPC + 3 months: the
    plan's start date is the ICPC date (CP-3)."""
    due = Case(
        When(rule_id="CP-8", cp_plan__isnull=False, then=AddMonths("cp_plan__start_date", 3)),
        default=F("original_due_date"),
        output_field=DateField(),
    )
    totals = (
        Conference.objects.filter(
            conference_type=Conference.Type.RCPC,
            status=Conference.Status.HELD,
            held_on__gte=period.start,
            held_on__lte=period.end,
        )
        .annotate(due=due)
        .aggregate(held=Count("pk"), met=Count("pk", filter=Q(held_on__lte=F("due"))))
    )
    return {
        "rcpc_held": totals["held"],
        "rcpc_in_timescale_pct": pct(totals["met"], totals["held"]),
    }
