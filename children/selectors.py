"""Reads of child records. ``children_visible_to`` is the only way to reach case data
(SECURITY.md): every list, detail, search, export, count and task starts from it, and a
child it does not return is a 404."""

import operator
from collections.abc import Callable, Iterable, Mapping
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
    HealthAssessment,
    PeriodOfCare,
    PersonalEducationPlan,
    S47Enquiry,
    Visit,
)
from iro_service.core.json_rows import json_rows, rows_to_instances
from iro_service.core.policy import REASON_ROLES, Relationship, Scope, roles_with_scope
from people.models import User
from people.roles import Role, roles_named
from people.selectors import teams_managed_by, teams_managed_by_each

AUTHORITY_WIDE_ROLES = roles_with_scope(Scope.AUTHORITY)
TEAM_ROLES = roles_with_scope(Scope.TEAM)
TREE_ROLES = roles_with_scope(Scope.TREE)
T = TypeVar("T")


@dataclass(frozen=True)
class Reach:
    """The non-restricted children a user's roles reach (``policy.SCOPE``), held as data so
    that one query (``children_visible_to``) and a lookup over many users at once
    (``children_visible_pairs``) read the same thing.

    ``everyone``: every non-restricted child. ``social_worker``: the children allocated to
    this user as their social worker. ``teams``: the children of these teams.
    ``with_reason``: the children the user opened with a reason that has not expired
    (``policy.REASON_ROLES``).
    """

    everyone: bool = False
    social_worker: int | None = None
    teams: frozenset[int] = frozenset()
    with_reason: bool = False

    def q(self) -> Q | None:
        """The reach as a filter on ``Child`` (before restriction); None when it is empty."""
        if self.everyone:
            return Q()
        parts = []
        if self.social_worker is not None:
            parts.append(Q(social_worker_id=self.social_worker))
        if self.teams:
            parts.append(Q(team_id__in=sorted(self.teams)))
        return reduce(operator.or_, parts) if parts else None

    def covers(self, social_worker_id: int | None, team_id: int | None) -> bool:
        """The same question as ``q`` for one child, in memory."""
        if self.everyone:
            return True
        if self.social_worker is not None and social_worker_id == self.social_worker:
            return True
        return team_id in self.teams


def reach(
    *, user_id: int, roles: frozenset[Role], team_id: int | None, managed: frozenset[int] | set[int]
) -> Reach:
    """The reach of a user with these roles in this team, managing these teams (each with
    the teams beneath them): SECURITY.md "Defaults", scopes from ``policy.SCOPE``."""
    with_reason = bool(roles & REASON_ROLES)
    if roles & AUTHORITY_WIDE_ROLES:
        return Reach(everyone=True, with_reason=with_reason)
    teams: set[int] = set()
    social_worker = None
    if roles & TEAM_ROLES:
        social_worker = user_id
        if team_id is not None:
            teams.add(team_id)
    if roles & (TEAM_ROLES | TREE_ROLES):
        teams |= managed
    return Reach(social_worker=social_worker, teams=frozenset(teams), with_reason=with_reason)


def _reach_of(user: User) -> Reach:
    roles = user.roles
    managed = teams_managed_by(user) if roles & (TEAM_ROLES | TREE_ROLES) else set()
    return reach(user_id=user.pk, roles=roles, team_id=user.team_id, managed=managed)


def children_visible_to(user: User) -> QuerySet[Child]:
    """Every child the user may see.

    IROs, IRO managers and business support: every non-restricted child. Social workers and
    team managers: their team's children (and those allocated to them). Heads of service and
    the director: their part of the team tree. A restricted child: only its allow-list,
    whatever the role. Performance, information governance and administrators: none here.
    Managers who gave a reason to open a child outside their teams: that child, for a
    while. A child someone declared a connection to: never, for them. (The scopes are
    ``iro_service.core.policy.SCOPE``; ``children_visible_pairs`` answers the same question
    for many users at once.)
    """
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    allowed = Child.allowed_users.through.objects.filter(child_id=OuterRef("pk"), user_id=user.pk)
    visible = Q(restricted=True) & Exists(allowed)
    scope = _reach_of(user)
    if (reached := scope.q()) is not None:
        visible |= Q(restricted=False) & reached
    if scope.with_reason:
        reasons = AccessReason.objects.filter(
            child_id=OuterRef("pk"), user_id=user.pk, expires_at__gt=timezone.now()
        )
        visible |= Q(restricted=False) & Exists(reasons)
    conflict = ConflictDeclaration.objects.filter(child_id=OuterRef("pk"), user_id=user.pk)
    return Child.objects.filter(visible & ~Exists(conflict))


