"""Reads of child records. ``children_visible_to`` is the only way to reach case data
(SECURITY.md): every list, detail, search, export, count and task starts from it, and a
child it does not return is a 404."""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from children.models import (
    AccessReason,
    Allocation,
    Child,
    ChildEvent,
    ChildProtectionPlan,
    ConflictDeclaration,
    Episode,
    PeriodOfCare,
    S47Enquiry,
    Visit,
)
from iro_service.core.json_rows import json_rows, rows_to_instances
from iro_service.core.policy import REASON_ROLES, Relationship, Scope, roles_with_scope
from people.models import User
from people.selectors import teams_managed_by

AUTHORITY_WIDE_ROLES = roles_with_scope(Scope.AUTHORITY)
TEAM_ROLES = roles_with_scope(Scope.TEAM)
TREE_ROLES = roles_with_scope(Scope.TREE)
T = TypeVar("T")


def _relationship_scope(user: User) -> Q | None:
    """The non-restricted children the user's roles reach; None for none at all."""
    roles = user.roles
    if roles & AUTHORITY_WIDE_ROLES:
        return Q()
    parts = []
    if roles & TEAM_ROLES:
        parts.append(Q(social_worker=user))
        if user.team_id is not None:
            parts.append(Q(team_id=user.team_id))
    if roles & (TEAM_ROLES | TREE_ROLES):
        managed = teams_managed_by(user)
        if managed:
            parts.append(Q(team_id__in=managed))
    return reduce(operator.or_, parts) if parts else None


def children_visible_to(user: User) -> QuerySet[Child]:
    """Every child the user may see.

    IROs, IRO managers and business support: every non-restricted child. Social workers and
    team managers: their team's children (and those allocated to them). Heads of service and
    the director: their part of the team tree. A restricted child: only its allow-list,
    whatever the role. Performance, information governance and administrators: none here.
    Managers who gave a reason to open a child outside their teams: that child, for a
    while. A child someone declared a connection to: never, for them. (The scopes are
    ``iro_service.core.policy.SCOPE``.)
    """
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    allowed = Child.allowed_users.through.objects.filter(child_id=OuterRef("pk"), user_id=user.pk)
    visible = Q(restricted=True) & Exists(allowed)
    scope = _relationship_scope(user)
    if scope is not None:
        visible |= Q(restricted=False) & scope
    if user.roles & REASON_ROLES:
        reasons = AccessReason.objects.filter(
            child_id=OuterRef("pk"), user_id=user.pk, expires_at__gt=timezone.now()
        )
        visible |= Q(restricted=False) & Exists(reasons)
    conflict = ConflictDeclaration.objects.filter(child_id=OuterRef("pk"), user_id=user.pk)
    return Child.objects.filter(visible & ~Exists(conflict))


def relationship_to(user: User, child: Child) -> Relationship:
    """How ``user`` stands to ``child`` (SECURITY.md; ``iro_service.core.policy``): a
    declared conflict first, then the restriction, then allocation, then the team tree."""
    if ConflictDeclaration.objects.filter(child=child, user=user).exists():
        return Relationship.CONFLICT
    if child.restricted:
        listed = child.allowed_users.filter(pk=user.pk).exists()
        return Relationship.ALLOW_LISTED if listed else Relationship.RESTRICTED
    if user.pk in (child.iro_id, child.social_worker_id):
        return Relationship.ALLOCATED
    if child.team_id is not None and (
        child.team_id == user.team_id or child.team_id in teams_managed_by(user)
    ):
        return Relationship.SAME_TEAM
    return Relationship.OTHER_TEAM


def with_status(children: QuerySet[Child]) -> QuerySet[Child]:
    """Annotate ``in_care`` (an open episode) and ``on_plan`` (an open CP plan)."""
    return children.annotate(
        in_care=Exists(Episode.objects.filter(period__child=OuterRef("pk"), dec__isnull=True)),
        on_plan=Exists(
            ChildProtectionPlan.objects.filter(child=OuterRef("pk"), end_date__isnull=True)
        ),
    )


