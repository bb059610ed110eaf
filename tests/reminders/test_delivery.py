"""Email delivery: sent once with a link and a reference only, claimed before sending,
transient failures retried with back-off, permanent ones failed; the 07:30 digest."""

import threading
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from reminders import services
from reminders.enqueue import enqueue, enqueue_many
from reminders.models import EmailDelivery, Group, Preference, Reminder
from reminders.sending import NotifyEmailBackend, PermanentFailure, TransientFailure
from reminders.services import deliveries_sweep, delivery_send, digests_prepare, rule_scan
from tests.conftest import requires_postgres
from tests.factories import ChildFactory
from tests.reminders.helpers import period_due, s47_due

DUE = date(2025, 5, 7)


@pytest.fixture
def overdue_icpc(people, child):
    """An ICPC one working day overdue: immediate emails to betty and terry."""
    s47_due(child, DUE)
    rule_scan("CP-1", today=date(2025, 5, 8))
    return EmailDelivery.objects.get(recipient=people["betty"])


@pytest.mark.django_db
def test_immediate_email_carries_a_link_and_a_reference_only(overdue_icpc, child):
    assert delivery_send(delivery_id=overdue_icpc.pk) == "sent"
    [message] = mail.outbox
    body = message.body + message.alternatives[0][0] + message.subject
    assert child.first_name not in body and child.last_name not in body
    assert child.la_child_id not in body
    assert f"S47-{child.s47_enquiries.get().pk}" in body
    assert f"http://127.0.0.1:8000/children/{child.pk}/" in body
    assert "Initial conference" not in body  # the wording stays in the service
    overdue_icpc.refresh_from_db()
    assert overdue_icpc.status == "sent"
    assert overdue_icpc.provider_id == message.extra_headers["Message-ID"]