def _reaches(user_ids: set[int]) -> dict[int, Reach]:
    """The reach of each active user among ``user_ids`` (two queries: users with their
    groups, and the team tree). Inactive or unknown users are left out: they see nothing."""
    names: dict[int, list[str]] = {}
    team_of: dict[int, int | None] = {}
    rows = User.objects.filter(pk__in=user_ids, is_active=True).values_list(
        "pk", "team_id", "groups__name"
    )
    for pk, team_id, group in rows:
        team_of[pk] = team_id
        names.setdefault(pk, []).extend([group] if group else [])
    roles = {pk: roles_named(group_names) for pk, group_names in names.items()}
    managers = [pk for pk, held in roles.items() if held & (TEAM_ROLES | TREE_ROLES)]
    managed = teams_managed_by_each(managers) if managers else {}
    return {
        pk: reach(user_id=pk, roles=held, team_id=team_of[pk], managed=managed.get(pk, set()))
        for pk, held in roles.items()
    }


def children_visible_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these (user id, child id) pairs are visible: exactly the pairs for which
    ``children_visible_to(user)`` returns the child, for any number of users and children in
    at most six queries (users, teams, children, allow-lists, conflicts, reasons). For the
    scans, which ask this of every recipient of every reminder at once."""
    wanted = set(pairs)
    if not wanted:
        return set()
    user_ids = {user for user, _ in wanted}
    child_ids = {child for _, child in wanted}
    reaches = _reaches(user_ids)
    children = {
        pk: (restricted, social_worker_id, team_id)
        for pk, restricted, social_worker_id, team_id in Child.objects.filter(
            pk__any=child_ids
        ).values_list("pk", "restricted", "social_worker_id", "team_id")
    }
    restricted = [pk for pk, (is_restricted, _, _) in children.items() if is_restricted]
    allowed = (
        _pairs(Child.allowed_users.through.objects.filter(child_id__any=restricted), reaches)
        if restricted
        else set()
    )
    # A person's conflicts and live reasons are few: read them by person, not by child.
    conflicts = _pairs(ConflictDeclaration.objects.all(), reaches)
    reason_users = [pk for pk, each in reaches.items() if each.with_reason]
    reasons = (
        _pairs(AccessReason.objects.filter(expires_at__gt=timezone.now()), reaches, reason_users)
        if reason_users
        else set()
    )
    visible = set()
    for user, child in wanted:
        scope = reaches.get(user)
        if scope is None or child not in children or (user, child) in conflicts:
            continue
        is_restricted, social_worker_id, team_id = children[child]
        if is_restricted:
            seen = (user, child) in allowed
        else:
            seen = scope.covers(social_worker_id, team_id) or (user, child) in reasons
        if seen:
            visible.add((user, child))
    return visible


def _pairs(
    rows: QuerySet, reaches: Mapping[int, Reach], user_ids: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """(user id, child id) of each row for these users (default: every user in ``reaches``)."""
    users = list(reaches if user_ids is None else user_ids)
    return set(rows.filter(user_id__in=users).values_list("user_id", "child_id"))


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
    visits newest first; allocations by kind, newest first; health assessments and PEPs
    oldest first; the timeline newest first.

    ``reads`` holds what other apps read about the child for the same page (its reviews, its
    conferences), so their deadlines and their sections share one read (``read_once``)."""

    child: Child
    periods: list[PeriodOfCare]
    s47_enquiries: list[S47Enquiry]
    cp_plans: list[ChildProtectionPlan]
    visits: list[Visit]
    allocations: list[Allocation]
    health_assessments: list[HealthAssessment]
    peps: list[PersonalEducationPlan]
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
    "health_rows",
    "pep_rows",
    "events_rows",
)


def child_record(child: Child) -> ChildRecord:
    """Read ``child``'s periods of care and episodes, s47 enquiries, plans, visits,
    allocations, health assessments, PEPs and timeline (the latest ``TIMELINE_LIMIT``
    events) in one query. Each call reads afresh: the caller keeps the record for as long
    as it is current (one request)."""
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
            health_rows=json_rows(
                HealthAssessment.objects.filter(child=mine).order_by("completed_on")
            ),
            pep_rows=json_rows(
                PersonalEducationPlan.objects.filter(child=mine).order_by("completed_on")
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
        health_assessments=rows_to_instances(HealthAssessment, lists["health_rows"]),
        peps=rows_to_instances(PersonalEducationPlan, lists["pep_rows"]),
        events=rows_to_instances(ChildEvent, lists["events_rows"], ["by"]),
    )
