"""Set-up shared by the reminders tests."""

from datetime import date
from unittest import mock

from children.models import Child, PeriodOfCare, S47Enquiry
from people.models import User
from reminders.models import Notification, Reminder


def period_due(child: Child, due: date) -> PeriodOfCare:
    """An open period of care with no IRO allocated, its CLA-11 allocation due on ``due``."""
    return PeriodOfCare.objects.create(
        child=child, start_date=date(due.year - 1, 1, 1), iro_allocation_due=due
    )


def s47_due(child: Child, due: date) -> S47Enquiry:
    return S47Enquiry.objects.create(child=child, start_date=date(due.year - 1, 1, 1), icpc_due=due)


def thresholds_for(user: User, rule: str) -> list[str]:
    return list(
        Reminder.objects.filter(recipient=user, rule=rule)
        .order_by("created_at", "pk")
        .values_list("threshold", flat=True)
    )


def notified(user: User) -> int:
    return Notification.objects.filter(recipient=user).count()


def scan_checked(code: str, today: date, *, secrets: list[str]) -> int:
    """Scan ``code`` as a worker would (commit hooks run, the broker stubbed) and check what
    left the database: every queued task carries ids only, and no reminder, notification
    link or email (each immediate one is sent) contains any of ``secrets`` (a child's
    names). Returns how many reminders the scan inserted."""
    from django.core import mail
    from django.test import TestCase

    from reminders.models import EmailDelivery
    from reminders.services import delivery_send, rule_scan
    from reminders.tasks import send_email_task

    with (
        mock.patch.object(send_email_task, "apply_async") as queued,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        inserted = rule_scan(code, today=today).inserted
    for call in queued.call_args_list:
        assert all(isinstance(arg, int) for arg in call.kwargs["args"]), call
    for reminder in Reminder.objects.filter(rule=code):
        text = f"{reminder.message} {reminder.reference} {reminder.link}"
        assert not any(secret in text for secret in secrets), text
    outbox = len(mail.outbox)
    for delivery in EmailDelivery.objects.filter(
        reminder__rule=code, status=EmailDelivery.Status.PENDING
    ):
        delivery_send(delivery_id=delivery.pk)
    for message in mail.outbox[outbox:]:
        body = message.subject + message.body + str(message.alternatives[0][0])
        assert not any(secret in body for secret in secrets)
    return inserted


def recipients_of(code: str) -> dict[str, set[str]]:
    """Each recipient's first name -> the thresholds they got for ``code``."""
    found: dict[str, set[str]] = {}
    for name, threshold in Reminder.objects.filter(rule=code).values_list(
        "recipient__first_name", "threshold"
    ):
        found.setdefault(name.lower(), set()).add(threshold)
    return found
