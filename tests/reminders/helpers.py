"""Set-up shared by the reminders tests."""

from datetime import date

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
