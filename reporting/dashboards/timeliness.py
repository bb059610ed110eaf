"""Timeliness this month and in the reporting year to date: CLA reviews, initial and
review conferences, review records and conference minutes circulated.

Each measure counts the events of the period and how many met their stored due date
(DOMAIN.md "met / late / overdue": on or before the original due date, which rescheduling
never moves). The meetings use the annual report's own sets (``reporting.metrics``:
``cla_reviews_held`` leaves out short-break-only children; ``initial_conferences_held``
takes ICPCs, transfer-in and pre-birth conferences), scoped to the children the user can
see. Choices where the dashboard is simpler than the annual report, said in the help text:
ICPCs and RCPCs are judged against the conference's stored clock (CP-1, CP-6/7/8), not
recomputed from the strategy discussion or, for pre-birth plans, from the ICPC alone.
Records: reviews (or conferences) held in the period whose record was circulated, or whose
due date has passed without it; on time when circulated on or before the due date.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Count, Expression, F, Q, QuerySet, Value
from django.db.models.functions import TruncMonth

from children.models import Child
from conferences.models import Conference
from reporting.dashboards.common import NamedPeriod
from reporting.metrics.cla import cla_reviews_held
from reporting.metrics.cp import initial_conferences_held
from reporting.metrics.periods import Period, pct
from reviews.models import Review
from timescales.calendar import add_months


def _rcpcs_held(period: Period) -> QuerySet[Conference]:
    return Conference.objects.filter(
        conference_type=Conference.Type.RCPC,
        status=Conference.Status.HELD,
        held_on__gte=period.start,
        held_on__lte=period.end,
    )


def _reviews_held_in(period: Period) -> QuerySet[Review]:
    return Review.objects.filter(
        status=Review.Status.HELD, held_date__gte=period.start, held_date__lte=period.end
    )


def _conferences_held_in(period: Period) -> QuerySet[Conference]:
    return Conference.objects.filter(
        status=Conference.Status.HELD, held_on__gte=period.start, held_on__lte=period.end
    )


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    help: str
    held: Callable[[Period], QuerySet]
    # The meeting's date: a record belongs to the period its meeting was held in.
    held_field: str
    rule: Expression
    start: str
    done: str
    due: str
    url_name: str

    def judged(self, period: Period, children: QuerySet[Child], today: date) -> QuerySet:
        """Events of the period that have met, missed or passed their due date."""
        rows = self.held(period).filter(child__in=children, **{f"{self.due}__isnull": False})
        return rows.filter(Q(**{f"{self.done}__isnull": False}) | Q(**{f"{self.due}__lt": today}))

    def within(self, period: Period) -> Q:
        return Q(**{f"{self.held_field}__gte": period.start, f"{self.held_field}__lte": period.end})

    @property
    def on_time(self) -> Q:
        return Q(**{f"{self.done}__lte": F(self.due)})


MEASURES = (
    Measure(
        "cla_reviews",
        "CLA reviews",
        "Reviews of children in care held in the period on or before their due date "
        "(CLA-1, CLA-2, CLA-3).",
        cla_reviews_held,
        "held_date",
        F("sequence_rule"),
        "clock_start",
        "held_date",
        "original_due_date",
        "reviews:detail",
    ),
    Measure(
        "icpc",
        "Initial conferences",
        "Initial conferences held in the period on or before their stored due date (CP-1: "
        "15 working days from the strategy discussion; transfer-in CP-9).",
        initial_conferences_held,
        "held_on",
        F("rule_id"),
        "clock_start",
        "held_on",
        "original_due_date",
        "conferences:detail",
    ),
    Measure(
        "rcpc",
        "Review conferences",
        "Review conferences held in the period on or before their stored due date (CP-6, "
        "CP-7, CP-8).",
        _rcpcs_held,
        "held_on",
        F("rule_id"),
        "clock_start",
        "held_on",
        "original_due_date",
        "conferences:detail",
    ),
    Measure(
        "review_records",
        "Review records circulated",
        "Reviews held in the period whose full record was circulated within 20 working days "
        "(CLA-14), out of those circulated or past their due date.",
        _reviews_held_in,
        "held_date",
        Value("CLA-14"),
        "held_date",
        "record_completed_on",
        "record_due",
        "reviews:detail",
    ),
    Measure(
        "conference_minutes",
        "Conference minutes sent",
        "Conferences held in the period whose minutes were sent within 20 working days "
        "(CP-MINUTES), out of those sent or past their due date.",
        _conferences_held_in,
        "held_on",
        Value("CP-MINUTES"),
        "held_on",
        "minutes_completed_on",
        "minutes_due",
        "conferences:detail",
    ),
)
MEASURES_BY_KEY = {measure.key: measure for measure in MEASURES}


@dataclass(frozen=True)
class Figure:
    judged: int
    on_time: int

    @property
    def pct(self) -> float | None:
        return pct(self.on_time, self.judged)

    @property
    def late(self) -> int:
        return self.judged - self.on_time


@dataclass(frozen=True)
class TimelinessRow:
    measure: Measure
    figures: dict[str, Figure]


def timeliness(
    *, children: QuerySet[Child], periods: dict[str, NamedPeriod], today: date
) -> list[TimelinessRow]:
    """Each measure for each period in one query: per measure, an aggregate over the widest
    period with a filtered count per period (no GROUP BY, so one row even when nothing was
    held), the measures joined with UNION ALL and told apart by their key."""
    widest = min(periods.values(), key=lambda named: named.period.start).period
    parts = []
    for measure in MEASURES:
        counts = {}
        for key, named in periods.items():
            within = measure.within(named.period)
            counts[f"{key}_judged"] = Count("pk", filter=within)
            counts[f"{key}_met"] = Count("pk", filter=within & measure.on_time)
        parts.append(
            measure.judged(widest, children, today)
            .order_by()
            .annotate(measure=Value(measure.key, output_field=CharField()))
            .values("measure")
            .annotate(**counts)
            .values("measure", *counts)
        )
    totals = {row["measure"]: row for row in parts[0].union(*parts[1:], all=True)}
    return [
        TimelinessRow(
            measure,
            {
                key: Figure(totals[measure.key][f"{key}_judged"], totals[measure.key][f"{key}_met"])
                for key in periods
            },
        )
        for measure in MEASURES
    ]


def monthly_on_time(
    *, measure: Measure, children: QuerySet[Child], period: Period, today: date
) -> list[tuple[date, Figure]]:
    """One measure month by month over ``period`` (the year to date's trend): one
    aggregate query grouped by the month the meeting was held in."""
    rows = (
        measure.judged(period, children, today)
        .filter(measure.within(period))
        .annotate(month=TruncMonth(measure.held_field))
        .order_by()
        .values("month")
        .annotate(judged=Count("pk"), on_time=Count("pk", filter=measure.on_time))
    )
    found = {row["month"]: Figure(row["judged"], row["on_time"]) for row in rows}
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        months.append((month, found.get(month, Figure(0, 0))))
        month = add_months(month, 1)
    return months
