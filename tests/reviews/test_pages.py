"""The review pages: booking, recording with drafts and the version check, actions."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from iro_service.core.forms import date_input_data
from reminders.models import EmailDelivery
from reminders.services import delivery_send
from reminders.tasks import send_email_task
from reviews import services
from reviews.models import Review, ReviewDraft

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def book(review, user, on: date, **extra):
    data = {
        **date_input_data("scheduled_date", on),
        "scheduled_time": "10:00",
        "venue": "Town Hall",
    }
    data.update(extra)
    return client_for(user).post(reverse("reviews:book", args=[review.pk]), data)


def record_data(review, **extra) -> dict:
    data = {
        "version": review.version,
        **date_input_data("held_date", timezone.localdate()),
        "participation_code": "PN1",
        "wishes_and_feelings": "Wants to stay with her carers.",
        "attendees": "Alice, Sarah",
        "s7_health": "on",
        "s7_health_notes": "Health assessment done.",
    }
    data.update(extra)
    return data


def test_every_review_page_renders_for_its_users(in_care, child, people):
    alice = client_for(people["alice"])
    for name in ["mine", "list", "schedule_queue", "decisions"]:
        assert alice.get(reverse(f"reviews:{name}")).status_code == 200
    for name in [
        "detail",
        "book",
        "invitations",
        "record",
        "extra",
        "cancel",
        "preparation",
        "contact_add",
        "consultation_add",
    ]:
        response = alice.get(reverse(f"reviews:{name}", args=[in_care.pk]))
        assert response.status_code == 200, name
    assert alice.get(reverse("children:detail", args=[child.pk])).status_code == 200
    assert alice.get(reverse("reviews:footprint_add", args=[child.pk])).status_code == 200


def test_charlie_of_another_team_gets_404s(in_care, people):
    charlie = client_for(people["charlie"])
    for name in ["detail", "book", "record", "invitations"]:
        assert charlie.get(reverse(f"reviews:{name}", args=[in_care.pk])).status_code == 404


def test_business_support_books_but_cannot_write_the_record(in_care, people):
    on = timezone.localdate()
    response = book(in_care, people["betty"], on, late_reason="no_sw_report")
    assert response.status_code == 302
    in_care.refresh_from_db()
    assert (in_care.status, in_care.scheduled_date) == ("scheduled", on)
    betty = client_for(people["betty"])
    assert betty.get(reverse("reviews:record", args=[in_care.pk])).status_code == 403
    assert betty.post(reverse("reviews:draft", args=[in_care.pk]), {}).status_code == 403
    # Bob is an IRO but not the child's: read-only.
    assert (
        client_for(people["bob"]).get(reverse("reviews:record", args=[in_care.pk])).status_code
        == 403
    )
    assert (
        client_for(people["bob"]).get(reverse("reviews:detail", args=[in_care.pk])).status_code
        == 200
    )


def test_a_date_after_the_original_due_date_needs_a_reason_even_after_rescheduling(in_care, people):
    # The child was looked after in January 2025, so today is past the due date.
    today = timezone.localdate()
    response = book(in_care, people["betty"], today)
    assert response.status_code == 200
    assert "choose the reason it will be late" in response.content.decode()
    assert book(in_care, people["betty"], today, late_reason="iro_unavailable").status_code == 302
    book(in_care, people["betty"], today + timedelta(days=7), late_reason="family_request")
    in_care.refresh_from_db()
    assert in_care.original_due_date == date(2025, 2, 3)
    assert in_care.scheduled_date == today + timedelta(days=7)
    assert in_care.late_reason == "family_request"
    assert in_care.history.filter(scheduled_date=today).exists()
    page = client_for(people["betty"]).get(reverse("reviews:detail", args=[in_care.pk]))
    assert page.context["earlier_bookings"] == [today]


def test_other_needs_text(in_care, people):
    response = book(in_care, people["betty"], timezone.localdate(), late_reason="other")
    assert "Say why the review will be late" in response.content.decode()


def test_a_clash_with_the_iros_other_review_must_be_confirmed(in_care, org, people):
    from tests.factories import ChildFactory
    from tests.reviews.conftest import put_in_care

    other = put_in_care(
        ChildFactory(team=org["team"], iro=people["alice"]), people["betty"], date(2025, 1, 6)
    )
    today = timezone.localdate()
    assert book(other, people["betty"], today, late_reason="iro_unavailable").status_code == 302
    response = book(in_care, people["betty"], today, late_reason="iro_unavailable")
    assert "1 other meeting on" in response.content.decode()
    assert f"Review {other.reference}" in response.content.decode()
    in_care.refresh_from_db()
    assert in_care.status == "due"
    response = book(
        in_care, people["betty"], today, late_reason="iro_unavailable", confirm_clash="on"
    )
    assert response.status_code == 302


def test_invitations_are_emailed_with_a_reference_and_never_the_childs_name(in_care, child, people):
    book(in_care, people["betty"], timezone.localdate(), late_reason="iro_unavailable")
    betty = client_for(people["betty"])
    url = reverse("reviews:invitations", args=[in_care.pk])
    betty.post(
        url,
        {
            "name": "Sarah",
            "role": "Social worker",
            "how": "email",
            "email": "sarah@staff.example.org",
        },
    )
    betty.post(url, {"name": "Mum", "role": "Mother", "how": "post"})
    with (
        mock.patch.object(send_email_task, "apply_async") as queued,
        django_capture_on_commit(),
    ):
        betty.post(reverse("reviews:invitations_send", args=[in_care.pk]))
    assert in_care.invitations.filter(sent_at__isnull=False).count() == 2
    # Through the reminders email gateway: one row per email, queued by id, sent once.
    [delivery] = EmailDelivery.objects.filter(kind=EmailDelivery.Kind.MESSAGE)
    assert queued.call_args.kwargs["args"] == (delivery.pk,)
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sarah@staff.example.org"]
    assert in_care.reference in message.body
    [(filename, ics, _)] = message.attachments
    assert filename == "meeting.ics" and in_care.reference in ics
    for text in (message.body, message.subject, ics):
        assert child.first_name not in text and child.last_name not in text


def django_capture_on_commit():
    from django.db import connection
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(using=connection.alias, execute=True)


def test_record_saves_and_holds_the_review(in_care, child, people):
    response = client_for(people["alice"]).post(
        reverse("reviews:record", args=[in_care.pk]), record_data(in_care)
    )
    assert response.status_code == 302
    in_care.refresh_from_db()
    assert in_care.status == "held"
    assert in_care.schedule7["health"] == {"considered": True, "notes": "Health assessment done."}
    assert in_care.version == 2
    assert not ReviewDraft.objects.exists()
    assert Review.objects.get(child=child, status="due").sequence_rule == "CLA-2"


def test_a_refused_save_keeps_the_text_in_the_page_and_the_draft(in_care, people):
    data = record_data(in_care, participation_code="PN0", wishes_and_feelings="Very long text")
    response = client_for(people["alice"]).post(reverse("reviews:record", args=[in_care.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "PN0 is only for a child under 4" in body
    assert "Very long text" in body
    draft = ReviewDraft.objects.get(review=in_care, author=people["alice"])
    assert draft.data["wishes_and_feelings"] == ["Very long text"]


def test_a_date_missing_its_month_is_named_linked_and_kept_as_typed(in_care, people):
    data = record_data(in_care, held_date_day="07", held_date_month="", held_date_year="2025")
    response = client_for(people["alice"]).post(reverse("reviews:record", args=[in_care.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<a href="#id_held_date_month">Date the review was held must include a month</a>' in body
    assert 'name="held_date_day" value="07"' in body
    assert 'name="held_date_year" value="2025"' in body
    assert body.count("govuk-input--error") == 1
    in_care.refresh_from_db()
    assert in_care.status != "held"


def test_a_held_date_in_the_future_keeps_the_rule_message_on_all_three_boxes(in_care, people):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = record_data(in_care, **date_input_data("held_date", tomorrow))
    response = client_for(people["alice"]).post(reverse("reviews:record", args=[in_care.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        '<a href="#id_held_date_day">The date the review was held cannot be in the future.</a>'
        in body
    )
    assert body.count("govuk-input--error") == 3


def test_the_draft_endpoint_saves_what_is_typed_and_the_form_shows_it(in_care, people):
    alice = client_for(people["alice"])
    response = alice.post(
        reverse("reviews:draft", args=[in_care.pk]),
        {
            "version": in_care.version,
            "summary": "Half a sentence",
            "held_date_day": "31",
            "held_date_month": "Feb",
            "held_date_year": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    page = alice.get(reverse("reviews:record", args=[in_care.pk])).content.decode()
    assert "Half a sentence" in page
    assert "unsaved draft" in page
    assert 'name="held_date_day" value="31"' in page
    assert 'name="held_date_month" value="Feb"' in page


def test_a_stale_save_is_refused_with_a_conflict_and_the_text_kept(in_care, people):
    opened_version = in_care.version
    alice = client_for(people["alice"])
    # Someone else (here: alice in another tab) saves first.
    alice.post(reverse("reviews:record", args=[in_care.pk]), record_data(in_care))
    stale = record_data(in_care, version=opened_version, summary="My careful summary")
    response = alice.post(reverse("reviews:record", args=[in_care.pk]), stale)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this review after you opened it" in body
    assert "My careful summary" in body
    in_care.refresh_from_db()
    assert in_care.summary == ""
    draft = ReviewDraft.objects.get(review=in_care, author=people["alice"])
    assert draft.data["summary"] == ["My careful summary"]


def test_decisions_circulate_and_complete_with_their_deadlines(in_care, child, people):
    alice = client_for(people["alice"])
    alice.post(reverse("reviews:record", args=[in_care.pk]), record_data(in_care))
    in_care.refresh_from_db()
    today = timezone.localdate()
    response = alice.post(
        reverse("reviews:circulate", args=[in_care.pk]), date_input_data("on", today)
    )
    assert "Add the review&#x27;s decisions before circulating them" in response.content.decode()
    for text in ["Update the care plan", "Arrange contact with grandmother"]:
        response = alice.post(
            reverse("reviews:decision_add", args=[in_care.pk]),
            {
                "text": text,
                "owner": people["sarah"].pk,
                "owner_role": "Social worker",
                **date_input_data("due_date", today + timedelta(days=28)),
            },
        )
        assert response.status_code == 302
    betty = client_for(people["betty"])
    assert (
        betty.post(
            reverse("reviews:circulate", args=[in_care.pk]), date_input_data("on", today)
        ).status_code
        == 302
    )
    assert (
        alice.post(
            reverse("reviews:complete", args=[in_care.pk]), date_input_data("on", today)
        ).status_code
        == 302
    )
    in_care.refresh_from_db()
    assert in_care.decisions_circulated_on == in_care.record_completed_on == today
    page = alice.get(reverse("reviews:detail", args=[in_care.pk])).content.decode()
    assert "Review decisions circulated (CLA-13)" in page
    assert page.count('moj-badge--green">Met') >= 2
    # Completed: no more editing, only amendment.
    assert alice.get(reverse("reviews:record", args=[in_care.pk])).status_code == 403
    assert alice.get(reverse("reviews:amend", args=[in_care.pk])).status_code == 200


def test_the_decision_owner_updates_their_decision_and_others_cannot(in_care, people):
    in_care = services.review_record(
        review=in_care,
        values={"held_date": timezone.localdate(), "participation_code": "PN1"},
        version=in_care.version,
        by=people["alice"],
    )
    decision = services.decision_add(
        review=in_care,
        text="Do it",
        owner=people["sarah"],
        owner_role="Social worker",
        due_date=timezone.localdate(),
        by=people["alice"],
    )
    url = reverse("reviews:decision_update", args=[in_care.pk, decision.pk])
    assert client_for(people["terry"]).post(url, {"status": "done"}).status_code == 403
    assert client_for(people["sarah"]).post(url, {"status": "done"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done"
