"""Field-level hiding of where a child lives (SECURITY.md T4, "field-level rules hide
placement and carer addresses from anyone who does not need them"): the placement and home
postcodes, the home's Ofsted URN and the child's address are shown to the IRO service's
chairs and to the child's own social worker and team only (policy table:
``Action.PLACEMENT_ADDRESS_READ``)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from children import services
from children.rules import EpisodeValues

pytestmark = pytest.mark.django_db
SEE = ["alice", "bob", "mandy", "sarah", "terry"]
HIDDEN = ["betty", "helen", "dora"]


@pytest.fixture
def placed(child, people):
    child.address = "7 Zqxcarer Close, Town"
    child.save(update_fields=["address"])
    services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2026, 5, 1), rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
        home_post="ZQ1 1AA",
        pl_post="ZQ9 9ZZ",
        urn="SC999999",
    )
    return child


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def episode_json(client: Client, child) -> dict:
    rows = client.get(reverse("episode-list"), {"period__child": child.pk}).json()["results"]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("persona", SEE)
def test_the_iro_service_and_the_childs_team_see_where_the_child_lives(placed, people, persona):
    client = signed_in(people[persona])
    row = episode_json(client, placed)
    assert (row["home_post"], row["pl_post"], row["urn"]) == ("ZQ1 1AA", "ZQ9 9ZZ", "SC999999")
    assert "Zqxcarer" in client.get(reverse("children:detail", args=[placed.pk])).text


@pytest.mark.parametrize("persona", HIDDEN)
def test_other_roles_see_the_record_without_where_the_child_lives(placed, people, persona):
    client = signed_in(people[persona])
    row = episode_json(client, placed)
    assert (row["home_post"], row["pl_post"], row["urn"]) == ("", "", "")
    assert row["place"] == "U4"  # the rest of the episode is there
    page = client.get(reverse("children:detail", args=[placed.pk]))
    assert page.status_code == 200
    assert "Zqxcarer" not in page.text and "ZQ9" not in page.text
    assert "Shown only to the child's IRO, social worker and team" in page.text
