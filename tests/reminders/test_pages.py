"""The pages: notifications (only about visible children; acknowledge one or many), the
header count, email settings, the calendar feed, /healthz and the administrators' page."""

import hashlib
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from people.roles import Role
from reminders.calendars import (
    Meeting,
    ics_attachment,
    register_meeting_source,
    unregister_meeting_source,
)
from reminders.models import CalendarFeed, Notification, Preference
from reminders.services import rule_scan
from tests.conftest import make_user
from tests.factories import ChildFactory
from tests.reminders.helpers import period_due

pytestmark = pytest.mark.django_db
DUE = date(2025, 5, 7)


def _remind(org, n: int = 1, **child_fields) -> None:
    for _ in range(n):
        period_due(ChildFactory(team=org["team"], **child_fields), DUE)
    rule_scan("CLA-11", today=DUE)


def test_list_shows_own_notifications_and_the_header_counts_them(client, people, org, child):
    _remind(org, 2)
    client.force_login(people["mandy"])
    page = client.get("/notifications/").content.decode()
    assert page.count('name="ids"') == 2
    assert "IRO allocation for POC-" in page
    assert 'class="moj-notification-badge">2<' in page
    client.force_login(people["alice"])  # an IRO gets none of these
    assert 'name="ids"' not in client.get("/notifications/").content.decode()


def test_a_child_restricted_after_the_reminder_disappears_from_the_list(client, people, org):
    _remind(org, 1)
    child_id = Notification.objects.first().child_id
    from children.models import Child

    Child.objects.filter(pk=child_id).update(restricted=True)
    client.force_login(people["mandy"])
    page = client.get("/notifications/").content.decode()
    assert 'name="ids"' not in page
    assert "moj-notification-badge" not in page


def test_acknowledge_selected_records_who_and_when(client, people, org):
    _remind(org, 3)
    mine = list(Notification.objects.filter(recipient=people["mandy"]).order_by("pk"))
    client.force_login(people["mandy"])
    response = client.post(
        "/notifications/acknowledge/", {"ids": [mine[0].pk, mine[1].pk]}, follow=True
    )
    assert "2 notifications marked as read." in response.content.decode()
    mine[0].refresh_from_db()
    assert mine[0].acknowledged_by == people["mandy"] and mine[0].acknowledged_at
    assert (
        Notification.objects.filter(recipient=people["mandy"], acknowledged_at__isnull=True).count()
        == 1
    )


def test_acknowledge_all_and_never_someone_elses(client, people, org):
    _remind(org, 2)
    bettys = Notification.objects.filter(recipient=people["betty"]).first()
    client.force_login(people["mandy"])
    client.post("/notifications/acknowledge/", {"ids": [bettys.pk]})
    bettys.refresh_from_db()
    assert bettys.acknowledged_at is None
    client.post("/notifications/acknowledge/", {"all": "1"})
    assert not Notification.objects.filter(
        recipient=people["mandy"], acknowledged_at__isnull=True
    ).exists()


