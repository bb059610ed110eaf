"""The stored deadlines of children that are not yet met, for caseloads, overdue lists and
the overdue-by-IRO figures.

Each ``Source`` is one kind of stored deadline (ARCHITECTURE.md: due dates live in indexed
columns): a model, the rows whose deadline is still open, and the columns holding its rule,
clock start and due date. A row is overdue when its due date has passed with no event,
exactly as ``timescales.rules.assess`` judges it (DOMAIN.md "met / late / overdue"); the
badges are built by ``children.deadlines.DeadlineContext.row``, so every page judges alike.

The open items cost one query per model holding sources, and the overdue counts one
query in all (UNION ALL), whatever the number of rows. The deadlines the clock engine
computes without storing (core groups, statutory visits, plan-duration milestones) are the
social worker's and are on the child's page, not here.
"""

import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from children.deadlines import ChildDeadline, DeadlineContext
from children.models import Child, PeriodOfCare, S47Enquiry
from conferences.models import Conference
from reviews import workflow as review_workflow
from reviews.models import Review
from timescales.rules import DEFAULT_RULES

OPEN_CONFERENCE = (Conference.Status.REQUESTED, Conference.Status.SCHEDULED)


class Category:
    """The groups the overdue-by-IRO chart shows, in its order."""

    REVIEWS = "reviews"
    CONFERENCES = "conferences"
    RECORDS = "records"
    ALLOCATION = "allocation"


CATEGORY_LABELS = {
    Category.REVIEWS: "Reviews",
    Category.CONFERENCES: "Conferences",
    Category.RECORDS: "Records",
    Category.ALLOCATION: "IRO allocation",
}


@dataclass(frozen=True)
class Source:
    key: str
    category: str
    title: str
    model: type[Model]
    open: Q
    rule: Expression
    start: Expression
    due: str
    # The IRO the item belongs to: the chair of a meeting when booked, else the child's IRO.
    owner: Expression
    url_name: str
    url_field: str = "pk"


def _icpc_awaited() -> Q:
    """CP-1 from the enquiry itself only while no conference was requested for it (the
    conference then carries the same clock)."""
    requested = Conference.objects.filter(s47_enquiry=OuterRef("pk"), status__in=OPEN_CONFERENCE)
    return Q(icpc_not_required=False, icpc_date__isnull=True) & ~Q(Exists(requested))


HELD_REVIEW = Q(status=review_workflow.HELD)
HELD_CONFERENCE = Q(status=Conference.Status.HELD)
CHAIR_OR_IRO = Coalesce(F("chair_id"), F("child__iro_id"))

SOURCES: tuple[Source, ...] = (
    Source(
        "review",
        Category.REVIEWS,
        "Review",
        Review,
        Q(status__in=review_workflow.OPEN_STATUSES),
        F("sequence_rule"),
        F("clock_start"),
        "original_due_date",
        F("child__iro_id"),
        "reviews:detail",
    ),
    Source(
        "review_decisions",
        Category.RECORDS,
        "Review decisions to circulate",
        Review,
        HELD_REVIEW & Q(decisions_circulated_on__isnull=True, decisions_due__isnull=False),
        Value("CLA-13"),
        F("held_date"),
        "decisions_due",
        CHAIR_OR_IRO,
        "reviews:detail",
    ),
    Source(
        "review_record",
        Category.RECORDS,
        "Review record to complete",
        Review,
        HELD_REVIEW & Q(record_completed_on__isnull=True, record_due__isnull=False),
        Value("CLA-14"),
        F("held_date"),
        "record_due",
        CHAIR_OR_IRO,
        "reviews:detail",
    ),
    Source(
        "conference",
        Category.CONFERENCES,
        "Conference",
        Conference,
        Q(status__in=OPEN_CONFERENCE),
        F("rule_id"),
        F("clock_start"),
        "original_due_date",
        CHAIR_OR_IRO,
        "conferences:detail",
    ),
    Source(
        "icpc",
        Category.CONFERENCES,
        "Initial conference not yet requested",
        S47Enquiry,
        _icpc_awaited(),
        Value("CP-1"),
        Coalesce(F("strategy_discussion_date"), F("start_date")),
        "icpc_due",
        F("child__iro_id"),
        "children:detail",
        "child_id",
    ),
    Source(
        "conference_outcome",
        Category.RECORDS,
        "Conference outcome to send",
        Conference,
        HELD_CONFERENCE & Q(outcome_sent_on__isnull=True, outcome_due__isnull=False),
        Value("CP-OUTCOME"),
        F("held_on"),
        "outcome_due",
        CHAIR_OR_IRO,
        "conferences:detail",
    ),
    Source(
        "conference_minutes",
        Category.RECORDS,
        "Conference minutes to complete",
        Conference,
        HELD_CONFERENCE & Q(minutes_completed_on__isnull=True, minutes_due__isnull=False),
        Value("CP-MINUTES"),
        F("held_on"),
        "minutes_due",
        CHAIR_OR_IRO,
        "conferences:detail",
    ),
    Source(
        "allocation",
        Category.ALLOCATION,
        "IRO to allocate",
        PeriodOfCare,
        Q(end_date__isnull=True, iro_allocated_on__isnull=True),
        Value("CLA-11"),
        F("start_date"),
        "iro_allocation_due",
        F("child__iro_id"),
        "children:detail",
        "child_id",
    ),
)
SOURCES_BY_CATEGORY: dict[str, list[Source]] = defaultdict(list)
for _source in SOURCES:
    SOURCES_BY_CATEGORY[_source.category].append(_source)


