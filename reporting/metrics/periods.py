"""Reporting periods and the arithmetic every metric shares (ANNUAL-REPORT-METRICS.md).

A reporting year ``Y`` runs from 1 April Y to 31 March Y+1. Percentages are rounded to one
decimal place and are ``None`` when the denominator is zero; rates are per 10,000 of the
0-17 population (POP-1).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import DateField, Func, Q
from django.db.models.expressions import Expression

from timescales.calendar import add_months


@dataclass(frozen=True)
class Period:
    """An inclusive span of days: [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period must end on or after its start.")

    @property
    def day_before(self) -> date:
        """The last day before the period: "at start" counts are taken on it (31 March Y)."""
        return self.start - timedelta(days=1)

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def reporting_year(year: int) -> Period:
    """1 April ``year`` to 31 March ``year + 1`` ("2019" is 2019-20)."""
    return Period(date(year, 4, 1), date(year + 1, 3, 31))


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def pct(numerator: int, denominator: int) -> float | None:
    """A percentage to one decimal place; ``None`` (never 0) when nothing was counted."""
    if not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def rate_per_10k(count: int, population: int | None) -> float | None:
    """POP-1: count / population x 10,000, one decimal place; ``None`` without a population."""
    if not population:
        return None
    return round(count * 10_000 / population, 1)


def years_before(day: date, years: int) -> date:
    """The latest date of birth at which a child is ``years`` old on ``day`` (completed
    years; born on 29 February, a year older on 1 March, as ``Child.age_on``)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # ``day`` is 29 February and the target year is not a leap year
        return date(day.year - years, 2, 28)


def months_before(day: date, months: int) -> date:
    """Calendar months back, clamped to the month's end (31 Mar - 30 months = 30 Sep)."""
    return add_months(day, -months)


class AddMonths(Func):
    """``date + n calendar months`` in SQL. PostgreSQL clamps to the month's end exactly as
    ``timescales.calendar.add_months`` does (31 Aug + 6 months = 28/29 Feb)."""

    output_field = DateField()

    def __init__(self, expression: Expression | str, months: int) -> None:
        if not isinstance(months, int):
            raise TypeError("months must be an int")
        super().__init__(expression)
        self.template = f"(%(expressions)s + interval '{months} months')::date"


def open_on(day: date, start: str = "start_date", end: str = "end_date") -> Q:
    """Open on ``day``: started on or before it and not ended on or before it (the
    "looked after on date D" convention, used for plans and allocations too)."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


def overlaps(period: Period, start: str = "start_date", end: str = "end_date") -> Q:
    """Open on at least one day of ``period`` under the same convention as ``open_on``."""
    return Q(**{f"{start}__lte": period.end}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": period.start})
    )
