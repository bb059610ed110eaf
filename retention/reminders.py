"""Tell the other information governance officers when a destruction waits for a second
person's approval. The message and the email carry a reference and a link, never a child's
name or ID (SECURITY.md T4); the person who asked is not told to approve their own."""

from collections.abc import Iterable, Mapping

from django.db.models import QuerySet
from django.urls import reverse

from people.roles import Role
from people.selectors import users_with_roles
from reminders.models import Group
from reminders.registry import ReminderRule, Threshold
from retention.models import DestructionRequest
from retention.selectors import pending_requesters


def _waiting() -> QuerySet[DestructionRequest]:
    return DestructionRequest.objects.filter(status=DestructionRequest.Status.PENDING)


def approvers(request_ids: list[int]) -> Mapping[int, Iterable[int]]:
    officers = set(users_with_roles([Role.IG_OFFICER]).values_list("pk", flat=True))
    asked_by = pending_requesters(request_ids)
    return {pk: officers - {asked_by.get(pk)} for pk in request_ids}


RULE = ReminderRule(
    code="RET-APPROVE",
    title="Destruction waiting for a second person's approval",
    group=Group.MANAGEMENT,
    open_items=_waiting,
    due_field="requested_on",
    child_field="",
    thresholds=(Threshold.on_the_day(),),
    recipients=approvers,
    wording="A request to destroy a record is waiting for your approval ({reference})",
    reference=lambda row: f"DES-{row['id']}",
    link=lambda row: reverse("retention:request", args=[row["id"]]),
)
