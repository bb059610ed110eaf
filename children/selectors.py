"""Reads of child records. ``children_visible_to`` is the only way to reach case data
(SECURITY.md): every list, detail, search, export, count and task starts from it, and a
child it does not return is a 404."""

import operator
from functools import reduce

from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from children.models import (
    AccessReason,
    Child,
    ChildEvent,
    ChildProtectionPlan,
    ConflictDeclaration,
    Episode,
    HealthAssessment,
    PeriodOfCare,
    PersonalEducationPlan,
    S47Enquiry,
)
from iro_service.core.policy import REASON_ROLES, Relationship, Scope, roles_with_scope
from people.models import User
from people.selectors import teams_managed_by

AUTHORITY_WIDE_ROLES = roles_with_scope(Scope.AUTHORITY)
TEAM_ROLES = roles_with_scope(Scope.TEAM)
TREE_ROLES = roles_with_scope(Scope.TREE)


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


def child_timeline(*, child: Child, limit: int = 200) -> QuerySet[ChildEvent]:
    return child.events.select_related("by")[:limit]


def child_record_prefetch(child: Child) -> Child:
    """Read the child's periods of care (with their episodes), s47 enquiries and plans once,
    newest first: the child page and the children app's deadline providers use these lists
    instead of querying each relation again."""
    prefetch_related_objects(
        [child],
        Prefetch(
            "periods_of_care",
            queryset=PeriodOfCare.objects.prefetch_related("episodes").order_by("-start_date"),
        ),
        Prefetch("s47_enquiries", queryset=S47Enquiry.objects.order_by("-start_date")),
        Prefetch("cp_plans", queryset=ChildProtectionPlan.objects.order_by("-start_date")),
    )
    return child


CARE_CHECK_FIELDS = ("period_id", "kind", "completed_on", "rule_id", "due_date")


def child_care_checks(*, child: Child) -> list[dict]:
    """The child's health assessments and PEPs, oldest first, as dicts with ``record``
    ("health" or "pep") and ``CARE_CHECK_FIELDS``: one query (a UNION), so the child page
    reads both for the price of one."""
    health = (
        HealthAssessment.objects.filter(child=child)
        .annotate(record=Value("health", output_field=CharField()))
        .values("record", *CARE_CHECK_FIELDS)
    )
    peps = (
        PersonalEducationPlan.objects.filter(child=child)
        .annotate(record=Value("pep", output_field=CharField()))
        .values("record", *CARE_CHECK_FIELDS)
    )
    return list(health.union(peps, all=True).order_by("completed_on", "record"))