@pytest.mark.django_db
def test_an_email_is_never_sent_twice(overdue_icpc):
    assert delivery_send(delivery_id=overdue_icpc.pk) == "sent"
    assert delivery_send(delivery_id=overdue_icpc.pk) == "not claimed"
    assert len(mail.outbox) == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_one_email(overdue_icpc):
    results = []
    barrier = threading.Barrier(2)

    def send() -> None:
        barrier.wait()
        try:
            results.append(delivery_send(delivery_id=overdue_icpc.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["not claimed", "sent"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_transient_failure_is_retried_with_back_off(overdue_icpc):
    with mock.patch("reminders.services.send_email", side_effect=TransientFailure("timeout")):
        assert delivery_send(delivery_id=overdue_icpc.pk) == "retry"
    overdue_icpc.refresh_from_db()
    assert (overdue_icpc.status, overdue_icpc.attempts) == ("pending", 1)
    assert overdue_icpc.next_attempt_at > timezone.now()
    assert overdue_icpc.pk not in deliveries_sweep()  # not yet
    assert delivery_send(delivery_id=overdue_icpc.pk) == "not claimed"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert overdue_icpc.pk in deliveries_sweep()
        assert delivery_send(delivery_id=overdue_icpc.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@override_settings(REMINDERS_MAX_ATTEMPTS=2)
def test_transient_failures_give_up_after_the_last_attempt(overdue_icpc):
    with mock.patch("reminders.services.send_email", side_effect=TransientFailure("timeout")):
        delivery_send(delivery_id=overdue_icpc.pk)
        with time_machine.travel(timezone.now() + timedelta(minutes=10)):
            assert delivery_send(delivery_id=overdue_icpc.pk) == "failed"
    overdue_icpc.refresh_from_db()
    assert overdue_icpc.status == "failed"


@pytest.mark.django_db
def test_permanent_failure_is_marked_failed_and_listed_to_administrators(overdue_icpc, client):
    from people.roles import Role
    from tests.conftest import make_user

    with mock.patch("reminders.services.send_email", side_effect=PermanentFailure("SMTP 550")):
        assert delivery_send(delivery_id=overdue_icpc.pk) == "failed"
    client.force_login(make_user("adam", Role.SYSTEM_ADMIN))
    page = client.get("/notifications/health/").content.decode()
    assert "SMTP 550" in page and "betty@staff.example.org" in page


@pytest.mark.django_db
@override_settings(REMINDERS_SEND_LEASE_SECONDS=60)
def test_a_send_left_by_a_dead_worker_is_picked_up_after_the_lease(overdue_icpc):
    EmailDelivery.objects.filter(pk=overdue_icpc.pk).update(
        status="sending", claimed_at=timezone.now()
    )
    assert overdue_icpc.pk not in deliveries_sweep()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert overdue_icpc.pk in deliveries_sweep()
        assert delivery_send(delivery_id=overdue_icpc.pk) == "sent"


@pytest.mark.django_db
def test_email_about_a_child_restricted_since_is_not_sent(overdue_icpc, child):
    child.restricted = True
    child.save(update_fields=["restricted"])
    assert delivery_send(delivery_id=overdue_icpc.pk) == "cancelled"
    assert mail.outbox == []


@pytest.fixture
def three_for_betty(people, org):
    """Three digest reminders for betty (CLA-11 due today) and one immediate one."""
    for _ in range(3):
        period_due(ChildFactory(team=org["team"]), DUE)
    rule_scan("CLA-11", today=DUE)
    s47_due(ChildFactory(team=org["team"]), DUE)
    rule_scan("CP-1", today=date(2025, 5, 8))  # overdue: immediate
    return people["betty"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("before", "at"),
    [
        # Summer (BST): 07:30 London is 06:30 UTC.
        (datetime(2025, 5, 8, 6, 29, tzinfo=UTC), datetime(2025, 5, 8, 6, 30, tzinfo=UTC)),
        # Winter (GMT): 07:30 London is 07:30 UTC.
        (datetime(2025, 1, 8, 7, 29, tzinfo=UTC), datetime(2025, 1, 8, 7, 30, tzinfo=UTC)),
        # The Sunday the clocks go forward (30 March 2025, 01:00 UTC).
        (datetime(2025, 3, 30, 6, 29, tzinfo=UTC), datetime(2025, 3, 30, 6, 30, tzinfo=UTC)),
        # The Sunday the clocks go back (26 October 2025, 01:00 UTC).
        (datetime(2025, 10, 26, 7, 29, tzinfo=UTC), datetime(2025, 10, 26, 7, 30, tzinfo=UTC)),
    ],
)
def test_digest_goes_at_0730_london_time(three_for_betty, before, at):
    assert digests_prepare(now=before) == []
    [digest] = [
        pk
        for pk in digests_prepare(now=at)
        if EmailDelivery.objects.get(pk=pk).recipient_id == three_for_betty.pk
    ]
    assert EmailDelivery.objects.get(pk=digest).digest_date == timezone.localtime(at).date()


@pytest.mark.django_db
def test_digest_groups_everything_in_one_email_once(three_for_betty):
    at = datetime(2025, 5, 8, 6, 30, tzinfo=UTC)
    for pk in digests_prepare(now=at):
        delivery_send(delivery_id=pk)
    betty_mail = [m for m in mail.outbox if m.to == [three_for_betty.email]]
    assert len(betty_mail) == 1
    assert "3 new reminders" in betty_mail[0].body
    refs = Reminder.objects.filter(recipient=three_for_betty, rule="CLA-11").values_list(
        "reference", flat=True
    )
    assert all(ref in betty_mail[0].body for ref in refs)
    assert "S47-" not in betty_mail[0].body  # the immediate one is not repeated
    # Later the same day: nothing new, nothing sent again.
    later = datetime(2025, 5, 8, 12, 0, tzinfo=UTC)
    for pk in digests_prepare(now=later):
        delivery_send(delivery_id=pk)
    assert len([m for m in mail.outbox if m.to == [three_for_betty.email]]) == 1


@pytest.mark.django_db
def test_a_reminder_after_the_digest_went_waits_for_tomorrows(three_for_betty, org):
    at = datetime(2025, 5, 8, 6, 30, tzinfo=UTC)
    for pk in digests_prepare(now=at):
        delivery_send(delivery_id=pk)
    period_due(ChildFactory(team=org["team"]), date(2025, 5, 8))
    rule_scan("CLA-11", today=date(2025, 5, 8))
    assert digests_prepare(now=datetime(2025, 5, 8, 9, 0, tzinfo=UTC)) == []
    tomorrow = digests_prepare(now=datetime(2025, 5, 9, 6, 30, tzinfo=UTC))
    assert len(tomorrow) == 2  # betty and mandy
    assert Reminder.objects.filter(digest__isnull=True, immediate=False).count() == 0


@pytest.mark.django_db
def test_choosing_immediate_for_a_group_sends_straight_away(people, child):
    Preference.objects.create(user=people["mandy"], group=Group.DEADLINES, mode="immediate")
    period_due(child, DUE)
    rule_scan("CLA-11", today=DUE)
    assert EmailDelivery.objects.filter(kind="immediate").get().recipient == people["mandy"]


def test_notify_backend_records_notifys_id_and_classifies_errors(settings):
    from django.core.mail import EmailMessage
    from notifications_python_client.errors import HTTPError

    settings.NOTIFY_API_KEY = "test-" + "0" * 36 + "-" + "1" * 36
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "template-id"
    with mock.patch(
        "notifications_python_client.notifications.NotificationsAPIClient"
    ) as client_class:
        client = client_class.return_value
        client.send_email_notification.return_value = {"id": "notify-123"}
        backend = NotifyEmailBackend()
        message = EmailMessage(
            "Subject", "Body", to=["a@example.org"], headers={"X-IRO-Reference": "REF"}
        )
        assert backend.send_messages([message]) == 1
        assert message.provider_id == "notify-123"
        kwargs = client.send_email_notification.call_args.kwargs
        assert kwargs["reference"] == "REF"
        assert kwargs["personalisation"] == {"subject": "Subject", "body": "Body"}

        def failing(status: int) -> HTTPError:
            response = mock.Mock(status_code=status)
            response.json.return_value = {"errors": []}
            return HTTPError(response)

        client.send_email_notification.side_effect = failing(400)
        with pytest.raises(PermanentFailure):
            backend.send_messages([message])
        client.send_email_notification.side_effect = failing(503)
        with pytest.raises(TransientFailure):
            backend.send_messages([message])


def test_enqueue_with_the_broker_down_returns_false_and_stops_at_the_first_failure():
    from kombu.exceptions import OperationalError

    task = mock.Mock()
    task.name = "reminders.tasks.send_email"
    task.apply_async.side_effect = OperationalError("refused")
    assert enqueue(task, 1) is False
    assert enqueue_many(task, [(1,), (2,), (3,)]) == 0
    assert task.apply_async.call_count == 2
    task.apply_async.assert_called_with(args=(1,), retry=False)


@pytest.mark.django_db
def test_materialise_recovers_reminders_without_notifications(overdue_icpc):
    from reminders.models import Notification

    Notification.objects.all().delete()
    assert services.reminders_materialise() == 2
    assert services.reminders_materialise() == 0


@pytest.mark.django_db
def test_scan_all_queues_every_rule_and_prunes_old_scan_records(people):
    from reminders import registry, tasks
    from reminders.models import ScanRun

    old = ScanRun.objects.create(rule="CLA-11", today=date(2025, 1, 1))
    ScanRun.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    recent = ScanRun.objects.create(rule="CLA-11", today=date(2025, 1, 1))
    with mock.patch("reminders.tasks.enqueue_many", return_value=1) as enqueue_many_mock:
        tasks.scan_all()
    task, arg_list = enqueue_many_mock.call_args_list[0].args
    assert task is tasks.scan_rule
    assert {code for (code,) in arg_list} == {rule.code for rule in registry.rules()}
    assert list(ScanRun.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_a_message_handed_to_the_gateway_is_sent_once_with_its_calendar_file():
    """Invitations (issue 4/5) go through the same claim-send-record path as reminders."""
    from reminders.calendars import Meeting, ics_attachment

    _, ics, _ = ics_attachment(
        Meeting(
            uid="review-7", reference="Review R000007", starts=datetime(2026, 5, 7, 10, tzinfo=UTC)
        )
    )
    with mock.patch("reminders.tasks.send_email_task.apply_async") as queued:
        delivery = services.email_queue(
            to="carer@example.org",
            subject="Invitation",
            text="Ref R000007",
            reference="R000007",
            ics=ics,
        )
    assert queued.call_count == 0  # only after the commit
    with mock.patch("reminders.services.send_email", side_effect=TransientFailure("busy")):
        assert delivery_send(delivery_id=delivery.pk) == "retry"
    EmailDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert delivery_send(delivery_id=delivery.pk) == "not claimed"
    [message] = mail.outbox
    assert message.to == ["carer@example.org"]
    assert message.attachments[0][0] == "meeting.ics"
    assert "R000007" in message.attachments[0][1]


@pytest.mark.django_db
def test_materialise_reads_the_reminders_in_chunks(overdue_icpc, monkeypatch):
    """Issue 11: one reminder at a time still makes every notification and email."""
    from reminders.models import Notification

    Notification.objects.all().delete()
    EmailDelivery.objects.all().delete()
    monkeypatch.setattr(services, "MATERIALISE_CHUNK", 1)
    assert services.reminders_materialise() == 2
    assert services.reminders_materialise() == 0
    assert Notification.objects.count() == EmailDelivery.objects.count() == 2
