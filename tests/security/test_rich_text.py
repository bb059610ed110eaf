"""Script injection through free text (SECURITY.md T10): minutes and review records are
stored without markup (nh3), and pages escape what they show."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from conferences import services
from iro_service.core.rich_text import plain_text
from tests.conferences.factories import booked, requested_icpc

PAYLOADS = [
    "<script>alert('minutes')</script>",
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="javascript:alert(1)">link</a>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_is_stripped_from_free_text(payload):
    cleaned = plain_text(f"Discussed the plan. {payload} Agreed.")
    assert "<" not in cleaned and "javascript:" not in cleaned.replace("link", "")
    assert cleaned.startswith("Discussed the plan.") and cleaned.endswith("Agreed.")


@pytest.mark.parametrize("text", ["a < b & c > d", "Tom & Jerry", 'Mum said "no"', ""])
def test_ordinary_text_is_kept_as_typed(text):
    assert plain_text(text) == text


@pytest.mark.django_db
def test_conference_minutes_are_saved_without_a_script_and_shown_escaped(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    payload = "Agreed the plan.<script>alert('x')</script><b onmouseover=alert(2)>Note</b>"

    services.conference_record_draft(conference=conference, by=conference.chair, minutes=payload)

    conference.refresh_from_db()
    assert conference.minutes == "Agreed the plan.Note"
    client = Client()
    client.force_login(conference.chair)
    page = client.get(reverse("conferences:record", args=[conference.pk]))
    assert page.status_code == 200
    assert "<script>alert" not in page.text
