"""A form being written when the session ends is kept as a draft and restored after
signing in again (issue 10 "Sessions"; ``iro_service.core.drafts``)."""

import time
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from iro_service.core.middleware import SessionLimitsMiddleware
from reviews.models import ReviewDraft
from tests.reviews.conftest import put_in_care

pytestmark = pytest.mark.django_db
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