@dataclass(frozen=True)
class OpenItem:
    """One deadline not yet met, judged (``deadline.status``: overdue, due soon, upcoming)."""

    source: Source
    child: Child
    owner_id: int | None
    deadline: ChildDeadline
    url: str

    @property
    def title(self) -> str:
        return self.source.title


def _by_model(sources: Iterable[Source]) -> dict[type[Model], list[Source]]:
    """The sources grouped by the model holding them, so each model is read once."""
    groups: dict[type[Model], list[Source]] = defaultdict(list)
    for source in sources:
        groups[source.model].append(source)
    return groups


def _columns(source: Source) -> dict[str, Expression]:
    """The source's rule, clock start, due date, owner and link, named after the source."""
    return {
        f"d_{source.key}_rule": source.rule,
        f"d_{source.key}_start": source.start,
        f"d_{source.key}_due": F(source.due),
        f"d_{source.key}_owner": source.owner,
        f"d_{source.key}_url": F(source.url_field),
    }


def _wanted(source: Source, owner_id: int | str | None, overdue_before: date | None) -> Q:
    """The source's open rows, of one IRO (``"none"``: with no IRO at all) and, when
    ``overdue_before`` is given, due before it. Refers to the ``_columns`` annotations."""
    wanted = source.open
    owner = f"d_{source.key}_owner"
    if owner_id == "none":
        wanted &= Q(**{f"{owner}__isnull": True})
    elif owner_id is not None:
        wanted &= Q(**{owner: owner_id})
    if overdue_before is not None:
        wanted &= Q(**{f"{source.due}__lt": overdue_before})
    return wanted


def _matching(
    model: type[Model],
    group: list[Source],
    children: QuerySet[Child],
    owner_id: int | str | None = None,
    overdue_before: date | None = None,
) -> tuple[QuerySet, dict[str, Q]]:
    """The rows of ``model`` wanted by any source of ``group``, with every source's columns:
    one query for the model however many sources it holds."""
    rows = model._default_manager.filter(child__in=children)
    for source in group:
        rows = rows.annotate(**_columns(source))
    wanted = {source.key: _wanted(source, owner_id, overdue_before) for source in group}
    return rows.filter(reduce(operator.or_, wanted.values())), wanted


def open_items(
    *,
    children: QuerySet[Child],
    context: DeadlineContext,
    sources: Iterable[Source] = SOURCES,
    owner_id: int | str | None = None,
    overdue_only: bool = False,
) -> list[OpenItem]:
    """The open deadlines of ``children`` (already scoped by the caller), soonest due first.
    One query per model (reviews, conferences, enquiries, periods of care); a row open for
    several sources (a held review with both its decisions and its record to send) gives
    one item per source."""
    overdue_before = context.today if overdue_only else None
    items = []
    for model, group in _by_model(sources).items():
        rows, wanted = _matching(model, group, children, owner_id, overdue_before)
        flags = {f"d_{source.key}_wanted": _flag(wanted[source.key]) for source in group}
        for row in rows.annotate(**flags).select_related("child", "child__iro"):
            for source in group:
                if not getattr(row, f"d_{source.key}_wanted"):
                    continue
                item = _item(source, row, context)
                if item is not None:
                    items.append(item)
    return sorted(items, key=lambda item: (item.deadline.due, item.child.pk, item.source.key))


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _item(source: Source, row: Model, context: DeadlineContext) -> OpenItem | None:
    rule, due = getattr(row, f"d_{source.key}_rule"), getattr(row, f"d_{source.key}_due")
    if rule not in DEFAULT_RULES or due is None:
        return None  # imported rows may carry no rule: no deadline to judge
    deadline = context.row(rule, getattr(row, f"d_{source.key}_start"), due, None)
    url = reverse(source.url_name, args=[getattr(row, f"d_{source.key}_url")])
    return OpenItem(source, row.child, getattr(row, f"d_{source.key}_owner"), deadline, url)


def next_deadline_by_child(items: Iterable[OpenItem]) -> dict[int, OpenItem]:
    """The soonest open deadline of each child."""
    soonest: dict[int, OpenItem] = {}
    for item in items:
        current = soonest.get(item.child.pk)
        if current is None or item.deadline.due < current.deadline.due:
            soonest[item.child.pk] = item
    return soonest


def overdue_counts_by_owner(
    *, children: QuerySet[Child], today: date
) -> dict[int | None, dict[str, int]]:
    """Overdue items per IRO and category in one query: per source, the overdue rows
    counted by owner; the sources joined with UNION ALL and told apart by their key."""
    parts = [
        source.model._default_manager.filter(source.open, child__in=children)
        .filter(**{f"{source.due}__lt": today})
        .order_by()
        .annotate(d_source=Value(source.key, output_field=CharField()), d_owner=source.owner)
        .values("d_source", "d_owner")
        .annotate(n=Count("pk", output_field=IntegerField()))
        for source in SOURCES
    ]
    by_key = {source.key: source for source in SOURCES}
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in parts[0].union(*parts[1:], all=True):
        counts[row["d_owner"]][by_key[row["d_source"]].category] += row["n"]
    return counts
