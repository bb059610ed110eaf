"""Retention pages: the report and its CSV, the schedule, legal holds, and destruction by
two people, as the information governance officers and the system administrator use them."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from children.models import Child
from iro_service.core.models import AccessLogEntry
from retention import services
from retention.models import DestructionLogEntry, DestructionRequest, LegalHold
from tests.factories import ChildFactory
from tests.retention.conftest import MARKERS, care_episode

pytestmark = pytest.mark.django_db
NAMES = MARKERS[:3]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ig_officer_sees_records_past_retention_by_id_only(ig, old_child, child):
    services.retention_recompute()
    page = signed_in(ig["ivy"]).get(reverse("retention:records"))
    assert page.status_code == 200
    assert old_child.la_child_id in page.text and "1 March 2015" in page.text
    assert child.la_child_id not in page.text  # born 2015: not past retention
    assert not any(name in page.text for name in NAMES)


def test_the_csv_lists_every_record_past_retention(ig, old_child):
    response = signed_in(ig["sam"]).get(reverse("retention:records-csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Internal ID,Local authority child ID")
    assert lines[1:] == [
        f"{old_child.pk},{old_child.la_child_id},2015-03-01,Child who has been looked after,no"
    ]
    assert not any(name in response.content.decode() for name in NAMES)


def test_case_roles_cannot_open_retention_pages(people, old_child):
    for persona in ("mandy", "alice", "dora", "percy"):
        client = signed_in(people[persona])
        assert client.get(reverse("retention:records")).status_code == 403
        assert client.get(reverse("retention:child", args=[old_child.pk])).status_code == 403


def _past_children(people, count: int) -> None:
    for _ in range(count):
        child = ChildFactory(date_of_birth=date(1940, 1, 1))
        care_episode(child, people["betty"], date(1950, 1, 1), date(1951, 1, 1), "E4A")


@pytest.mark.parametrize("route", ["retention:records", "retention:records-csv"])
def test_the_report_takes_the_same_queries_for_3_or_30_records(
    people, ig, route, django_assert_max_num_queries
):
    client = signed_in(ig["ivy"])
    _past_children(people, 3)
    with django_assert_max_num_queries(9) as few:
        assert client.get(reverse(route)).status_code == 200
    _past_children(people, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse(route))
    assert page.content.decode().count("C0") >= 30


def test_the_system_administrator_changes_the_schedule(ig, old_child):
    client = signed_in(ig["sam"])
    form = {
        "looked_after-until_birthday": "90",
        "looked_after-years_after_death": "15",
        "adopted-years_after_closing": "100",
        "never_looked_after-until_birthday": "25",
        "never_looked_after-years_after_closing": "6",
    }
    response = client.post(reverse("retention:rules-edit"), form)
    assert response.status_code == 302
    assert "Until the 90th birthday" in client.get(reverse("retention:rules")).text
    old_child.retention.refresh_from_db()
    assert old_child.retention.ends_on == date(2030, 3, 1)


def test_a_rule_with_no_end_is_refused_with_a_message(ig):
    response = signed_in(ig["sam"]).post(
        reverse("retention:rules-edit"),
        {"adopted-years_after_closing": "", "looked_after-until_birthday": "75"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a birthday, or a number of years" in response.text


def test_the_ig_officer_cannot_change_the_schedule(ig):
    assert signed_in(ig["ivy"]).get(reverse("retention:rules-edit")).status_code == 403


def test_placing_and_lifting_a_legal_hold(ig, old_child):
    client = signed_in(ig["ivy"])
    found = client.get(reverse("retention:holds"), {"la_child_id": old_child.la_child_id})
    assert found["Location"] == reverse("retention:child", args=[old_child.pk])
    url = reverse("retention:hold-place", args=[old_child.pk])
    assert "Say why the record must be kept" in client.post(url, {"reason": ""}).text
    assert client.post(url, {"reason": "Litigation"}).status_code == 302
    assert old_child.la_child_id not in client.get(reverse("retention:records")).text
    assert old_child.la_child_id in client.get(reverse("retention:holds")).text
    hold = LegalHold.objects.get(child=old_child)
    lifted = client.post(reverse("retention:hold-lift", args=[hold.pk]), {"reason": "Settled"})
    assert lifted.status_code == 302
    assert old_child.la_child_id in client.get(reverse("retention:records")).text


def test_the_child_page_shows_ids_only_and_is_logged(ig, old_child):
    page = signed_in(ig["ivy"]).get(reverse("retention:child", args=[old_child.pk]))
    assert "Past retention" in page.text
    assert not any(name in page.text for name in NAMES)
    assert AccessLogEntry.objects.filter(
        child_id=old_child.pk, route="retention:child", user=ig["ivy"]
    ).exists()


def test_two_people_destroy_a_record_through_the_pages(ig, old_child):
    ivy, igor = signed_in(ig["ivy"]), signed_in(ig["igor"])
    la_child_id = old_child.la_child_id
    asked = ivy.post(
        reverse("retention:destruction-request", args=[old_child.pk]), {"reason": "Past retention"}
    )
    assert asked.status_code == 302
    request = DestructionRequest.objects.get()
    url = reverse("retention:request", args=[request.pk])

    # The person who asked sees the request but cannot decide, even by posting.
    own = ivy.get(url)
    assert "a different information governance officer must approve" in own.text
    assert "Approve and destroy" not in own.text
    assert ivy.post(url, {"decision": "approve"}).status_code == 403
    assert Child.objects.filter(pk=old_child.pk).exists()

    check = igor.get(url)
    assert "Check the request before you decide" in check.text
    assert "This cannot be undone." in check.text and la_child_id in check.text
    assert not any(name in check.text for name in NAMES)
    assert igor.post(url, {"decision": "approve"}).status_code == 302
    assert not Child.objects.filter(pk=old_child.pk).exists()
    assert igor.get(url).status_code == 404

    entry = DestructionLogEntry.objects.get()
    log = ivy.get(reverse("retention:log"), {"la_child_id": la_child_id})
    assert str(entry.child_pk) in log.text and la_child_id not in log.text.split("</form>")[-1]
    assert "children.Child: 1" in log.text
    none = ivy.get(reverse("retention:log"), {"la_child_id": "NOTDESTROYED"})
    assert "No record with that ID has been destroyed" in none.text


def test_rejecting_needs_a_reason(ig, old_child):
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    igor = signed_in(ig["igor"])
    url = reverse("retention:request", args=[request.pk])
    refused = igor.post(url, {"decision": "reject", "comment": ""})
    assert "Say why the record should be kept" in refused.text
    assert igor.post(url, {"decision": "reject", "comment": "Complaint open"}).status_code == 302
    request.refresh_from_db()
    assert request.status == DestructionRequest.Status.REJECTED
    assert Child.objects.filter(pk=old_child.pk).exists()


def test_asking_to_destroy_a_record_not_past_retention_says_why(ig, child):
    response = signed_in(ig["ivy"]).post(
        reverse("retention:destruction-request", args=[child.pk]), {"reason": "Tidy"}
    )
    assert response.status_code == 200
    assert "not past its retention date" in response.text
