"""Opening a child outside one's teams (SECURITY.md: "asks for a reason, is logged, and
alerts the information governance officer"; a monthly report of such access)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from children import access
from children.models import AccessReason
from children.selectors import children_visible_to
from iro_service.core.models import AccessLogEntry
from people.roles import Role
from reminders.models import Notification
from reminders.services import rule_scan
from tests.conftest import make_user
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
REASON = "Complaint from the family reached the head of service"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def elsewhere(org, people):
    """A child of the Safeguarding service: outside helen's part of the tree."""
    return ChildFactory(team=org["other_team"], first_name="Elsewhere", last_name="Zqxoutside")


def open_with_reason(client: Client, la_child_id: str, reason: str = REASON):
    return client.post(reverse("children:open"), {"la_child_id": la_child_id, "reason": reason})


def test_a_head_of_service_opens_a_child_outside_their_teams_after_giving_a_reason(
    elsewhere, people
):
    helen = signed_in(people["helen"])
    detail = reverse("children:detail", args=[elsewhere.pk])
    assert helen.get(detail).status_code == 404
    assert helen.get(reverse("children:open")).status_code == 200

    response = open_with_reason(helen, elsewhere.la_child_id)

    assert response.status_code == 302 and response["Location"] == detail
    page = helen.get(detail)
    assert page.status_code == 200
    assert "You opened this record outside your teams" in page.text
    given = AccessReason.objects.get()
    assert (given.user, given.child, given.reason) == (people["helen"], elsewhere, REASON)
    # The reason is in the access log, with the opening and with every view after it.
    logged = AccessLogEntry.objects.filter(child_id=elsewhere.pk, user=people["helen"])
    assert {(row.route, row.status_code, row.reason) for row in logged} == {
        ("children:detail", 404, ""),  # the attempt before the reason
        ("children:open", 302, REASON),
        ("children:detail", 200, REASON),
    }


def test_the_child_closes_again_when_the_reason_expires(elsewhere, people):
    given = access.access_reason_give(child=elsewhere, reason=REASON, by=people["helen"])
    assert children_visible_to(people["helen"]).filter(pk=elsewhere.pk).exists()
    given.expires_at = timezone.now() - timedelta(seconds=1)
    given.save(update_fields=["expires_at"])
    assert not children_visible_to(people["helen"]).filter(pk=elsewhere.pk).exists()


def test_a_restricted_or_unknown_child_cannot_be_opened_with_a_reason(org, people):
    restricted = ChildFactory(team=org["other_team"], restricted=True)
    helen = signed_in(people["helen"])
    for la_child_id in (restricted.la_child_id, "NOSUCHCHILD"):
        response = open_with_reason(helen, la_child_id)
        assert response.status_code == 200
        assert "You cannot open a child with that ID this way." in response.text
    assert not AccessReason.objects.exists()


def test_a_child_with_a_declared_connection_cannot_be_opened_with_a_reason(elsewhere, people):
    access.conflict_declare(child=elsewhere, reason="Neighbour", by=people["terry"])
    response = open_with_reason(signed_in(people["terry"]), elsewhere.la_child_id)
    assert "You cannot open a child with that ID this way." in response.text


def test_a_short_reason_is_refused(elsewhere, people):
    response = open_with_reason(signed_in(people["helen"]), elsewhere.la_child_id, "need")
    assert "Say in a sentence why you need this record." in response.text
    assert not AccessReason.objects.exists()


@pytest.mark.parametrize("persona", ["charlie", "percy", "alice", "dora"])
def test_roles_without_reason_access_cannot_open_children_this_way(elsewhere, people, persona):
    """Social workers get 404s outside their team (charlie); the IRO service and the
    director already see every child; performance sees no case records."""
    assert signed_in(people[persona]).get(reverse("children:open")).status_code == 403


def test_the_information_governance_officer_is_alerted_without_case_details(elsewhere, people):
    officer = make_user("iggy", Role.IG_OFFICER)
    given = access.access_reason_give(child=elsewhere, reason=REASON, by=people["helen"])

    rule_scan("IG-ACCESS")
    rule_scan("IG-ACCESS")  # a second scan adds nothing

    notification = Notification.objects.select_related("reminder").get(recipient=officer)
    message = notification.reminder.message
    assert f"ACC-{given.pk}" in message
    for detail in (elsewhere.first_name, elsewhere.last_name, elsewhere.la_child_id, REASON):
        assert detail not in message
    assert notification.reminder.link == reverse("children:out-of-relationship")
    assert notification.child_id is None


def test_the_monthly_report_lists_each_opening_for_the_ig_officer_only(elsewhere, people):
    officer = make_user("iggy", Role.IG_OFFICER)
    access.access_reason_give(child=elsewhere, reason=REASON, by=people["helen"])
    url = reverse("children:out-of-relationship")

    report = signed_in(officer).get(url, {"month": timezone.localdate().strftime("%Y-%m")})

    assert report.status_code == 200
    assert elsewhere.la_child_id in report.text and REASON in report.text
    assert str(people["helen"]) in report.text
    assert elsewhere.last_name not in report.text
    last_year = (timezone.localdate() - timedelta(days=400)).strftime("%Y-%m")
    assert REASON not in signed_in(officer).get(url, {"month": last_year}).text
    for persona in ("helen", "mandy", "percy"):
        assert signed_in(people[persona]).get(url).status_code == 403
