"""The reviews' reminder rules and calendar meetings (registered with the reminders app)."""

from datetime import date, time

import pytest
from django.utils import timezone

from people.roles import Role
from reminders.calendars import meetings_for
from reminders.models import Reminder
from reminders.services import rule_scan
from reviews import services
from reviews.selectors import schedule_queue
from reviews.services import ClashWarning
from tests.conferences import factories as conference_factories
from tests.conftest import make_user
from tests.factories import ChildFactory, TeamFactory
from tests.reminders.helpers import recipients_of
from timescales.services import working_calendar

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


def _support_in_another_iro_team(people, org) -> None:
    """Bella supports a second IRO team; betty is in the first, with alice."""
    team = TeamFactory(name="IRO Team 2", parent=org["root"])
    people["bella"] = make_user("bella", Role.BUSINESS_SUPPORT, team)


def test_an_unbooked_review_goes_to_the_business_support_of_the_iros_team(
    in_care, child, people, org
):
    _support_in_another_iro_team(people, org)
    assert rule_scan("REV-BOOK", today=date(2025, 1, 27)).inserted == 2
    assert recipients_of("REV-BOOK") == {"alice": {"-5wd"}, "betty": {"-5wd"}}


def test_an_unbooked_review_goes_to_all_business_support_when_the_iros_team_has_none(
    in_care, child, people, org
):
    _support_in_another_iro_team(people, org)
    people["betty"].team = org["team"]  # a social work team, not the IRO's
    people["betty"].save(update_fields=["team"])
    assert rule_scan("REV-BOOK", today=date(2025, 1, 27)).inserted == 3
    assert set(recipients_of("REV-BOOK")) == {"alice", "betty", "bella"}


def test_a_repeat_scan_of_a_team_rule_reads_nothing_back(in_care, child, people, monkeypatch):
    """Every recipient, business support by team included, has the reminder: the scan's
    query leaves the review out, so the ledger is not read again in Python."""
    from reminders import services as reminder_services

    assert rule_scan("REV-BOOK", today=date(2025, 1, 27)).inserted == 2
    read = []
    monkeypatch.setattr(reminder_services, "_in_ledger", lambda *args: read.append(args) or set())
    assert rule_scan("REV-BOOK", today=date(2025, 1, 27)).inserted == 0
    assert read == []


def test_business_support_joining_the_iros_team_is_reminded_on_the_next_scan(
    in_care, child, people, org
):
    rule_scan("REV-BOOK", today=date(2025, 1, 27))
    make_user("bella", Role.BUSINESS_SUPPORT, org["iro_team"])
    assert rule_scan("REV-BOOK", today=date(2025, 1, 27)).inserted == 1
    assert recipients_of("REV-BOOK") == {
        "alice": {"-5wd"},
        "betty": {"-5wd"},
        "bella": {"-5wd"},
    }


def test_when_the_iros_team_loses_its_business_support_everyone_is_reminded(
    in_care, child, people, org
):
    _support_in_another_iro_team(people, org)
    rule_scan("REV-BOOK", today=date(2025, 1, 27))
    people["betty"].team = org["team"]
    people["betty"].save(update_fields=["team"])
    assert rule_scan("REV-BOOK", today=date(2025, 1, 27)).inserted == 1
    assert set(recipients_of("REV-BOOK")) == {"alice", "betty", "bella"}


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


def _iro_chairs_a_conference(people, org, day):
    """Alice (an IRO, so a chair) chairs a conference for another child at 14:00 on ``day``."""
    other = ChildFactory(team=org["team"], iro=people["alice"])
    return conference_factories.booked(
        conference_factories.requested_icpc(other, people),
        people,
        day=day,
        chair="alice",
        hour=14,
        late_reason="chair_unavailable",
    )


def test_booking_a_review_on_a_day_the_iro_chairs_a_conference_is_a_clash(in_care, org, people):
    """Issue 4: the IRO's conferences count, seen through the reminders meeting registry
    (reviews does not import conferences)."""
    today = working_calendar().add_working_days(timezone.localdate(), 1)  # a working day
    conference = _iro_chairs_a_conference(people, org, today)
    clash = f"1 other meeting on .*Conference {conference.reference} at 14:00"
    with pytest.raises(ClashWarning, match=clash):
        services.review_schedule(
            review=in_care,
            on=today,
            at=time(10),
            venue="Hall",
            online=False,
            late_reason="iro_unavailable",
            by=people["betty"],
        )
    booked = services.review_schedule(
        review=in_care,
        on=today,
        at=time(10),
        venue="Hall",
        online=False,
        late_reason="iro_unavailable",
        confirm_clash=True,
        by=people["betty"],
    )
    assert booked.status == "scheduled"


def test_the_schedule_queue_shows_the_iros_conferences_on_the_due_date(in_care, org, people):
    _iro_chairs_a_conference(people, org, in_care.due_date)
    _, [row] = schedule_queue(user=people["betty"], today=in_care.due_date)
    [meeting] = row.other_meetings
    assert meeting.reference.startswith("Conference CPC-")


def test_a_meeting_about_a_child_hidden_from_the_viewer_shows_only_as_busy(in_care, org, people):
    conference = _iro_chairs_a_conference(people, org, in_care.due_date)
    conference.child.restricted = True
    conference.child.save(update_fields=["restricted"])
    _, [row] = schedule_queue(user=people["betty"], today=in_care.due_date)
    [meeting] = row.other_meetings
    assert (meeting.reference, meeting.url, meeting.place) == ("Busy", "", "")


def test_reviews_are_on_the_conference_calendar_beside_the_chairs_conferences(
    client, in_care, people
):
    """Issue 5: the chair's reviews, through the meeting registry."""
    day = timezone.localdate()
    services.review_schedule(
        review=in_care,
        on=day,
        at=time(11),
        venue="Hall",
        online=False,
        late_reason="iro_unavailable",
        by=people["betty"],
    )
    client.force_login(people["betty"])
    page = client.get(f"/conferences/calendar/?view=day&start={day:%Y-%m-%d}").content.decode()
    assert f"Review {in_care.reference}" in page
    assert in_care.child.first_name not in page
