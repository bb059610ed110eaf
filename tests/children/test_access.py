"""Who sees which child (SECURITY.md): one selector, and invisible means 404 everywhere."""

import pytest
from django.test import Client
from django.urls import reverse

from children.selectors import children_visible_to
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def visible_ids(user) -> set[int]:
    return set(children_visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def children(child, org, people):
    other = ChildFactory(team=org["other_team"])
    unallocated = ChildFactory(team=None)
    restricted = ChildFactory(team=org["team"], restricted=True)
    restricted.allowed_users.add(people["alice"])
    return {"child": child, "other": other, "unallocated": unallocated, "restricted": restricted}


@pytest.mark.parametrize("persona", ["alice", "bob", "mandy", "betty"])
def test_iro_service_sees_every_non_restricted_child(children, people, persona):
    expected = {children[key].pk for key in ("child", "other", "unallocated")}
    if persona == "alice":
        expected.add(children["restricted"].pk)  # alice is on the allow-list
    assert visible_ids(people[persona]) == expected


@pytest.mark.parametrize("persona", ["sarah", "terry"])
def test_social_care_sees_its_own_team(children, people, persona):
    assert visible_ids(people[persona]) == {children["child"].pk}


def test_social_worker_of_another_team_sees_only_their_team(children, people):
    assert visible_ids(people["charlie"]) == {children["other"].pk}


def test_head_of_service_sees_their_part_of_the_tree(children, people):
    assert visible_ids(people["helen"]) == {children["child"].pk}
    assert visible_ids(people["olga"]) == {children["other"].pk}


def test_director_sees_the_whole_tree(children, people):
    assert visible_ids(people["dora"]) == {children["child"].pk, children["other"].pk}


def test_performance_role_sees_no_case_records(children, people):
    assert visible_ids(people["percy"]) == set()


def test_restricted_child_only_for_its_allow_list_whatever_the_role(children, people):
    restricted = children["restricted"].pk
    for name, user in people.items():
        assert (restricted in visible_ids(user)) == (name == "alice"), name


def test_inactive_user_sees_nothing(children, people):
    people["bob"].is_active = False
    people["bob"].save()
    assert visible_ids(people["bob"]) == set()


def get_as(user, url: str):
    client = Client()
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("sarah", 200),
        ("terry", 200),
        ("helen", 200),
        ("charlie", 404),
        ("olga", 404),
        ("percy", 404),
    ],
)
def test_child_page_is_404_for_anyone_who_cannot_see_the_child(children, people, persona, status):
    url = reverse("children:detail", args=[children["child"].pk])
    assert get_as(people[persona], url).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 404), ("betty", 404), ("sarah", 404), ("dora", 404)],
)
def test_restricted_child_page_is_404_except_for_the_allow_list(children, people, persona, status):
    url = reverse("children:detail", args=[children["restricted"].pk])
    assert get_as(people[persona], url).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("alice", 200), ("charlie", 404), ("bob", 404)])
def test_api_detail_follows_the_same_scoping(children, people, persona, status):
    url = reverse(
        "child-detail",
        args=[children["restricted"].pk if persona != "charlie" else children["child"].pk],
    )
    assert get_as(people[persona], url).status_code == status


def test_children_list_never_shows_an_invisible_child(children, people):
    response = get_as(people["charlie"], reverse("children:list"))
    assert children["other"].full_name in response.text
    assert children["child"].full_name not in response.text
    assert children["restricted"].full_name not in response.text


def test_pages_need_sign_in(children):
    response = Client().get(reverse("children:detail", args=[children["child"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Client().get(reverse("child-list")).status_code in (401, 403)


def test_service_manager_restricts_a_child_to_named_people(children, people):
    child = children["child"]
    client = Client()
    client.force_login(people["mandy"])
    url = reverse("children:restriction", args=[child.pk])
    response = client.post(url, {"restricted": "on", "allowed": [people["sarah"].pk]})
    assert response.status_code == 302
    assert visible_ids(people["sarah"]) == {child.pk}
    assert child.pk in visible_ids(people["mandy"])  # the manager stays on the list
    assert child.pk not in visible_ids(people["alice"])
    assert child.events.filter(summary="Access restricted to a named list").exists()
    client.post(url, {})
    assert child.pk in visible_ids(people["alice"])


@pytest.mark.parametrize("persona", ["alice", "betty", "terry"])
def test_only_the_service_manager_restricts_records(children, people, persona):
    url = reverse("children:restriction", args=[children["child"].pk])
    assert get_as(people[persona], url).status_code == 403
