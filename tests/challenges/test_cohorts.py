"""Issue 6: a service-level challenge about a cohort chosen by filter (repeat plans, plans
open 15 months or 2 years, placed with parents, no social worker), seen through
``children_visible_to``, raised once and shown on every child's timeline."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.cohorts import cohort_children
from challenges.models import Challenge, ChallengeReason
from children.models import ChildEvent, ChildProtectionPlan, Episode, PeriodOfCare
from tests.factories import ChildFactory
from timescales.calendar import add_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(people, org, child):
    """``child``: a repeat plan open 16 months; ``recent``: a first plan open 3 months;
    ``at_home``: in care, placed with parents, no social worker."""
    today = timezone.localdate()
    ChildProtectionPlan.objects.create(
        child=child, start_date=add_months(today, -16), initial_categories=["NEG"], previous_plans=1
    )
    recent = ChildFactory(team=org["other_team"], iro=people["bob"])
    ChildProtectionPlan.objects.create(
        child=recent, start_date=add_months(today, -3), initial_categories=["EMO"]
    )
    at_home = ChildFactory(team=org["team"], iro=people["alice"])
    period = PeriodOfCare.objects.create(
        child=at_home, start_date=date(2024, 1, 8), iro_allocation_due=date(2024, 1, 15)
    )
    Episode.objects.create(
        period=period, decom=date(2024, 1, 8), rne="S", ls="C2", cin="N1", place="P1"
    )
    return {"child": child, "recent": recent, "at_home": at_home}


def _keys(user, key: str, **kwargs) -> set[int]:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return set(
        cohort_children(user=user, key=key, today=today, **kwargs).values_list("pk", flat=True)
    )


def test_each_cohort_filter_chooses_its_children(people, org, cohort):
    alice = people["alice"]
    assert _keys(alice, "repeat-cp") == {cohort["child"].pk}
    assert _keys(alice, "cp-15-months") == {cohort["child"].pk}
    assert _keys(alice, "cp-2-years") == set()
    assert _keys(alice, "placed-with-parents") == {cohort["at_home"].pk}
    assert _keys(alice, "no-social-worker") == {cohort["at_home"].pk}
    assert _keys(alice, "placed-with-parents", team_id=org["other_team"].pk) == set()


def test_a_restricted_child_is_in_no_cohort_of_someone_off_its_allow_list(people, cohort):
    child = cohort["child"]
    child.restricted = True
    child.save(update_fields=["restricted"])
    assert _keys(people["bob"], "repeat-cp") == set()


def test_the_page_shows_the_cohort_and_raises_one_challenge_about_every_child(
    client, people, cohort
):
    client.force_login(people["alice"])
    url = reverse("challenges:raise_cohort")
    page = client.get(url, {"cohort": "cp-15-months"})
    assert page.status_code == 200
    assert "1 child:" in page.content.decode()
    assert cohort["child"].full_name in page.content.decode()
    response = client.post(
        url,
        {
            "cohort": "placed-with-parents",
            "team": "",
            "reasons": [ChallengeReason.objects.get(code="drift-delay").code],
            "what_is_wrong": "Care orders not revoked",
            "impact_on_child": "Uncertainty",
            "what_must_happen": "Review each order",
            "stage": "informal",
        },
    )
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("challenges:detail", args=[challenge.pk])
    assert challenge.scope == Challenge.Scope.SERVICE
    assert challenge.source == "cohort:placed-with-parents"
    assert set(challenge.children.values_list("pk", flat=True)) == {cohort["at_home"].pk}
    assert ChildEvent.objects.filter(
        child=cohort["at_home"], summary__startswith=challenge.reference
    ).exists()


def test_an_empty_cohort_is_refused_with_a_message(client, people, cohort):
    client.force_login(people["alice"])
    response = client.post(
        reverse("challenges:raise_cohort"),
        {
            "cohort": "cp-2-years",
            "reasons": ["drift-delay"],
            "what_is_wrong": "x",
            "impact_on_child": "y",
            "what_must_happen": "z",
            "stage": "informal",
        },
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not Challenge.objects.exists()


def test_only_those_who_raise_challenges_may_open_the_page(client, people):
    client.force_login(people["charlie"])
    assert client.get(reverse("challenges:raise_cohort")).status_code == 403
