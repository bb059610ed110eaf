"""The children list and the child page do not issue more queries as data grows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from children import services
from children.rules import EpisodeValues
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def populate(child, people, moves: int) -> None:
    """Give a child a period of care with ``moves`` placement changes, an s47 and a plan."""
    by = people["betty"]
    start = date(2023, 4, 3)
    services.allocation_start(
        child=child, kind="iro", user=people["alice"], start_date=start, by=people["mandy"]
    )
    services.episode_add(
        child=child,
        by=by,
        episode=EpisodeValues(
            decom=start, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    for move in range(1, moves + 1):
        values = EpisodeValues(
            decom=start + timedelta(days=7 * move),
            rne="P",
            ls="C2",
            cin="N1",
            place="U6",
            place_provider="PR4",
            reason_place_change="CARPL",
        )
        services.episode_add(child=child, by=by, episode=values)
    services.s47_record(child=child, start_date=start, strategy_discussion_date=start, by=by)
    services.cp_plan_start(
        child=child, start_date=start + timedelta(days=20), categories=["NEG"], by=by
    )


def count_queries(user, url: str) -> int:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_children_list_queries_do_not_grow_with_children(child, org, people):
    populate(child, people, moves=1)
    url = reverse("children:list")
    one = count_queries(people["alice"], url)
    for _ in range(49):
        populate(ChildFactory(team=org["team"], iro=people["alice"]), people, moves=2)
    fifty = count_queries(people["alice"], url)
    assert one == fifty
    filtered = count_queries(
        people["alice"], url + f"?q=Example&status=in_care&iro={people['alice'].pk}"
    )
    assert filtered == fifty


def test_child_page_queries_do_not_grow_with_the_record(child, org, people):
    populate(child, people, moves=1)
    small = count_queries(people["alice"], reverse("children:detail", args=[child.pk]))
    for _ in range(49):
        ChildFactory(team=org["team"])
    big_child = ChildFactory(team=org["team"])
    populate(big_child, people, moves=30)
    big = count_queries(people["alice"], reverse("children:detail", args=[big_child.pk]))
    assert small == big


def test_children_api_list_queries_do_not_grow(child, org, people):
    populate(child, people, moves=1)
    one = count_queries(people["alice"], reverse("child-list"))
    for _ in range(49):
        ChildFactory(team=org["team"])
    assert count_queries(people["alice"], reverse("child-list")) == one
