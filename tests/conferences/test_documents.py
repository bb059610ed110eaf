"""Outcome letters and minutes: PDFs for the chair and business support that never carry a
withheld address, nor a restricted child's details."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from conferences import documents
from tests.conferences.factories import held_with_plan

pytestmark = pytest.mark.django_db

ADDRESS = "1 Canary Street, Hiddenville"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_outcome_letter_shows_the_address_when_it_is_not_withheld(child, people):
    child.address = ADDRESS
    child.save(update_fields=["address"])
    conference = held_with_plan(child, people, day=date(2026, 3, 18))
    html = documents.outcome_letter_html(conference, None, by=people["mandy"])
    assert ADDRESS in html
    assert child.full_name in html


def test_withheld_address_never_appears_in_letters_or_minutes(child, people):
    child.address, child.address_withheld = ADDRESS, True
    child.save(update_fields=["address", "address_withheld"])
    conference = held_with_plan(child, people)
    assert ADDRESS not in documents.outcome_letter_html(conference, None, by=people["mandy"])
    assert ADDRESS not in documents.minutes_html(conference, by=people["mandy"])


def test_restricted_childs_documents_carry_the_reference_only(child, people):
    child.address = ADDRESS
    child.save(update_fields=["address"])
    conference = held_with_plan(child, people)
    child.restricted = True
    child.save(update_fields=["restricted"])
    conference.refresh_from_db()
    for html in (
        documents.outcome_letter_html(conference, None, by=people["mandy"]),
        documents.minutes_html(conference, by=people["mandy"]),
    ):
        assert child.full_name not in html and ADDRESS not in html
        assert conference.reference in html


def test_chair_downloads_the_outcome_letter_as_pdf(child, people):
    conference = held_with_plan(child, people)
    invitation = conference.invitations.first()
    response = client_for(people["mandy"]).get(
        reverse("conferences:outcome_pdf", args=[conference.pk]) + f"?invitation={invitation.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_minutes_pdf_is_refused_to_a_social_worker_and_hidden_from_another_team(child, people):
    conference = held_with_plan(child, people)
    url = reverse("conferences:minutes_pdf", args=[conference.pk])
    assert client_for(people["sarah"]).get(url).status_code == 403
    assert client_for(people["charlie"]).get(url).status_code == 404
    assert client_for(people["betty"]).get(url).content.startswith(b"%PDF")
