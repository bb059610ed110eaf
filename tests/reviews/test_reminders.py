"""The reviews' reminder rules and calendar meetings (registered with the reminders app)."""

from datetime import date, time

import pytest
from django.utils import timezone

from reminders.calendars import meetings_for
from reminders.models import Reminder
from reminders.services import rule_scan
from reviews import services

pytestmark = pytest.mark.django_db


def test_an_unbooked_review_reminds_business_support_and_the_iro_without_the_childs_name(
    in_care, child, people
):
    result = rule_scan("REV-BOOK", today=date(2025, 1, 27))
    assert result.inserted == 2
    reminders = Reminder.objects.filter(rule="REV-BOOK")
    assert {r.recipient_id for r in reminders} == {people["alice"].pk, people["betty"].pk}
    for reminder in reminders:
        assert in_care.reference in reminder.message
        assert child.first_name not in reminder.message
    assert rule_scan("REV-BOOK", today=date(2025, 1, 27)).inserted == 0


def test_an_overdue_review_reminds_the_iro_and_a_hidden_child_reminds_nobody(
    in_care, child, people
):
    rule_scan("REV-DUE", today=date(2025, 2, 5))
    assert list(Reminder.objects.values_list("recipient_id", flat=True)) == [people["alice"].pk]
    Reminder.objects.all().delete()
    child.restricted = True
    child.save(update_fields=["restricted"])
    rule_scan("REV-DUE", today=date(2025, 2, 12))
    assert not Reminder.objects.exists()


def test_a_booked_review_is_in_the_chairs_calendar(in_care, people):
    today = timezone.localdate()
    services.review_schedule(
        review=in_care,
        on=today,
        at=time(14),
        venue="Hall",
        online=False,
        late_reason="family_request",
        by=people["betty"],
    )
    [meeting] = meetings_for(people["alice"])
    assert (meeting.reference, meeting.place) == (f"Review {in_care.reference}", "Hall")
    assert timezone.localtime(meeting.starts).time() == time(14)
    assert meetings_for(people["bob"]) == []
