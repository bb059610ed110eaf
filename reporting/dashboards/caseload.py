"""Caseloads: the children allocated to each IRO, per full-time equivalent, against the
guidance and the local target (CLA-16), and the complexity-weighted view.

A child is on a caseload on a date when allocated to the IRO and looked after on that date
or on a child protection plan open on it (ANNUAL-REPORT-METRICS.md ``iro_caseload_by_iro``,
with the annual report's own definitions: ``reporting.metrics``). The current allocation
(``Child.iro``) is today's; the annual report reads the dated allocations instead.
Complexity factors are derived from the records as each ``CaseloadSettings`` field's help
text says.
"""

import operator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from children.models import Child, Episode, PeriodOfCare
from children.selectors import children_visible_to
from people.models import User
from people.roles import Role
from people.selectors import users_with_roles
from reporting.metrics.cla import episodes_open_on
from reporting.metrics.cp import plans_open_on
from reporting.models import CaseloadSettings
from timescales.calendar import add_months

# CLA-16 (IRO Handbook, STAT-GUIDANCE): 50 to 70 children per full-time IRO.
GUIDANCE_LOW = 50
GUIDANCE_HIGH = 70
RECENT_MONTHS = 3
# A new episode with these reasons moves the child (903 RNE: P, T, B, U). A move is a
# disruption unless the episode it ended says it followed the care plan or changed only the
# placement's status (903 REASON_PLACE_CHANGE).
PLACEMENT_CHANGES = ("P", "T", "B", "U")
PLANNED_CHANGES = ("CARPL", "PLACE")

FACTOR_LABELS = {
    "sibling_group": "In a sibling group",
    "in_care_and_on_plan": "In care and on a plan",
    "out_of_area": "Placed out of area",
    "care_proceedings": "In care proceedings",
    "recently_accommodated": "Accommodated in the last 3 months",
    "placement_disruption": "Placement disruption in the last 3 months",
}


class PostcodeArea(Func):
    """The letters a postcode starts with (``DL1 2AB`` -> ``DL``): PostgreSQL ``substring``
    with a regular expression. SQLite (``make run`` with no configuration) has no regular
    expressions: an area is one or two letters, so it is the first two characters without
    a trailing digit."""

    function = "substring"
    template = "UPPER(%(function)s(%(expressions)s from '^[A-Za-z]+'))"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        template = "UPPER(RTRIM(SUBSTR(%(expressions)s, 1, 2), '0123456789'))"
        return super().as_sql(compiler, connection, template=template, **extra)


def looked_after_on(day: date) -> Exists:
    """Looked after on ``day``, as the annual report counts it (not a short break)."""
    return Exists(episodes_open_on(day).filter(period__child=OuterRef("pk")))


def on_plan_on(day: date) -> Exists:
    return Exists(plans_open_on(day).filter(child=OuterRef("pk")))


def _current_episode(day: date, column: str) -> Subquery:
    episodes = episodes_open_on(day).filter(period__child=OuterRef("pk")).order_by("-decom")
    return Subquery(episodes.values(column)[:1])


def _out_of_area(prefixes: list[str]) -> Q:
    placed = Q(c_pl_post__isnull=False) & ~Q(c_pl_post="")
    if prefixes:
        local = reduce(operator.or_, (Q(c_pl_post__istartswith=p) for p in prefixes))
        return placed & ~local
    home = Q(c_home_post__isnull=False) & ~Q(c_home_post="")
    return placed & home & ~Q(c_pl_area=F("c_home_area"))


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def caseload_children(*, user: User, today: date, settings: CaseloadSettings) -> QuerySet[Child]:
    """The visible children on an IRO's caseload today, each with ``in_care``, ``on_plan``
    and one ``f_<factor>`` boolean per complexity factor."""
    recent = add_months(today, -RECENT_MONTHS)
    planned = Episode.objects.filter(
        period=OuterRef("period"), dec=OuterRef("decom"), reason_place_change__in=PLANNED_CHANGES
    )
    disruptions = Episode.objects.filter(
        period__child=OuterRef("pk"),
        rne__in=PLACEMENT_CHANGES,
        decom__gt=recent,
        decom__lte=today,
    ).exclude(Exists(planned))
    accommodated = PeriodOfCare.objects.filter(
        child=OuterRef("pk"), start_date__gt=recent, start_date__lte=today
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
    children = (
        children_visible_to(user)
        .filter(iro__isnull=False)
        .annotate(in_care=looked_after_on(today), on_plan=on_plan_on(today))
        .filter(Q(in_care=True) | Q(on_plan=True))
        .annotate(
            c_ls=_current_episode(today, "ls"),
            c_pl_post=_current_episode(today, "pl_post"),
            c_home_post=_current_episode(today, "home_post"),
        )
        .annotate(c_pl_area=PostcodeArea("c_pl_post"), c_home_area=PostcodeArea("c_home_post"))
    )
    return children.annotate(
        f_sibling_group=_flag(Q(sibling_group__isnull=False)),
        f_in_care_and_on_plan=_flag(Q(in_care=True, on_plan=True)),
        f_out_of_area=_flag(_out_of_area(settings.prefixes)),
        f_care_proceedings=_flag(Q(c_ls="C1")),
        f_recently_accommodated=_flag(Q(Exists(accommodated))),
        f_placement_disruption=_flag(Q(Exists(disruptions))),
    )


def per_fte(count: int | Decimal, fte: Decimal) -> Decimal:
    """A count per full-time equivalent, one decimal place (half up, as the metrics)."""
    return (Decimal(count) / fte).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class IroCaseload:
    iro: User
    children: int = 0
    factors: dict[str, int] = field(default_factory=dict)
    points: int = 0

    @property
    def fte(self) -> Decimal:
        return self.iro.fte

    @property
    def per_fte(self) -> Decimal:
        return per_fte(self.children, self.fte)

    @property
    def points_per_fte(self) -> Decimal:
        return per_fte(self.points, self.fte)


def iro_caseloads(*, user: User, today: date, settings: CaseloadSettings) -> list[IroCaseload]:
    """Every IRO (and anyone else holding children) with their visible caseload today and
    its complexity points. Two queries: the counts grouped by IRO, and the IROs."""
    weights = settings.weights
    counts = (
        caseload_children(user=user, today=today, settings=settings)
        .order_by()
        .values("iro_id")
        .annotate(
            n=Count("pk"),
            **{name: Count("pk", filter=Q(**{f"f_{name}": True})) for name in weights},
        )
    )
    by_iro = {row["iro_id"]: row for row in counts}
    holders = users_with_roles([Role.IRO, Role.SENIOR_IRO]).filter(is_active=True)
    iros = User.objects.filter(Q(pk__in=holders) | Q(pk__in=list(by_iro))).order_by(
        "last_name", "first_name", "pk"
    )
    rows = []
    for iro in iros:
        row = by_iro.get(iro.pk, {})
        factors = {name: row.get(name, 0) for name in weights}
        children = row.get("n", 0)
        points = children + sum(weights[name] * factors[name] for name in weights)
        rows.append(IroCaseload(iro=iro, children=children, factors=factors, points=points))
    return rows


def caseload_points(child: Child, settings: CaseloadSettings) -> int:
    """One child's complexity points: 1, plus each factor's weight when it applies."""
    return 1 + sum(
        weight for name, weight in settings.weights.items() if getattr(child, f"f_{name}")
    )


def factors_of(child: Child) -> list[str]:
    return [label for name, label in FACTOR_LABELS.items() if getattr(child, f"f_{name}")]
