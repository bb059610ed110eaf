"""Audit completion and ratings this month and in the reporting year to date.

The definitions are the annual report's (``audits_completed``, ``audit_rag``,
``audit_completion_pct``: ``reporting.metrics.audits``), scoped to the children the user
can see: completed audits by completion date and overall rating; of CLA reviews (as
``cla_reviews_held``) and conferences held in the period, the % with a completed audit.
"""

from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value

from audits.models import Audit, Rag
from children.models import Child
from conferences.models import Conference
from reporting.dashboards.common import NamedPeriod
from reporting.metrics.audits import audits_completed_in
from reporting.metrics.cla import cla_reviews_held
from reporting.metrics.periods import Period, pct

RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN)


@dataclass(frozen=True)
class AuditFigures:
    completed: int
    rag: dict[str, int]
    meetings: int
    audited: int

    @property
    def completion_pct(self) -> float | None:
        return pct(self.audited, self.meetings)


def meetings_held(period: Period, children: QuerySet[Child]) -> tuple[QuerySet, QuerySet]:
    """The CLA reviews and the conferences held in ``period``."""
    reviews = cla_reviews_held(period).filter(child__in=children)
    conferences = Conference.objects.filter(
        child__in=children,
        status=Conference.Status.HELD,
        held_on__gte=period.start,
        held_on__lte=period.end,
    )
    return reviews, conferences


def audited(meeting: str) -> Exists:
    """The meeting (``"review"`` or ``"conference"``) has a completed audit."""
    completed = Audit.objects.filter(status=Audit.Status.COMPLETED)
    return Exists(completed.filter(**{meeting: OuterRef("pk")}))


def _within(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def audit_figures(
    *, children: QuerySet[Child], periods: dict[str, NamedPeriod]
) -> dict[str, AuditFigures]:
    """Two queries whatever the number of periods: the audits completed, and the reviews
    and conferences held (UNION ALL), each over the widest period with a filtered count
    per period."""
    widest = min(periods.values(), key=lambda named: named.period.start).period
    audit_counts = {}
    for key, named in periods.items():
        within = _within("completed_on", named.period)
        audit_counts[f"{key}_all"] = Count("pk", filter=within)
        for rag in RAGS:
            audit_counts[f"{key}_{rag.value}"] = Count("pk", filter=within & Q(rating=rag))
    audits = audits_completed_in(widest).filter(child__in=children).aggregate(**audit_counts)
    reviews, conferences = meetings_held(widest, children)
    parts = []
    for rows, meeting, field in (
        (reviews, "review", "held_date"),
        (conferences, "conference", "held_on"),
    ):
        counts = {}
        for key, named in periods.items():
            within = _within(field, named.period)
            counts[f"{key}_all"] = Count("pk", filter=within)
            counts[f"{key}_audited"] = Count("pk", filter=within & Q(audited(meeting)))
        labelled = rows.order_by().annotate(meeting=Value(meeting, output_field=CharField()))
        parts.append(labelled.values("meeting").annotate(**counts).values("meeting", *counts))
    # One row per meeting kind (no GROUP BY), both in one query.
    held = list(parts[0].union(parts[1], all=True))
    return {
        key: AuditFigures(
            completed=audits[f"{key}_all"],
            rag={rag.value: audits[f"{key}_{rag.value}"] for rag in RAGS},
            meetings=sum(row[f"{key}_all"] for row in held),
            audited=sum(row[f"{key}_audited"] for row in held),
        )
        for key in periods
    }
