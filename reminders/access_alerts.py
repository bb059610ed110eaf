"""The information governance officer's alert when a manager opens a child's record outside
their teams (SECURITY.md: "a reason, logged, and an alert"; the NHS Summary Care Record
model). Each ``children.AccessReason`` row becomes one notification per IG officer at the
next scan (every 15 minutes), by their choice of email straight away or in the digest.

The alert names no child: it carries a reference and a link to the month's report, which
shows the child's local authority ID only. ``child_field`` is empty, so the scan does not
look for the child among those the IG officer can see (they see none).
"""

from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from children.models import AccessReason
from people.roles import Role
from people.selectors import users_with_roles
from reminders.models import Group
from reminders.registry import ReminderRule, Threshold, register

# A scan that was down for days still alerts on every reason given in the last week.
LOOK_BACK_DAYS = 7


def _recent_reasons() -> QuerySet[AccessReason]:
    since = timezone.localdate() - timedelta(days=LOOK_BACK_DAYS)
    return AccessReason.objects.filter(given_on__gte=since)


def ig_officers(subject_ids: list[int]) -> Mapping[int, Iterable[int]]:
    officers = list(users_with_roles([Role.IG_OFFICER]).values_list("pk", flat=True))
    return dict.fromkeys(subject_ids, officers)


RULE = ReminderRule(
    code="IG-ACCESS",
    title="Record opened outside a working relationship",
    group=Group.MANAGEMENT,
    open_items=_recent_reasons,
    due_field="given_on",
    child_field="",
    thresholds=(Threshold.on_the_day(),),
    recipients=ig_officers,
    wording="A child's record was opened outside a working relationship ({reference})",
    reference=lambda row: f"ACC-{row['id']}",
    link=lambda row: reverse("children:out-of-relationship"),
)


def register_access_alerts() -> None:
    register(RULE)
