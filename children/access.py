"""Conflict declarations and opening a child outside one's teams (SECURITY.md access model).

- ``conflict_declare``: a member of staff declares a connection to a child (and, if they
  say so, the child's brothers and sisters); the children then disappear for them
  everywhere, because ``children_visible_to`` leaves them out. The IRO service manager
  lists and reviews the declarations (``conflict_review``).
- ``access_reason_give``: a manager whose role allows it (``policy.REASON_ROLES``) opens a
  child outside their teams by giving a reason. The child is open to them for
  ``REASON_HOURS``; the reason goes into the access log, the information governance officer
  is alerted (reminders rule IG-ACCESS: a reference and a link, never case details) and the
  month's openings are reported to them (``out_of_relationship_report``).
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from children.models import AccessReason, Child, ConflictDeclaration
from children.selectors import children_visible_to
from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.policy import REASON_ROLES, Action, may
from people.models import User

# A reason opens the child for one working day at most: the session's absolute limit.
REASON_HOURS = 12
REASON_MIN_LENGTH = 10


def _required(text: str, message: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise RuleViolation(message, field=field)
    return text


@transaction.atomic
def conflict_declare(
    *, child: Child, reason: str, include_siblings: bool = False, by: User
) -> list[ConflictDeclaration]:
    """Record ``by``'s connection to ``child`` (and its sibling group if asked). Declaring
    twice is harmless: the first declaration stands."""
    if not may(by.roles, Action.CONFLICT_DECLARE):
        raise NotPermitted("You do not work with children's records.")
    reason = _required(reason, "Say what your connection is.", "reason")
    children = [child]
    if include_siblings and child.sibling_group_id is not None:
        children = list(Child.objects.filter(sibling_group_id=child.sibling_group_id))
    rows = [
        ConflictDeclaration(child=each, user=by, reason=reason, declared_by=by) for each in children
    ]
    ConflictDeclaration.objects.bulk_create(rows, ignore_conflicts=True)
    return list(ConflictDeclaration.objects.filter(user=by, child__in=children))


@transaction.atomic
def conflict_review(*, declaration: ConflictDeclaration, by: User) -> ConflictDeclaration:
    """The IRO service manager confirms they have seen the declaration (and acted on any
    allocation it affects). Reviewing never lifts it."""
    if not may(by.roles, Action.CONFLICT_REVIEW):
        raise NotPermitted("Only the IRO service manager reviews conflict declarations.")
    declaration = ConflictDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.reviewed_at is None:
        declaration.reviewed_by = by
        declaration.reviewed_at = timezone.now()
        declaration.save(update_fields=["reviewed_by", "reviewed_at"])
    return declaration


def conflicts_for_review() -> QuerySet[ConflictDeclaration]:
    """Every declaration, unreviewed first. Children are shown by their local authority ID
    only: the manager may not be able to see a restricted one."""
    return ConflictDeclaration.objects.select_related("child", "user", "reviewed_by").order_by(
        "reviewed_at", "-declared_at", "-id"
    )


def child_openable_by_reason(*, user: User, la_child_id: str) -> Child | None:
    """The child a manager may open with a reason: not restricted, no conflict declared,
    not already visible to them. None in every other case, so the answer tells them no
    more than "you cannot open that one this way"."""
    if not user.has_role(*REASON_ROLES):
        return None
    child = (
        Child.objects.filter(la_child_id__iexact=la_child_id.strip(), restricted=False)
        .exclude(conflicts__user=user)
        .first()
    )
    return child


@transaction.atomic
def access_reason_give(*, child: Child, reason: str, by: User) -> AccessReason:
    """Open ``child`` to ``by`` for ``REASON_HOURS`` with the reason they gave. The alert
    to the information governance officer is the reminders scan of these rows."""
    if not by.has_role(*REASON_ROLES):
        raise NotPermitted("Your role cannot open a child outside your teams.")
    if child.restricted or child.conflicts.filter(user=by).exists():
        raise NotPermitted("You cannot open this child's record.")
    reason = _required(reason, "Say why you need to open this child's record.", "reason")
    if len(reason) < REASON_MIN_LENGTH:
        raise RuleViolation("Say in a sentence why you need this record.", field="reason")
    now = timezone.now()
    return AccessReason.objects.create(
        child=child,
        user=by,
        roles=", ".join(sorted(role.value for role in by.roles)),
        reason=reason,
        given_on=timezone.localdate(now),
        expires_at=now + timedelta(hours=REASON_HOURS),
    )


def access_reason_current(*, user: User, child: Child) -> AccessReason | None:
    """The reason under which ``user`` has ``child`` open now, if they opened it that way
    (and would not see it otherwise). Only the roles that may give a reason can have one:
    for every other role there is nothing to read."""
    if not user.roles & REASON_ROLES:
        return None
    return (
        AccessReason.objects.filter(user=user, child=child, expires_at__gt=timezone.now())
        .order_by("-given_at")
        .first()
    )


def out_of_relationship_report(*, month: date) -> QuerySet[AccessReason]:
    """Every opening of a child outside a working relationship in ``month``, for the
    information governance officer: who, their roles, when, which child (by ID), why."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return (
        AccessReason.objects.filter(given_on__gte=start, given_on__lt=end)
        .select_related("user", "child")
        .only(
            "given_at",
            "roles",
            "reason",
            "expires_at",
            "user__first_name",
            "user__last_name",
            "user__email",
            "child__la_child_id",
        )
        .order_by("given_at", "id")
    )


def is_visible(user: User, child: Child) -> bool:
    return children_visible_to(user).filter(pk=child.pk).exists()
