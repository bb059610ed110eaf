"""A form being written when the session ends is kept as a draft and restored after
signing in again (issue 10 "Sessions"; ``iro_service.core.drafts``)."""

import time
from datetime import date
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from challenges.models import ChallengeDraft
from iro_service.core.middleware import SessionLimitsMiddleware
from reviews.models import ReviewDraft
from tests.challenges.conftest import raise_challenge
from tests.reviews.conftest import put_in_care

pytestmark = pytest.mark.django_db
__all__ = ["raise_challenge"]  # a fixture
TEXT = "Zqx: the child wants to stay with her foster carers and see her brother monthly."


@pytest.fixture
def review(child, people):
    return put_in_care(child, people["betty"], date(2025, 1, 6))


def expired_client(user, *, enforce_csrf: bool = False) -> Client:
    """Signed in, then idle for longer than the idle limit."""
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    session = client.session
    session[SessionLimitsMiddleware.LAST_SEEN] = (
        int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    )
    session.save()
    return client


def test_a_record_posted_after_the_session_ended_is_kept_and_restored_after_sign_in(review, people):
    client = expired_client(people["alice"])
    record = reverse("reviews:record", args=[review.pk])

    response = client.post(record, {"summary": TEXT, "held_date": "", "version": review.version})

    login = reverse("login")
    assert response.status_code == 302
    assert response["Location"].startswith(login) and "next=" in response["Location"]
    assert record.replace("/", "%2F") in response["Location"]
    assert ReviewDraft.objects.get(review=review, author=people["alice"]).data["summary"] == [TEXT]
    # Signed out: the record page sends them to sign in.
    assert client.get(record).status_code == 302

    client.force_login(people["alice"])
    page = client.get(record)
    assert page.status_code == 200
    assert TEXT in page.text


