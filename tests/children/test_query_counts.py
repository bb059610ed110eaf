"""The children list and the child page do not issue more queries as data grows, and the
child page stays within the page budget of issue 11 (at most 15 queries)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges import services as challenge_services
from challenges.models import ChallengeReason
from children import services
from children.models import ChildEvent
from children.rules import EpisodeValues
from conferences import services as conference_services
from reviews import services as review_services
from tests.conferences.factories import held_with_plan
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

# Issue 11: every page at most 15 queries, the same at council and England scale.
PAGE_BUDGET = 15


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


def full_record(child, people, n: int) -> None:
    """Every section of the child page with ``n`` rows: episodes, allocations, reviews held,
    visits, the IRO's footprint, health assessments and PEPs, a held conference with its
    plan and core groups, challenges and timeline events."""
    alice, betty, sarah, mandy = (people[name] for name in ("alice", "betty", "sarah", "mandy"))
    start = date(2024, 1, 8)
    for move in range(n):
        services.episode_add(
            child=child,
            by=betty,
            episode=EpisodeValues(
                decom=start + timedelta(days=7 * move),
                rne="S" if move == 0 else "P",
                ls="C2",
                cin="N1",
                place="U4",
                place_provider="PR1",
                reason_place_change="" if move == 0 else "CARPL",
            ),
        )
    for turn in range(n):
        # Alternate IROs, ending with alice (who records the reviews).
        iro = alice if (n - 1 - turn) % 2 == 0 else people["bob"]
        for kind, user in (("iro", iro), ("social_worker", sarah)):
            services.allocation_start(
                child=child,
                kind=kind,
                user=user,
                start_date=start + timedelta(days=turn),
                by=mandy,
            )
    held_on = start + timedelta(days=20)
    for _ in range(n):
        review = review_services.review_ensure_next(child, by=betty)
        review_services.review_record(
            review=review,
            values={"held_date": held_on, "participation_code": "PN1"},
            version=review.version,
            by=alice,
        )
        held_on += timedelta(days=40)
    review_services.review_ensure_next(child, by=betty)
    for day in range(n):
        for kind in ("care", "protection"):
            services.visit_record(
                child=child, kind=kind, visit_date=start + timedelta(days=day), by=sarah
            )
        review_services.footprint_add(
            child=child, kind="oversight", on=start + timedelta(days=day), note="Seen", by=alice
        )
    for check in range(n):
        done = start + timedelta(days=10 + 30 * check)
        services.health_assessment_record(child=child, completed_on=done, by=sarah)
        services.pep_record(child=child, completed_on=done, by=sarah)
    conference = held_with_plan(child, people)
    for week in range(n):
        conference_services.core_group_record(
            plan=conference.cp_plan,
            held_on=date(2026, 3, 25) + timedelta(days=7 * week),
            attendance="All",
            by=sarah,
        )
    reasons = list(ChallengeReason.objects.all()[:1])
    for _ in range(n):
        challenge_services.challenge_raise(
            children=[child],
            reasons=reasons,
            what_is_wrong="a",
            impact_on_child="b",
            what_must_happen="c",
            by=alice,
        )
    ChildEvent.objects.bulk_create(
        ChildEvent(child=child, occurred_on=start, kind="note", summary=f"Event {i}", by=sarah)
        for i in range(n * 5)
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


@pytest.mark.parametrize("viewer", ["alice", "sarah", "terry", "mandy", "betty"])
def test_child_page_is_within_budget_with_one_or_many_of_everything(org, people, viewer):
    """One of each row against eight of each (reviews, conferences' core groups, episodes,
    allocations, visits, footprint notes, health assessments and PEPs, challenges, timeline
    events): the same number of queries, and no more than the page budget, for each role
    that opens the page."""
    one = ChildFactory(team=org["team"], iro=people["alice"], social_worker=people["sarah"])
    many = ChildFactory(team=org["team"], iro=people["alice"], social_worker=people["sarah"])
    full_record(one, people, 1)
    full_record(many, people, 8)
    assert many.events.count() > 40
    assert many.health_assessments.count() == many.peps.count() == 8
    user = people[viewer]
    few = count_queries(user, reverse("children:detail", args=[one.pk]))
    lots = count_queries(user, reverse("children:detail", args=[many.pk]))
    assert few == lots
    assert lots <= PAGE_BUDGET


def test_children_api_list_queries_do_not_grow(child, org, people):
    populate(child, people, moves=1)
    one = count_queries(people["alice"], reverse("child-list"))
    for _ in range(49):
        ChildFactory(team=org["team"])
    assert count_queries(people["alice"], reverse("child-list")) == one