def test_list_query_count_does_not_grow_with_rows(client, people, org):
    def queries(n: int) -> int:
        Notification.objects.all().delete()
        _remind(org, n)
        client.force_login(people["mandy"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/notifications/").status_code == 200
        return len(ctx.captured_queries)

    assert queries(1) == queries(50)


def test_settings_default_to_digest_except_escalations_and_overdue_meetings(client, people):
    from reminders.selectors import preferences_for

    assert preferences_for(people["alice"]) == {
        "deadlines": "digest",
        "overdue_meetings": "immediate",
        "escalations": "immediate",
        "management": "digest",
        "system": "digest",
    }
    client.force_login(people["alice"])
    page = client.get("/notifications/settings/").content.decode()
    assert 'id="id_escalations_0" checked' in page or 'value="immediate" checked' in page
    response = client.post(
        "/notifications/settings/",
        {
            "deadlines": "immediate",
            "overdue_meetings": "immediate",
            "escalations": "immediate",
            "management": "digest",
            "system": "digest",
        },
    )
    assert response.status_code == 302
    assert Preference.objects.get(user=people["alice"], group="deadlines").mode == "immediate"


def test_settings_with_a_missing_choice_shows_an_error(client, people):
    client.force_login(people["alice"])
    response = client.post("/notifications/settings/", {"deadlines": "immediate"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def _new_address(client) -> str:  # type: ignore[no-untyped-def]
    """Make a new calendar address and read it off the settings page (shown once)."""
    page = client.post("/notifications/calendar/", {"action": "new"}, follow=True)
    found = re.search(r"/calendar/([\w-]+)\.ics", page.content.decode())
    assert found, "the new address is shown after it is made"
    return found.group(1)


def test_a_calendar_address_is_shown_once_and_only_its_hash_is_stored(client, people):
    client.force_login(people["alice"])
    token = _new_address(client)
    feed = CalendarFeed.objects.get(user=people["alice"])
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(CalendarFeed.objects.values().get(pk=feed.pk))
    again = client.get("/notifications/settings/").content.decode()
    assert token not in again
    assert "cannot be shown again" in again


@pytest.fixture
def fake_meetings(people):
    def source(user):
        if user == people["alice"]:
            yield Meeting(
                uid="review-1",
                reference="REV-0001",
                starts=datetime(2025, 5, 7, 10, 0, tzinfo=UTC),
                place="Room 2, Civic Centre",
                url="/reviews/1/",
            )

    register_meeting_source("fake", source)
    yield
    unregister_meeting_source("fake")


def test_calendar_feed_needs_no_sign_in_and_shows_reference_and_place(
    client, people, child, fake_meetings
):
    client.force_login(people["alice"])
    token = _new_address(client)
    client.logout()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "REV-0001"
    assert str(event["LOCATION"]) == "Room 2, Civic Centre"
    assert child.first_name.encode() not in response.content


def test_a_new_calendar_address_revokes_the_old_one(client, people, fake_meetings):
    client.force_login(people["alice"])
    old = _new_address(client)
    new = _new_address(client)
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    client.post("/notifications/calendar/", {"action": "off"})
    client.logout()
    assert old != new
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_ics_attachment_for_an_invitation():
    meeting = Meeting(
        uid="conference-9",
        reference="ICPC-0009",
        starts=datetime(2025, 10, 27, 9, 30, tzinfo=UTC),
        place="Online",
    )
    filename, content, mimetype = ics_attachment(meeting)
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "ICPC-0009"
    assert event["UID"] == "conference-9@iro-service.localhost"


def test_ics_attachment_for_a_cancellation_withdraws_the_invitation():
    invitation = Meeting(
        uid="clinic-3", reference="CL-00003", starts=datetime(2025, 10, 27, 9, 30, tzinfo=UTC)
    )
    cancellation = replace(invitation, cancelled=True, sequence=4)
    [sent] = Calendar.from_ical(ics_attachment(invitation)[1]).walk("VEVENT")
    calendar = Calendar.from_ical(ics_attachment(cancellation)[1])
    [event] = calendar.walk("VEVENT")
    assert (str(calendar["METHOD"]), str(event["STATUS"])) == ("CANCEL", "CANCELLED")
    assert event["UID"] == sent["UID"]
    assert (sent["SEQUENCE"], event["SEQUENCE"]) == (0, 4)


def test_healthz_needs_no_sign_in_and_shows_no_case_data(client, people, child):
    rule_scan("CLA-11", today=DUE)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert set(body) == {"status", "database", "broker", "last_scans"}
    assert "CLA-11" in body["last_scans"]
    assert child.first_name not in response.content.decode()


def test_healthz_reports_the_broker_degraded_not_down(client, db):
    # Not override_settings: Celery reads its broker URL once, and must keep the real one.
    with mock.patch("reminders.health.broker_url", return_value="redis://127.0.0.1:1/0"):
        body = client.get("/healthz").json()
    assert (body["status"], body["broker"], body["database"]) == ("degraded", "degraded", "ok")


def test_health_page_is_for_administrators(client, people):
    client.force_login(people["mandy"])
    assert client.get("/notifications/health/").status_code == 403
    client.force_login(make_user("adam", Role.SYSTEM_ADMIN))
    page = client.get("/notifications/health/").content.decode()
    assert "Queues" in page and "Emails that failed" in page


def test_demo_fast_forward_only_in_demo_mode(settings, tmp_path):
    from django.core.management import CommandError, call_command

    from reminders import clock

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("demo_fast_forward", "--days", "3")
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    with mock.patch("reminders.management.commands.demo_fast_forward.enqueue") as enqueue:
        enqueue.return_value = True
        call_command("demo_fast_forward", "--days", "3")
    assert clock.demo_offset_days() == 3
    call_command("demo_fast_forward", "--reset")
    assert clock.demo_offset_days() == 0


def test_last_scans_gives_the_latest_run_of_every_registered_rule(people):
    from reminders.models import ScanRun
    from reminders.selectors import last_scans

    rule_scan("CLA-11", today=DUE)
    rule_scan("CLA-11", today=DUE)
    latest = ScanRun.objects.filter(rule="CLA-11").order_by("-finished_at").first()
    scans = last_scans()
    assert scans["CLA-11"] == latest.finished_at
    assert scans["CP-1"] is None
