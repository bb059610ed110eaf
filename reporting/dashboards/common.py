"""Dates the dashboards share: the London date, this week, this month, the reporting year."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from children.deadlines import DeadlineContext
from reporting.metrics.periods import Period
from timescales.services import rule_books, working_calendar


def london_today() -> date:
    return timezone.localdate()


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def reporting_year_start(day: date) -> date:
    """1 April of the reporting year holding ``day`` (ANNUAL-REPORT-METRICS.md)."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


@dataclass(frozen=True)
class NamedPeriod:
    key: str
    label: str
    period: Period


def dashboard_periods(today: date) -> dict[str, NamedPeriod]:
    """This month (1st to today) and the reporting year to date (1 April to today)."""
    return {
        "month": NamedPeriod("month", "This month", Period(today.replace(day=1), today)),
        "ytd": NamedPeriod("ytd", "Year to date", Period(reporting_year_start(today), today)),
    }


def deadline_context(today: date) -> DeadlineContext:
    """What judging deadlines needs, read once per page (two queries)."""
    return DeadlineContext(today=today, calendar=working_calendar(), books=rule_books())
