"""Conflict declarations (SECURITY.md access model): a member of staff declares a connection
to a child or their family; the child then disappears for them everywhere, the declaration
is kept (who, when, which child, why) and the IRO service manager reviews it."""

import pytest
from django.test import Client
from django.urls import reverse

from children import access
from children.models import ConflictDeclaration, SiblingGroup
from children.selectors import children_visible_to, relationship_to
from iro_service.core.errors import NotPermitted
from iro_service.core.policy import Relationship
from tests.factories import ChildFactory
from tests.security.test_canary import records_of, urls_for

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_declaring_a_connection_on_the_child_page_hides_the_child_from_the_declarer(child, people):
    sarah = signed_in(people["sarah"])
    page = sarah.get(reverse("children:detail", args=[child.pk]))
    assert reverse("children:conflict-declare", args=[child.pk]) in page.text

    response = sarah.post(
        reverse("children:conflict-declare", args=[child.pk]), {"reason": "My cousin's child"}
    )

    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.child, declaration.user, declaration.declared_by) == (
        child,
        people["sarah"],
        people["sarah"],
    )
    assert declaration.reason == "My cousin's child"
    assert declaration.declared_at is not None
    assert not children_visible_to(people["sarah"]).filter(pk=child.pk).exists()
    assert relationship_to(people["sarah"], child) is Relationship.CONFLICT
    assert sarah.get(reverse("children:detail", args=[child.pk])).status_code == 404
    # Everyone else still sees the child.
    assert children_visible_to(people["terry"]).filter(pk=child.pk).exists()


def test_a_declared_child_appears_on_no_page_or_api_response_for_the_declarer(child, people):
    """The canary sweep, for a conflict: every GET route with every id of the child's rows."""
    child.first_name, child.last_name = "Zqxconflictfirst", "Zqxconflictlast"
    child.save(update_fields=["first_name", "last_name"])
    access.conflict_declare(child=child, reason="Neighbour", by=people["alice"])
    alice = signed_in(people["alice"])

    found = [
        url
        for url in urls_for(*records_of(child))
        if "Zqxconflict" in alice.get(url).content.decode(errors="replace")
    ]

    assert found == []
    assert "Zqxconflictfirst" in signed_in(people["bob"]).get(reverse("children:list")).text


def test_a_family_connection_hides_the_brothers_and_sisters_too(child, org, people):
    family = SiblingGroup.objects.create(reference="FAM-1")
    sibling = ChildFactory(team=org["team"], sibling_group=family)
    child.sibling_group = family
    child.save(update_fields=["sibling_group"])

    access.conflict_declare(
        child=child, reason="Family friend", include_siblings=True, by=people["bob"]
    )

    visible = children_visible_to(people["bob"])
    assert not visible.filter(pk__in=[child.pk, sibling.pk]).exists()
    assert ConflictDeclaration.objects.filter(user=people["bob"]).count() == 2


def test_declaring_twice_keeps_the_first_declaration(child, people):
    access.conflict_declare(child=child, reason="First", by=people["bob"])
    access.conflict_declare(child=child, reason="Second", by=people["bob"])
    assert list(ConflictDeclaration.objects.values_list("reason", flat=True)) == ["First"]


def test_a_connection_needs_a_reason(child, people):
    response = signed_in(people["bob"]).post(
        reverse("children:conflict-declare", args=[child.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "Say what your connection is." in response.text
    assert not ConflictDeclaration.objects.exists()


def test_the_iro_service_manager_lists_and_reviews_declarations(child, people):
    declaration = access.conflict_declare(child=child, reason="Neighbour", by=people["bob"])[0]
    mandy = signed_in(people["mandy"])

    listing = mandy.get(reverse("children:conflicts"))
    assert listing.status_code == 200
    assert child.la_child_id in listing.text and "Neighbour" in listing.text
    # The list shows the child's ID, not their name (a restricted child may be on it).
    assert child.last_name not in listing.text

    response = mandy.post(reverse("children:conflict-review", args=[declaration.pk]))
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.reviewed_by == people["mandy"]
    assert declaration.reviewed_at is not None
    # Reviewing never lifts it.
    assert not children_visible_to(people["bob"]).filter(pk=child.pk).exists()


@pytest.mark.parametrize("persona", ["alice", "sarah", "betty", "dora"])
def test_only_the_iro_service_manager_sees_or_reviews_declarations(child, people, persona):
    declaration = access.conflict_declare(child=child, reason="Neighbour", by=people["bob"])[0]
    client = signed_in(people[persona])
    assert client.get(reverse("children:conflicts")).status_code == 403
    assert (
        client.post(reverse("children:conflict-review", args=[declaration.pk])).status_code == 403
    )
    with pytest.raises(NotPermitted):
        access.conflict_review(declaration=declaration, by=people[persona])
