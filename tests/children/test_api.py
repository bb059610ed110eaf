"""The children's records API: scoping, filters, writes through the services, errors."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from children.models import Child, Episode
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_children_list_is_scoped_and_paginated(child, org, people):
    ChildFactory(team=org["other_team"])
    body = client_for(people["sarah"]).get(reverse("child-list")).json()
    assert body["count"] == 1
    assert body["results"][0]["la_child_id"] == child.la_child_id
    assert client_for(people["alice"]).get(reverse("child-list")).json()["count"] == 2


def test_children_filter_by_local_authority_id(child, org, people):
    ChildFactory(team=org["team"])
    body = (
        client_for(people["alice"])
        .get(reverse("child-list"), {"la_child_id": child.la_child_id.lower()})
        .json()
    )
    assert [row["id"] for row in body["results"]] == [child.pk]


def test_children_filter_by_status(child, people):
    client = client_for(people["betty"])
    assert client.get(reverse("child-list"), {"status": "in_care"}).json()["count"] == 0
    client.post(
        reverse("episode-list"),
        {
            "child": child.pk,
            "decom": "2024-05-01",
            "rne": "S",
            "ls": "C2",
            "cin": "N1",
            "place": "U4",
            "place_provider": "PR1",
        },
    )
    body = client.get(reverse("child-list"), {"status": "in_care"}).json()
    assert [(row["id"], row["in_care"], row["on_plan"]) for row in body["results"]] == [
        (child.pk, True, False)
    ]


def test_create_child_goes_through_the_service_and_its_rules(people):
    client = client_for(people["betty"])
    refused = client.post(
        reverse("child-list"),
        {"la_child_id": "NEW1", "first_name": "Ann", "last_name": "Lee", "upn": "I1"},
    )
    assert refused.status_code == 400
    created = client.post(
        reverse("child-list"),
        {
            "la_child_id": "NEW1",
            "first_name": "Ann",
            "last_name": "Lee",
            "date_of_birth": "2016-02-03",
        },
    )
    assert created.status_code == 201, created.json()
    child = Child.objects.get(la_child_id="NEW1")
    assert child.events.filter(summary="Record created").exists()
    assert child.history.count() == 1


def test_create_child_refused_for_roles_that_do_not_keep_records(people):
    response = client_for(people["percy"]).post(
        reverse("child-list"),
        {"la_child_id": "NEW2", "first_name": "A", "last_name": "B", "date_of_birth": "2016-02-03"},
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "You cannot add children's records."


def test_episode_rule_violation_is_a_400_with_the_message(child, people):
    response = client_for(people["betty"]).post(
        reverse("episode-list"),
        {
            "child": child.pk,
            "decom": "2024-05-01",
            "rne": "P",
            "ls": "C2",
            "cin": "N1",
            "place": "U4",
            "place_provider": "PR1",
        },
    )
    assert response.status_code == 400
    assert "must start with reason 'S'" in response.json()["detail"]
    assert not Episode.objects.exists()


def test_records_of_invisible_children_cannot_be_written_or_read(child, people):
    client = client_for(people["charlie"])
    response = client.post(
        reverse("s47-enquiry-list"), {"child": child.pk, "start_date": "2024-05-01"}
    )
    assert response.status_code == 400  # the child is not a valid choice for charlie
    client_for(people["betty"]).post(
        reverse("s47-enquiry-list"),
        {"child": child.pk, "start_date": "2024-05-01", "strategy_discussion_date": "2024-05-01"},
    )
    assert client.get(reverse("s47-enquiry-list")).json()["count"] == 0
    assert client_for(people["sarah"]).get(reverse("s47-enquiry-list")).json()["count"] == 1


def test_cp_plan_with_two_categories_exports_mul(child, people):
    response = client_for(people["betty"]).post(
        reverse("cp-plan-list"),
        {"child": child.pk, "start_date": "2024-05-01", "categories": ["NEG", "EMO"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["initial_category_code"] == "MUL"
    assert response.json()["previous_plans"] == 0


def test_allocation_through_the_api_updates_the_child(child, people):
    response = client_for(people["mandy"]).post(
        reverse("allocation-list"),
        {"child": child.pk, "kind": "iro", "user": people["bob"].pk, "start_date": "2024-05-01"},
    )
    assert response.status_code == 201, response.json()
    child.refresh_from_db()
    assert child.iro == people["bob"]


def test_staff_and_teams(people):
    client = client_for(people["alice"])
    staff = client.get(reverse("staff-list"), {"role": "IRO"}).json()
    assert {row["email"] for row in staff["results"]} == {
        people["alice"].email,
        people["bob"].email,
    }
    assert client.get(reverse("team-list")).json()["count"] == 6


def test_token_auth_for_integrations(child, people):
    token = Token.objects.create(user=people["alice"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(reverse("child-list")).json()["count"] == 1


def test_schema_and_docs_need_sign_in(people):
    assert APIClient().get(reverse("api-schema")).status_code in (401, 403)
    client = client_for(people["alice"])
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


def test_api_detail_ignores_dates_in_the_future_of_nothing(child, people):
    # A read of one child returns its status flags too.
    body = client_for(people["alice"]).get(reverse("child-detail", args=[child.pk])).json()
    assert (body["in_care"], body["on_plan"], body["date_of_birth"]) == (
        False,
        False,
        str(date(2015, 6, 1)),
    )


def test_a_child_created_by_a_social_worker_joins_their_team(people, org):
    response = client_for(people["charlie"]).post(
        reverse("child-list"),
        {
            "la_child_id": "NEW3",
            "first_name": "Ann",
            "last_name": "Lee",
            "date_of_birth": "2016-02-03",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["team"] == org["other_team"].pk
    assert (
        client_for(people["charlie"])
        .get(reverse("child-detail", args=[response.json()["id"]]))
        .status_code
        == 200
    )


def test_a_date_of_death_is_recorded_through_the_api_with_history(child, people):
    client = client_for(people["betty"])
    url = reverse("child-detail", args=[child.pk])
    future = client.patch(url, {"date_of_death": "2999-01-01"}, format="json")
    assert future.status_code == 400
    assert "cannot be in the future" in str(future.json())
    before_birth = client.patch(url, {"date_of_death": "2000-01-01"}, format="json")
    assert "on or after the date of birth" in str(before_birth.json())
    assert client.patch(url, {"date_of_death": "2020-02-01"}, format="json").status_code == 200
    child.refresh_from_db()
    assert child.date_of_death == date(2020, 2, 1)
    assert child.history.first().date_of_death == date(2020, 2, 1)