def test_the_htmx_autosave_after_the_session_ended_is_kept_for_the_record_form(review, people):
    client = expired_client(people["alice"])
    response = client.post(
        reverse("reviews:draft", args=[review.pk]), {"summary": TEXT}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 401
    assert ReviewDraft.objects.get(review=review).data["summary"] == [TEXT]


def test_nothing_is_kept_for_someone_who_may_not_write_the_record(review, people):
    client = expired_client(people["bob"])
    client.post(reverse("reviews:record", args=[review.pk]), {"summary": TEXT})
    assert not ReviewDraft.objects.exists()


def test_a_post_without_a_good_csrf_token_is_not_kept(review, people):
    """An expired session is no reason to let another site write into someone's draft."""
    client = expired_client(people["alice"], enforce_csrf=True)
    client.post(reverse("reviews:record", args=[review.pk]), {"summary": TEXT})
    assert not ReviewDraft.objects.exists()


# The same keeping for the other long free-text forms ---------------------------------------


def expires_then_restores(client: Client, user, post_url: str, data: dict, page_url: str):
    """Post after the session ended: sent to sign in with the page to come back to; after
    signing in, that page."""
    response = client.post(post_url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert quote(page_url, safe="") in response["Location"]
    client.force_login(user)
    page = client.get(page_url)
    assert page.status_code == 200
    return page


@pytest.fixture
def scheduled_conference(child, people):
    from tests.conferences.factories import booked, requested_icpc

    return booked(requested_icpc(child, people), people, day=date(2026, 3, 18))  # mandy chairs


def test_the_conference_record_posted_after_the_session_ended_is_kept_and_restored(
    scheduled_conference, people
):
    mandy = people["mandy"]
    client = expired_client(mandy)
    url = reverse("conferences:record", args=[scheduled_conference.pk])
    data = {"minutes": TEXT, "child_views": "Zqx wants her brother there", "draft": "1"}

    page = expires_then_restores(client, mandy, url, data, url)

    scheduled_conference.refresh_from_db()
    assert scheduled_conference.minutes == TEXT
    assert scheduled_conference.status == "scheduled"  # kept as a draft, never recorded
    assert TEXT in page.text and "Zqx wants her brother there" in page.text


def test_the_conference_records_autosave_after_the_session_ended_is_kept(
    scheduled_conference, people
):
    client = expired_client(people["mandy"])
    response = client.post(
        reverse("conferences:record_draft", args=[scheduled_conference.pk]),
        {"minutes": TEXT},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 401
    scheduled_conference.refresh_from_db()
    assert scheduled_conference.minutes == TEXT


def test_nothing_is_kept_of_a_conference_record_posted_by_someone_not_chairing_it(
    scheduled_conference, people
):
    client = expired_client(people["alice"])
    client.post(reverse("conferences:record", args=[scheduled_conference.pk]), {"minutes": TEXT})
    scheduled_conference.refresh_from_db()
    assert scheduled_conference.minutes == ""


@pytest.fixture
def held_conference(child, people):
    from tests.conferences.factories import held_with_plan

    return held_with_plan(child, people)  # mandy chairs


def test_an_amendment_sent_after_the_session_ended_is_kept_as_a_draft_and_restored(
    held_conference, people
):
    from conferences.models import AmendmentDraft, ConferenceAmendment

    mandy = people["mandy"]
    url = reverse("conferences:amend", args=[held_conference.pk])
    data = {
        "minutes": TEXT,
        "child_participation": "too_young",
        "reason": "Zqx report added",
        "version": held_conference.version,
    }

    page = expires_then_restores(expired_client(mandy), mandy, url, data, url)

    assert not ConferenceAmendment.objects.exists()  # kept as a draft, never sent
    assert AmendmentDraft.objects.get(author=mandy).data["minutes"] == [TEXT]
    assert "You have a draft from" in page.text
    assert TEXT in page.text and "Zqx report added" in page.text


def test_the_amend_forms_autosave_after_the_session_ended_is_kept(held_conference, people):
    from conferences.models import AmendmentDraft

    response = expired_client(people["mandy"]).post(
        reverse("conferences:amend_draft", args=[held_conference.pk]),
        {"minutes": TEXT},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 401
    assert AmendmentDraft.objects.get().data["minutes"] == [TEXT]


def test_a_discard_sent_after_the_session_ended_leaves_the_draft_as_it_was(held_conference, people):
    from conferences.models import AmendmentDraft
    from conferences.services import conference_amend_draft_save

    conference_amend_draft_save(
        conference=held_conference, data={"minutes": [TEXT]}, by=people["mandy"]
    )
    expired_client(people["mandy"]).post(
        reverse("conferences:amend", args=[held_conference.pk]),
        {"minutes": "Typed after the session ended", "discard": ""},
    )
    assert AmendmentDraft.objects.get().data["minutes"] == [TEXT]


def test_nothing_is_kept_of_an_amendment_sent_by_someone_who_may_not_amend(held_conference, people):
    from conferences.models import AmendmentDraft

    client = expired_client(people["alice"])  # an IRO, not this conference's chair
    client.post(reverse("conferences:amend", args=[held_conference.pk]), {"minutes": TEXT})
    assert not AmendmentDraft.objects.exists()


@pytest.fixture
def draft_audit(review, people):
    from audits.models import AuditQuestion, AuditTemplate, AuditTemplateVersion
    from audits.seed import seed_templates
    from audits.services import audit_start

    seed_templates(AuditTemplate, AuditTemplateVersion, AuditQuestion)
    return audit_start(child=review.child, review=review, by=people["alice"])


def test_the_audit_form_posted_after_the_session_ended_is_kept_as_a_draft_and_restored(
    draft_audit, people
):
    alice = people["alice"]
    question = draft_audit.answers.order_by("question__ordering").first().question_id
    url = reverse("audits:edit", args=[draft_audit.pk])
    data = {"summary": TEXT, f"c{question}": "Zqx comment", "action": "complete"}

    page = expires_then_restores(expired_client(alice), alice, url, data, url)

    draft_audit.refresh_from_db()
    assert draft_audit.summary == TEXT
    assert draft_audit.status == "draft"  # completing is done signed in
    assert draft_audit.answers.get(question_id=question).comment == "Zqx comment"
    assert TEXT in page.text and "Zqx comment" in page.text


def test_nothing_is_kept_of_an_audit_posted_by_someone_else(draft_audit, people):
    client = expired_client(people["bob"])
    client.post(reverse("audits:edit", args=[draft_audit.pk]), {"summary": TEXT})
    draft_audit.refresh_from_db()
    assert draft_audit.summary == ""


def test_a_challenge_being_raised_when_the_session_ended_is_kept_and_restored(child, people):
    alice = people["alice"]
    data = {
        "child": child.pk,
        "scope": "child",
        "reasons": ["drift-delay"],
        "what_is_wrong": TEXT,
        "impact_on_child": "",  # not finished: a draft is kept as typed, unvalidated
        "what_must_happen": "Zqx plan by the next review",
        "stage": "informal",
    }
    page_url = reverse("challenges:raise") + f"?child={child.pk}"

    client = expired_client(alice)
    page = expires_then_restores(client, alice, reverse("challenges:raise"), data, page_url)

    assert ChallengeDraft.objects.get(author=alice, child=child).data["what_is_wrong"] == [TEXT]
    assert TEXT in page.text and "Zqx plan by the next review" in page.text
    assert 'value="drift-delay" checked' in page.text.replace("\n", " ").replace("  ", " ")
    assert "This form shows your unsent draft" in page.text
    assert "There is a problem" not in page.text

    raised = client.post(reverse("challenges:raise"), data | {"impact_on_child": "Drift"})
    assert raised.status_code == 302
    assert not ChallengeDraft.objects.exists()  # raising it discards the draft


def test_nothing_is_kept_of_a_challenge_raised_by_someone_who_may_not_raise_one(child, people):
    client = expired_client(people["sarah"])
    client.post(reverse("challenges:raise"), {"child": child.pk, "what_is_wrong": TEXT})
    client = expired_client(people["charlie"])  # cannot see the child at all
    client.post(reverse("challenges:raise"), {"child": child.pk, "what_is_wrong": TEXT})
    assert not ChallengeDraft.objects.exists()


def test_a_challenge_response_being_written_when_the_session_ended_is_kept_and_restored(
    raise_challenge, people
):
    challenge = raise_challenge()
    terry = people["terry"]  # the manager of the child's team answers the informal stage
    url = reverse("challenges:respond", args=[challenge.pk])
    data = {"response": TEXT, "action_1_text": "Zqx action", "version": challenge.version}

    client = expired_client(terry)
    page = expires_then_restores(client, terry, url, data, url)

    assert ChallengeDraft.objects.get(author=terry, challenge=challenge).data["response"] == [TEXT]
    assert TEXT in page.text and "Zqx action" in page.text

    sent = client.post(url, data | {"action_1_text": ""})
    assert sent.status_code == 302
    assert not ChallengeDraft.objects.exists()  # sending the response discards the draft


def test_nothing_is_kept_of_a_response_posted_by_someone_it_is_not_with(raise_challenge, people):
    challenge = raise_challenge()
    client = expired_client(people["sarah"])
    client.post(reverse("challenges:respond", args=[challenge.pk]), {"response": TEXT})
    assert not ChallengeDraft.objects.exists()
