"""The API's list machinery: the serializer base gives DRF's own representation, and the
filter backend still filters (and refuses bad values) whenever a filter is asked for."""

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIClient

from children.api import ChildSerializer
from children.selectors import children_visible_to, with_status
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_columns_first_serializer_matches_drf(child, org, people):
    # Foreign keys set and empty, choices, dates, booleans, and annotations (in_care).
    ChildFactory(team=org["other_team"], iro=None, social_worker=None)
    rows = list(with_status(children_visible_to(people["alice"])).order_by("pk"))
    assert len(rows) == 2
    serializer = ChildSerializer()
    columns = {name: column for name, column, _ in serializer._columns_plan}
    assert (columns["la_child_id"], columns["iro"], columns["in_care"]) == (
        "la_child_id",
        "iro_id",
        None,
    )
    for row in rows:
        drf = serializers.ModelSerializer.to_representation(serializer, row)
        assert serializer.to_representation(row) == drf
        assert list(serializer.to_representation(row)) == list(drf)


def test_lists_filter_only_when_asked(child, org, people):
    ChildFactory(team=org["other_team"])
    alice = client_for(people["alice"])
    url = reverse("child-list")
    assert alice.get(url).json() == alice.get(url, {"page": 1}).json()
    assert alice.get(url, {"page": 1}).json()["count"] == 2
    only = alice.get(url, {"page": 1, "la_child_id": child.la_child_id}).json()
    assert [row["id"] for row in only["results"]] == [child.pk]
    assert alice.get(url, {"status": "nonsense"}).status_code == 400
    assert alice.get(url, {"page": 1, "status": "nonsense"}).status_code == 400
