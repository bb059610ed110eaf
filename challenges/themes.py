"""The themes view: what IROs challenge, how far it goes, how long it takes, by reporting
year (1 April to 31 March). A fixed number of queries per year, however many rows."""

from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Count, QuerySet

from challenges import workflow
from challenges.models import CafcassReferral, Challenge
from challenges.selectors import challenges_visible_to
from people.models import User
from timescales.calendar import WorkingCalendar


def reporting_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


@dataclass
class YearThemes:
    start: date
    end: date
    total: int = 0
    by_reason: list[tuple[str, int]] = field(default_factory=list)
    by_stage: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_team: list[tuple[str, int]] = field(default_factory=list)
    resolved: int = 0
    median_days_to_resolve: float | None = None
    cafcass_referrals: int = 0

    @property
    def label(self) -> str:
        return f"{self.start.year} to {self.end.year}"


def _counts(rows: QuerySet[Challenge], key: str) -> list[tuple[str, int]]:
    counted = rows.values(key).annotate(n=Count("pk", distinct=True)).order_by("-n", key)
    return [(row[key], row["n"]) for row in counted]


def year_themes(*, user: User, start: date, calendar: WorkingCalendar) -> YearThemes:
    end = date(start.year + 1, 3, 31)
    rows = challenges_visible_to(user).filter(raised_on__range=(start, end))
    themes = YearThemes(start=start, end=end, total=rows.count())
    themes.by_reason = _counts(rows, "reasons__label")
    stages = dict(_counts(rows, "stage"))
    themes.by_stage = [
        (label, stages.get(stage, 0)) for stage, label in workflow.STAGE_LABELS.items()
    ]
    categories = dict(_counts(rows, "category"))
    themes.by_category = [
        (label, categories.get(value, 0)) for value, label in Challenge.Category.choices
    ]
    themes.by_team = [(name or "No team", n) for name, n in _counts(rows, "team__name")]
    spans = [
        calendar.working_days_between(raised, finished)
        for raised, finished in rows.filter(status=workflow.RESOLVED).values_list(
            "raised_on", "finished_on"
        )
    ]
    themes.resolved = len(spans)
    themes.median_days_to_resolve = median(spans) if spans else None
    themes.cafcass_referrals = CafcassReferral.objects.filter(challenge__in=rows).count()
    return themes


def themes_for(*, user: User, today: date, calendar: WorkingCalendar) -> list[YearThemes]:
    """This reporting year and the previous one."""
    this_year = reporting_year_start(today)
    previous = date(this_year.year - 1, 4, 1)
    return [
        year_themes(user=user, start=start, calendar=calendar) for start in (this_year, previous)
    ]
