"""Reads: a user's notifications (only about children they can see), counts, preferences,
and the health figures."""

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet

from children.selectors import children_visible_to
from people.models import User
from reminders.models import (
    IMMEDIATE_BY_DEFAULT,
    EmailDelivery,
    Group,
    Notification,
    Preference,
    ScanRun,
)


def _visible(notifications: QuerySet[Notification], user: User) -> QuerySet[Notification]:
    """Starts from ``children_visible_to``: a notification about a child the user can no
    longer see (restricted since) disappears with the child."""
    # EXISTS per notification, not IN: a user's notifications are few, while the children an
    # IRO sees are every child of the authority. With IN, PostgreSQL materialised all of
    # them for every page's unread count (1.8 s at England scale, bench/RESULTS.md).
    seen = children_visible_to(user).filter(pk=OuterRef("child_id"))
    return notifications.filter(Q(child__isnull=True) | Q(Exists(seen)))


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    rows = _visible(Notification.objects.filter(recipient=user), user)
    if unread_only:
        rows = rows.filter(acknowledged_at__isnull=True)
    return rows.select_related("reminder", "acknowledged_by").order_by(
        F("acknowledged_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(user: User) -> int:
    """One COUNT (plus the managed-teams lookup for team managers and heads of service)."""
    return _visible(
        Notification.objects.filter(recipient=user, acknowledged_at__isnull=True), user
    ).count()


def preferences_for(user: User) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("group", "mode"))
    return {
        group: chosen.get(
            group,
            Preference.Mode.IMMEDIATE if group in IMMEDIATE_BY_DEFAULT else Preference.Mode.DIGEST,
        )
        for group in Group.values
    }


def last_scans() -> dict[str, object]:
    """The time of the last finished scan of each registered rule, None if never (one
    grouped query)."""
    from reminders.registry import rules

    found = dict(
        ScanRun.objects.order_by()
        .values("rule")
        .annotate(last=Max("finished_at"))
        .values_list("rule", "last")
    )
    return {rule.code: found.get(rule.code) for rule in rules()}


def failed_deliveries(limit: int = 100) -> QuerySet[EmailDelivery]:
    return (
        EmailDelivery.objects.filter(status=EmailDelivery.Status.FAILED)
        .select_related("recipient", "reminder")
        .order_by("-created_at")[:limit]
    )
