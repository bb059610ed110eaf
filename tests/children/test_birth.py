"""Recording an unborn child's birth: who may, what is refused and why, the page and the
API. The due dates that move with the birth (CP-8) are in tests/conferences/test_birth.py."""

import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from children import services
from children.models import Child
from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.forms import date_input_data
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

EXPECTED = date(2026, 5, 1)
TODAY = date(2026, 7, 1)


@pytest.fixture
def baby(org, people) -> Child:
    return ChildFactory(
        team=org["team"],
        iro=people["alice"],
        social_worker=people["sarah"],
        date_of_birth=None,
        expected_date_of_birth=EXPECTED,
    )


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_recording_the_birth_sets_the_date_with_history_and_a_timeline_line(baby, people):
    with time_machine.travel(TODAY):
        services.record_birth(child=baby, date_of_birth=date(2026, 4, 28), by=people["sarah"])

    baby.refresh_from_db()
    assert (baby.date_of_birth, baby.expected_date_of_birth) == (date(2026, 4, 28), EXPECTED)
    assert not baby.is_unborn
    changed = baby.history.order_by("-history_id").first()
    assert (changed.history_type, changed.date_of_birth) == ("~", date(2026, 4, 28))
    assert baby.history.get(history_type="+").date_of_birth is None
    event = baby.events.get(summary="Born")
    assert (event.occurred_on, event.kind, event.by) == (
        date(2026, 4, 28),
        "record",
        people["sarah"],
    )


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (date(2026, 7, 2), "The date of birth cannot be in the future"),
        (
            date(2025, 12, 11),
            "must be between 12 December 2025 and 12 June 2026 (20 weeks before to 6 weeks "
            "after the expected date, 1 May 2026)",
        ),
        (date(2026, 6, 13), "must be between 12 December 2025 and 12 June 2026"),
    ],
    ids=["future", "too-early", "too-late"],
)
def test_a_birth_date_out_of_bounds_is_refused_with_what_to_do(baby, people, born, message):
    refusal = pytest.raises(RuleViolation, match=re.escape(message))
    with time_machine.travel(TODAY), refusal as refused:
        services.record_birth(child=baby, date_of_birth=born, by=people["sarah"])
    assert refused.value.field == "date_of_birth"
    baby.refresh_from_db()
    assert baby.is_unborn


@pytest.mark.parametrize("born", [date(2025, 12, 12), date(2026, 6, 12)], ids=["first", "last"])
def test_the_window_includes_its_first_and_last_days(org, people, born):
    child = ChildFactory(team=org["team"], date_of_birth=None, expected_date_of_birth=EXPECTED)
    with time_machine.travel(TODAY):
        services.record_birth(child=child, date_of_birth=born, by=people["betty"])
    child.refresh_from_db()
    assert child.date_of_birth == born


def test_a_birth_already_recorded_is_refused(child, people):
    with pytest.raises(RuleViolation, match="birth is already recorded: born 1 June 2015"):
        services.record_birth(child=child, date_of_birth=date(2015, 6, 2), by=people["sarah"])


@pytest.mark.parametrize("who", ["alice", "helen", "percy"])
def test_only_those_who_keep_the_record_may_record_the_birth(baby, people, who):
    with pytest.raises(NotPermitted):
        services.record_birth(child=baby, date_of_birth=date(2026, 4, 28), by=people[who])


def test_changing_details_cannot_record_a_birth_behind_the_clocks_back(baby, people):
    with pytest.raises(RuleViolation, match="Record the birth"):
        services.child_update(child=baby, by=people["sarah"], date_of_birth=date(2026, 4, 28))
    response = api(people["sarah"]).patch(
        reverse("child-detail", args=[baby.pk]), {"date_of_birth": "2026-04-28"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "date_of_birth"
    baby.refresh_from_db()
    assert baby.is_unborn


# The page ---------------------------------------------------------------------------------


def test_the_child_page_offers_the_birth_to_those_who_keep_the_record(baby, child, people):
    url = reverse("children:birth", args=[baby.pk])
    assert url in page(people["sarah"]).get(reverse("children:detail", args=[baby.pk])).text
    assert url not in page(people["alice"]).get(reverse("children:detail", args=[baby.pk])).text
    born_url = reverse("children:birth", args=[child.pk])
    assert (
        born_url not in page(people["sarah"]).get(reverse("children:detail", args=[child.pk])).text
    )


def test_recording_the_birth_on_the_page(baby, people):
    client = page(people["sarah"])
    url = reverse("children:birth", args=[baby.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "expected on 1 May 2026" in form.text
    assert "10 working days after the birth" in form.text

    with time_machine.travel(TODAY):
        done = client.post(url, date_input_data("date_of_birth", date(2026, 4, 28)), follow=True)
        # The same day: the POST saved the session, which expires 12 hours after that.
        again = client.get(url)

    assert done.redirect_chain == [(reverse("children:detail", args=[baby.pk]), 302)]
    assert "The birth has been recorded" in done.text
    assert "28 April 2026" in done.text
    assert "already recorded: born 28 April 2026" in again.text


BIRTH_PARTS = ("date_of_birth_day", "date_of_birth_month", "date_of_birth_year")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (("", "", ""), "Enter the date the child was born"),
        (("30", "2", "2026"), "Date the child was born must be a real date"),
        (("30", "", "2026"), "Date the child was born must include a month"),
        (("2", "7", "2026"), "The date of birth cannot be in the future"),
        (("1", "1", "2025"), "must be between 12 December 2025 and 12 June 2026"),
    ],
    ids=["missing", "not-a-date", "no-month", "future", "far-from-expected"],
)
def test_the_page_shows_what_is_wrong_in_the_error_summary(baby, people, value, message):
    with time_machine.travel(TODAY):
        response = page(people["sarah"]).post(
            reverse("children:birth", args=[baby.pk]),
            dict(zip(BIRTH_PARTS, value, strict=True)),
        )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert message in response.text
    assert "<title>Error: Record the birth" in response.text


def test_the_page_is_403_for_a_reader_and_404_for_a_child_out_of_sight(baby, people):
    url = reverse("children:birth", args=[baby.pk])
    assert page(people["alice"]).get(url).status_code == 403
    assert page(people["charlie"]).get(url).status_code == 404
    born = date_input_data("date_of_birth", date(2026, 4, 28))
    assert page(people["charlie"]).post(url, born).status_code == 404
    baby.refresh_from_db()
    assert baby.is_unborn


# The API ----------------------------------------------------------------------------------


def test_recording_the_birth_through_the_api(baby, people):
    url = reverse("child-birth", args=[baby.pk])
    with time_machine.travel(TODAY):
        response = api(people["betty"]).post(url, {"date_of_birth": "2026-04-28"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["date_of_birth"] == "2026-04-28"


def test_the_api_refuses_with_the_reason(baby, people):
    url = reverse("child-birth", args=[baby.pk])
    client = api(people["betty"])
    with time_machine.travel(TODAY):
        future = client.post(url, {"date_of_birth": "2026-07-02"}, format="json")
        missing = client.post(url, {}, format="json")
    assert future.status_code == 400
    assert future.json() == {
        "detail": "The date of birth cannot be in the future: enter the day the child was born.",
        "field": "date_of_birth",
    }
    assert missing.status_code == 400
    assert "date_of_birth" in missing.json()
    assert api(people["alice"]).post(url, {"date_of_birth": "2026-04-28"}).status_code == 403
    assert api(people["charlie"]).post(url, {"date_of_birth": "2026-04-28"}).status_code == 404
