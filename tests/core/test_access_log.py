"""Every view of a case record is logged in the same request (SECURITY.md T2, T6)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from iro_service.core.models import AccessLogEntry
from people.roles import Role
from tests.conftest import make_user, requires_postgres

pytestmark = pytest.mark.django_db


def view_as(user, url: str, **extra):
    client = Client()
    client.force_login(user)
    return client.get(url, **extra)


def test_opening_a_child_writes_one_entry(child, people):
    response = view_as(
        people["alice"], reverse("children:detail", args=[child.pk]), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    (entry,) = AccessLogEntry.objects.all()
    assert (entry.user, entry.record_type, entry.child_id, entry.status_code) == (
        people["alice"],
        "child",
        child.pk,
        200,
    )
    assert (entry.route, entry.roles, entry.ip_address) == ("children:detail", "IRO", "10.1.2.3")


def test_api_views_of_a_child_are_logged_for_token_users_too(child, people):
    client = APIClient()
    client.force_authenticate(people["sarah"])
    client.get(reverse("child-detail", args=[child.pk]))
    client.get(reverse("child-deadlines", args=[child.pk]))
    assert list(AccessLogEntry.objects.order_by("id").values_list("route", "user_id")) == [
        ("child-detail", people["sarah"].pk),
        ("child-deadlines", people["sarah"].pk),
    ]


def test_a_refused_attempt_is_logged_as_refused(child, people):
    assert (
        view_as(people["charlie"], reverse("children:detail", args=[child.pk])).status_code == 404
    )
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.status_code) == (people["charlie"], 404)


def test_lists_are_not_record_views(child, people):
    view_as(people["alice"], reverse("children:list"))
    assert not AccessLogEntry.objects.exists()


def test_the_request_fails_if_the_log_cannot_be_written(child, people, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr("iro_service.core.middleware.access_log_write", broken)
    client = Client(raise_request_exception=False)
    client.force_login(people["alice"])
    response = client.get(reverse("children:detail", args=[child.pk]))
    assert response.status_code == 500
    assert child.first_name not in response.content.decode()


@requires_postgres
def test_the_log_is_append_only_in_the_database(child, people):
    view_as(people["alice"], reverse("children:detail", args=[child.pk]))
    entry = AccessLogEntry.objects.get()
    for statement in (
        "UPDATE core_accesslogentry SET reason = 'x'",
        "DELETE FROM core_accesslogentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AccessLogEntry.objects.get().pk == entry.pk


@pytest.mark.parametrize(("persona", "status"), [("mandy", 200), ("alice", 403), ("charlie", 403)])
def test_who_viewed_this_child_page(child, people, persona, status):
    view_as(people["sarah"], reverse("children:detail", args=[child.pk]))
    response = view_as(people[persona], reverse("children:access-log", args=[child.pk]))
    assert response.status_code == status
    if status == 200:
        assert people["sarah"].get_full_name() in response.text


def test_information_governance_sees_the_log_without_case_content(child, people):
    ivy = make_user("ivy", Role.IG_OFFICER)
    view_as(people["sarah"], reverse("children:detail", args=[child.pk]))
    response = view_as(ivy, reverse("children:access-log", args=[child.pk]))
    assert response.status_code == 200
    assert child.la_child_id in response.text
    assert child.first_name not in response.text
