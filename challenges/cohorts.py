"""Cohorts for a service-level challenge (issue 6, "a cohort chosen by filter"): named
filters over the children the IRO may see, e.g. "children placed with parents" or "plans
open over 15 months" (the cohorts the IRO service reviews in its challenge clinics).

Each cohort is a read: it starts from ``children_visible_to(user)`` (so a restricted child is
never in a cohort of someone off its allow-list) and narrows it with one query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from children.models import Child, ChildProtectionPlan, Episode, PeriodOfCare
from children.selectors import children_visible_to
from people.models import User
from timescales.calendar import add_months

# CP-14's 15-month and 2-year flags; CIN "placed with parents" placement code.
PLACED_WITH_PARENTS = "P1"


@dataclass(frozen=True)
class Cohort:
    key: str
    label: str
    narrow: Callable[[QuerySet[Child], date], QuerySet[Child]]


def _open_plan(**filters: object) -> Q:
    plans = ChildProtectionPlan.objects.filter(
        child=OuterRef("pk"), end_date__isnull=True, **filters
    )
    return Q(Exists(plans))


def _in_care() -> Q:
    return Q(Exists(PeriodOfCare.objects.filter(child=OuterRef("pk"), end_date__isnull=True)))


def _placed_with_parents(children: QuerySet[Child], today: date) -> QuerySet[Child]:
    current = Episode.objects.filter(
        period__child=OuterRef("pk"),
        period__end_date__isnull=True,
        dec__isnull=True,
        place=PLACED_WITH_PARENTS,
    )
    return children.filter(Exists(current))


COHORTS = {
    cohort.key: cohort
    for cohort in (
        Cohort(
            "repeat-cp",
            "Children on a second or later child protection plan (CP-13)",
            lambda children, today: children.filter(_open_plan(previous_plans__gt=0)),
        ),
        Cohort(
            "cp-15-months",
            "Children on a child protection plan open 15 months or more (CP-14)",
            lambda children, today: children.filter(
                _open_plan(start_date__lte=add_months(today, -15))
            ),
        ),
        Cohort(
            "cp-2-years",
            "Children on a child protection plan open 2 years or more (CP-14)",
            lambda children, today: children.filter(
                _open_plan(start_date__lte=add_months(today, -24))
            ),
        ),
        Cohort(
            "placed-with-parents",
            "Children in care placed with their parents",
            _placed_with_parents,
        ),
        Cohort(
            "no-social-worker",
            "Children in care with no allocated social worker",
            lambda children, today: children.filter(_in_care(), social_worker__isnull=True),
        ),
    )
}


def cohort_children(
    *, user: User, key: str, today: date, team_id: int | None = None
) -> QuerySet[Child]:
    """The children of cohort ``key`` the user may see, optionally of one team, by name."""
    children = COHORTS[key].narrow(children_visible_to(user), today)
    if team_id:
        children = children.filter(team_id=team_id)
    return children.order_by("last_name", "first_name", "pk")
