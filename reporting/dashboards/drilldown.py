"""The list of children behind each dashboard figure. Every list starts from
``children_visible_to(user)`` and takes its filter from the query string (``?iro=12``,
``?iro=none``, ``?factor=out_of_area``, ``?measure=rcpc&period=ytd``), so a figure and its
list always agree: they are built from the same selector."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from audits.models import Audit
from children.deadlines import ChildDeadline
from children.models import Child
from children.selectors import children_visible_to
from people.models import User
from reporting.dashboards import audits as audit_panel
from reporting.dashboards import caseload, deadlines, timeliness
from reporting.dashboards.common import NamedPeriod, deadline_context
from reporting.models import CaseloadSettings


@dataclass(frozen=True)
class DrillRow:
    child: Child
    what: str
    url: str
    when: date | None = None
    deadline: ChildDeadline | None = None
    note: str = ""


def caseload_rows(
    *, user: User, today: date, iro_id: int | None, factor: str = ""
) -> list[DrillRow]:
    """The children on one IRO's caseload (or everyone's), optionally only those with one
    complexity factor."""
    settings = CaseloadSettings.current()
    children = caseload.caseload_children(user=user, today=today, settings=settings)
    if iro_id is not None:
        children = children.filter(iro_id=iro_id)
    if factor in caseload.FACTOR_LABELS:
        children = children.filter(**{f"f_{factor}": True})
    rows = []
    for child in children.select_related("iro").order_by("last_name", "first_name", "pk"):
        status = " and ".join(
            label
            for flag, label in ((child.in_care, "In care"), (child.on_plan, "On a plan"))
            if flag
        )
        points = caseload.caseload_points(child, settings)
        factors = ", ".join(caseload.factors_of(child)) or "No complexity factors"
        rows.append(
            DrillRow(
                child=child,
                what=status,
                url=reverse("children:detail", args=[child.pk]),
                note=f"{points} point{'s' if points != 1 else ''}: {factors}",
            )
        )
    return rows


def overdue_rows(
    *, user: User, today: date, category: str, owner_id: int | str | None
) -> list[DrillRow]:
    """Overdue items of one category, of one IRO (``"none"``: no IRO) or of everyone."""
    items = deadlines.open_items(
        children=children_visible_to(user),
        context=deadline_context(today),
        sources=deadlines.SOURCES_BY_CATEGORY[category],
        owner_id=owner_id,
        overdue_only=True,
    )
    return [
        DrillRow(
            child=item.child,
            what=f"{item.title} ({item.deadline.rule.id})",
            url=item.url,
            when=item.deadline.due,
            deadline=item.deadline,
        )
        for item in items
    ]


def timeliness_rows(
    *, user: User, today: date, measure: timeliness.Measure, period: NamedPeriod
) -> list[DrillRow]:
    """The events a timeliness figure counts, each judged met or late (or overdue, for a
    record past its due date), late ones first."""
    context = deadline_context(today)
    rows = (
        measure.judged(period.period, children_visible_to(user), today)
        .filter(measure.within(period.period))
        .annotate(d_rule=measure.rule)
        .select_related("child", "child__iro")
    )
    result = []
    for row in rows:
        done = getattr(row, measure.done)
        due = getattr(row, measure.due)
        deadline = context.row(row.d_rule, getattr(row, measure.start), due, done)
        result.append(
            DrillRow(
                child=row.child,
                what=f"{measure.label} ({row.d_rule})",
                url=reverse(measure.url_name, args=[row.pk]),
                when=getattr(row, measure.held_field),
                deadline=deadline,
            )
        )
    late_first = {"overdue": 0, "late": 1}
    return sorted(
        result, key=lambda r: (late_first.get(r.deadline.status, 2), r.when or today, r.child.pk)
    )


def audit_rows(
    *, user: User, period: NamedPeriod, rating: str = "", unaudited: bool = False
) -> list[DrillRow]:
    """Completed audits of the period (optionally of one rating), or the meetings held in it
    that have no completed audit."""
    children = children_visible_to(user)
    if unaudited:
        reviews, conferences = audit_panel.meetings_held(period.period, children)
        rows = [
            DrillRow(
                child=review.child,
                what="CLA review with no completed audit",
                url=reverse("reviews:detail", args=[review.pk]),
                when=review.held_date,
            )
            for review in reviews.filter(~audit_panel.audited("review")).select_related(
                "child", "child__iro"
            )
        ]
        rows += [
            DrillRow(
                child=conference.child,
                what=f"{conference.get_conference_type_display()} with no completed audit",
                url=reverse("conferences:detail", args=[conference.pk]),
                when=conference.held_on,
            )
            for conference in conferences.filter(~audit_panel.audited("conference")).select_related(
                "child", "child__iro"
            )
        ]
        return sorted(rows, key=lambda r: (r.when, r.child.pk))
    audits: QuerySet[Audit] = (
        Audit.objects.filter(child__in=children, status=Audit.Status.COMPLETED)
        .filter(completed_on__gte=period.period.start, completed_on__lte=period.period.end)
        .select_related("child", "child__iro")
        .order_by("completed_on", "pk")
    )
    if rating:
        audits = audits.filter(rating=rating)
    return [
        DrillRow(
            child=audit.child,
            what=f"Audit {audit.reference}",
            url=reverse("audits:detail", args=[audit.pk]),
            when=audit.completed_on,
            note=audit.get_rating_display(),
        )
        for audit in audits
    ]