def child_list_for_user(
    *,
    user: User,
    query: str = "",
    status: str = "",
    iro_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[Child]:
    """The children list: search by name or local authority ID, filter by status, IRO, team."""
    children = with_status(children_visible_to(user)).select_related("iro", "social_worker", "team")
    for word in query.split():
        children = children.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(la_child_id__iexact=word)
        )
    if status == "in_care":
        children = children.filter(in_care=True)
    elif status == "on_plan":
        children = children.filter(on_plan=True)
    elif status == "both":
        children = children.filter(in_care=True, on_plan=True)
    elif status == "neither":
        children = children.filter(in_care=False, on_plan=False)
    if iro_id:
        children = children.filter(iro_id=iro_id)
    if team_id:
        children = children.filter(team_id=team_id)
    return children.order_by("last_name", "first_name", "pk")


def child_get_for_user(*, user: User, pk: int) -> Child:
    """One child the user may see, or 404 (never 403: invisible means absent)."""
    child = (
        with_status(children_visible_to(user))
        .select_related("iro", "social_worker", "team", "sibling_group")
        .filter(pk=pk)
        .first()
    )
    if child is None:
        raise Http404("No such child")
    return child


TIMELINE_LIMIT = 200


@dataclass
class ChildRecord:
    """One child's record as the child page and the deadline providers read it: each list in
    the order the page shows it, all from one query (``child_record``). Periods of care are
    newest first, each with ``episode_list`` oldest first; enquiries and plans newest first;
    visits newest first; allocations by kind, newest first; the timeline newest first.

    ``reads`` holds what other apps read about the child for the same page (its reviews, its
    conferences), so their deadlines and their sections share one read (``read_once``)."""

    child: Child
    periods: list[PeriodOfCare]
    s47_enquiries: list[S47Enquiry]
    cp_plans: list[ChildProtectionPlan]
    visits: list[Visit]
    allocations: list[Allocation]
    events: list[ChildEvent]
    reads: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def open_period(self) -> PeriodOfCare | None:
        return next((period for period in self.periods if period.end_date is None), None)

    @property
    def open_plans(self) -> list[ChildProtectionPlan]:
        """Open plans, oldest first."""
        return sorted(
            (plan for plan in self.cp_plans if plan.end_date is None),
            key=lambda plan: (plan.start_date, plan.pk),
        )

    def read_once(self, name: str, read: Callable[[], list[T]]) -> list[T]:
        if name not in self.reads:
            self.reads[name] = read()
        return self.reads[name]


NAMES = ("first_name", "last_name", "email")
LISTS = (
    "periods",
    "episodes",
    "enquiries",
    "plans",
    "visit_rows",
    "allocation_rows",
    "events_rows",
)


def child_record(child: Child) -> ChildRecord:
    """Read ``child``'s periods of care and episodes, s47 enquiries, plans, visits,
    allocations and timeline (the latest ``TIMELINE_LIMIT`` events) in one query. Each call
    reads afresh: the caller keeps the record for as long as it is current (one request)."""
    mine = OuterRef("pk")
    lists = (
        Child.objects.filter(pk=child.pk)
        .annotate(
            periods=json_rows(PeriodOfCare.objects.filter(child=mine).order_by("-start_date")),
            episodes=json_rows(
                Episode.objects.filter(period__child=mine).order_by("period_id", "decom")
            ),
            enquiries=json_rows(S47Enquiry.objects.filter(child=mine).order_by("-start_date")),
            plans=json_rows(ChildProtectionPlan.objects.filter(child=mine).order_by("-start_date")),
            visit_rows=json_rows(Visit.objects.filter(child=mine).order_by("-visit_date")),
            allocation_rows=json_rows(
                Allocation.objects.filter(child=mine).order_by("kind", "-start_date", "pk"),
                related={"user": NAMES, "team": ("name",)},
            ),
            events_rows=json_rows(
                ChildEvent.objects.filter(child=mine).order_by(*ChildEvent._meta.ordering)[
                    :TIMELINE_LIMIT
                ],
                related={"by": NAMES},
            ),
        )
        .values(*LISTS)
        .get()
    )
    periods = rows_to_instances(PeriodOfCare, lists["periods"])
    episodes = rows_to_instances(Episode, lists["episodes"])
    for period in periods:
        period.episode_list = [episode for episode in episodes if episode.period_id == period.pk]
    return ChildRecord(
        child=child,
        periods=periods,
        s47_enquiries=rows_to_instances(S47Enquiry, lists["enquiries"]),
        cp_plans=rows_to_instances(ChildProtectionPlan, lists["plans"]),
        visits=rows_to_instances(Visit, lists["visit_rows"]),
        allocations=rows_to_instances(Allocation, lists["allocation_rows"], ["user", "team"]),
        events=rows_to_instances(ChildEvent, lists["events_rows"], ["by"]),
    )
