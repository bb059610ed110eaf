"""Amendments, early reviews, footprint, documents, who may do what, and the lost update."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from iro_service.core.errors import InvalidTransition, NotPermitted
from iro_service.core.forms import date_input_data
from reviews import documents, services, workflow
from reviews.models import FootprintNote, Review, ReviewAmendment
from tests.conftest import requires_postgres
from tests.reviews.conftest import put_in_care

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hold(review, alice, **values) -> Review:
    data = {"held_date": date(2025, 1, 30), "participation_code": "PN1"} | values
    return services.review_record(review=review, values=data, version=review.version, by=alice)


def completed(in_care, people) -> Review:
    held = hold(in_care, people["alice"], summary="First version")
    services.decision_add(
        review=held,
        text="Do it",
        owner=people["sarah"],
        owner_role="Social worker",
        due_date=date(2025, 3, 1),
        by=people["alice"],
    )
    services.review_circulate(review=held, on=date(2025, 2, 3), by=people["betty"])
    return services.review_complete(review=held, on=date(2025, 2, 10), by=people["alice"])


def test_the_transition_table_refuses_steps_out_of_order():
    assert workflow.next_state("due", "schedule") == "scheduled"
    assert workflow.next_state("scheduled", "record") == "held"
    with pytest.raises(InvalidTransition, match="This review is held, so you cannot book it"):
        workflow.next_state("held", "schedule")
    with pytest.raises(InvalidTransition):
        workflow.next_state("cancelled", "record")


def test_a_completed_record_changes_only_by_amendment_keeping_the_original(in_care, people):
    review = completed(in_care, people)
    with pytest.raises(NotPermitted):
        hold(review, people["alice"], summary="Sneaky edit")
    amendment = services.review_amend(
        review=review,
        values={"held_date": date(2025, 1, 30), "participation_code": "PN2", "summary": "Fixed"},
        reason="The participation code was wrong",
        version=review.version,
        by=people["alice"],
    )
    review.refresh_from_db()
    assert (review.summary, review.participation_code) == ("Fixed", "PN2")
    assert amendment.original["summary"] == "First version"
    assert amendment.original["participation_code"] == "PN1"
    assert amendment.reason == "The participation code was wrong"
    assert ReviewAmendment.history.count() == 1


def test_an_amendment_needs_a_reason(in_care, people):
    review = completed(in_care, people)
    response = client_for(people["alice"]).post(
        reverse("reviews:amend", args=[review.pk]),
        {
            "version": review.version,
            **date_input_data("held_date", date(2025, 1, 30)),
            "participation_code": "PN1",
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode() or "reason" in str(
        response.context["form"].errors
    )
    assert not ReviewAmendment.objects.exists()


def test_the_early_review_page_brings_the_next_review_forward(in_care, people):
    due_by = timezone.localdate() + timedelta(days=5)
    response = client_for(people["alice"]).post(
        reverse("reviews:extra", args=[in_care.pk]),
        {"reason": "placement_ending", **date_input_data("due_by", due_by)},
    )
    assert response.status_code == 302
    in_care.refresh_from_db()
    assert (in_care.kind, in_care.extra_reason) == ("extra", "placement_ending")
    # The statutory date (already passed for this child) stays the earlier one.
    assert in_care.due_date == in_care.original_due_date == date(2025, 2, 3)


def test_business_support_cannot_adjourn_or_complete(in_care, people):
    for name in ["adjourn", "cancel", "extra"]:
        url = reverse(f"reviews:{name}", args=[in_care.pk])
        assert client_for(people["betty"]).get(url).status_code == 403


@pytest.mark.parametrize("persona", ["sarah", "terry", "mandy", "helen", "dora"])
def test_social_workers_and_managers_read_but_do_not_write(in_care, people, persona):
    client = client_for(people[persona])
    assert client.get(reverse("reviews:detail", args=[in_care.pk])).status_code == 200
    for name in ["record", "book", "cancel", "extra"]:
        assert client.get(reverse(f"reviews:{name}", args=[in_care.pk])).status_code == 403


def test_managers_filter_the_list_by_iro_team_and_status(in_care, org, people):
    from tests.factories import ChildFactory

    put_in_care(
        ChildFactory(team=org["other_team"], iro=people["bob"]), people["betty"], date(2025, 1, 6)
    )
    mandy = client_for(people["mandy"])
    url = reverse("reviews:list")
    assert mandy.get(url).context["page_obj"].paginator.count == 2
    by_iro = mandy.get(url, {"iro": people["alice"].pk}).context["page_obj"].object_list
    assert [review.pk for review in by_iro] == [in_care.pk]
    by_team = mandy.get(url, {"team": org["team"].pk}).context["page_obj"].object_list
    assert [review.pk for review in by_team] == [in_care.pk]
    assert mandy.get(url, {"status": "held"}).context["page_obj"].paginator.count == 0
    assert client_for(people["sarah"]).get(url).context["page_obj"].paginator.count == 1


def test_the_iro_adds_footprint_notes_shown_on_the_child_page(in_care, child, people):
    response = client_for(people["alice"]).post(
        reverse("reviews:footprint_add", args=[child.pk]),
        {"kind": "midway", **date_input_data("on", timezone.localdate()), "note": "Plan on track"},
    )
    assert response.status_code == 302
    assert FootprintNote.objects.get().kind == "midway"
    page = client_for(people["alice"]).get(reverse("children:detail", args=[child.pk]))
    assert "Plan on track" in page.content.decode()
    assert (
        client_for(people["bob"]).get(reverse("reviews:footprint_add", args=[child.pk])).status_code
        == 403
    )


def test_contact_and_consultation_records_before_the_review(in_care, people):
    alice = client_for(people["alice"])
    today = timezone.localdate()
    alice.post(
        reverse("reviews:contact_add", args=[in_care.pk]),
        {**date_input_data("on", today), "how": "visit", "seen_alone": "on"},
    )
    alice.post(
        reverse("reviews:consultation_add", args=[in_care.pk]),
        {"who": "carer", **date_input_data("sent_on", today)},
    )
    alice.post(
        reverse("reviews:preparation", args=[in_care.pk]),
        {**date_input_data("sw_report_received_on", today), "child_prepared": "yes"},
    )
    in_care.refresh_from_db()
    assert in_care.contacts.get().seen_alone is True
    assert in_care.consultations.get().who == "carer"
    assert in_care.child_prepared is True


def test_documents_leave_out_a_withheld_address(in_care, child, people):
    review = completed(in_care, people)
    child.address, child.address_withheld = "12 Secret Lane", True
    child.save(update_fields=["address", "address_withheld"])
    review.refresh_from_db()
    assert "12 Secret Lane" not in documents.decisions_html(review)
    child.address_withheld = False
    child.save(update_fields=["address_withheld"])
    review.refresh_from_db()
    assert "12 Secret Lane" in documents.decisions_html(review)
    response = client_for(people["betty"]).get(reverse("reviews:decisions_pdf", args=[review.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_invitation_letter_is_a_pdf_for_business_support_only(in_care, people):
    services.review_schedule(
        review=in_care,
        on=timezone.localdate(),
        at=None,
        venue="Hall",
        online=False,
        late_reason="family_request",
        by=people["betty"],
    )
    invitation = services.invitation_add(
        review=in_care, name="Mum", email="", role="Mother", how="post", by=people["betty"]
    )
    url = reverse("reviews:invitation_letter", args=[in_care.pk, invitation.pk])
    assert client_for(people["betty"]).get(url).content.startswith(b"%PDF")
    assert client_for(people["sarah"]).get(url).status_code == 403
    assert client_for(people["charlie"]).get(url).status_code == 404
    invitation.review.refresh_from_db()
    assert "Hall" in documents.invitation_letter_html(invitation)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_version_at_once_exactly_one_wins(in_care, people):
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(summary: str) -> None:
        try:
            barrier.wait()
            hold(Review.objects.get(pk=in_care.pk), people["alice"], summary=summary)
            outcomes.append("saved")
        except services.EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Review.objects.filter(child=in_care.child, status="held").count() == 1
    assert Review.objects.filter(child=in_care.child, status="due").count() == 1


def test_opening_a_review_is_written_to_the_access_log(in_care, child, people):
    from iro_service.core.models import AccessLogEntry

    assert (
        client_for(people["bob"]).get(reverse("reviews:detail", args=[in_care.pk])).status_code
        == 200
    )
    (entry,) = AccessLogEntry.objects.all()
    assert (entry.record_type, entry.child_id, entry.route) == (
        "review",
        child.pk,
        "reviews:detail",
    )


def test_a_restricted_childs_reviews_are_absent_for_everyone_off_the_allow_list(
    in_care, child, people
):
    hold(in_care, people["alice"])
    child.restricted = True
    child.save(update_fields=["restricted"])
    child.allowed_users.set([people["alice"]])
    for persona in ["bob", "betty", "mandy", "sarah"]:
        client = client_for(people[persona])
        assert client.get(reverse("reviews:detail", args=[in_care.pk])).status_code == 404
        for name in ["reviews:list", "reviews:schedule_queue", "reviews:decisions"]:
            assert child.first_name not in client.get(reverse(name)).content.decode()
        assert client.get(reverse("review-list")).json()["count"] == 0
    assert client_for(people["alice"]).get(reverse("review-list")).json()["count"] == 2
