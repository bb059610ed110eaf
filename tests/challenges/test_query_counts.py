"""The challenge lists, the approvals queue, the themes view and the API list issue the same
number of queries for 1 challenge of each kind as for 50 of each."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges import services
from challenges import workflow as wf
from challenges.models import Challenge, ChallengeReason
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("alice", "challenges:mine"),
    ("terry", "challenges:to_answer"),
    ("mandy", "challenges:approvals"),
    ("mandy", "challenges:list"),
    ("mandy", "challenges:themes"),
]


def populate(people, org, sets: int) -> None:
    """Per set: one awaiting a response, one answered with a recovery plan, one awaiting
    approval, one resolved, and one service-level challenge with a Cafcass referral."""
    alice = people["alice"]
    reasons = list(ChallengeReason.objects.all()[:2])

    def raise_one(children, **extra) -> Challenge:
        return services.challenge_raise(
            children=children,
            reasons=reasons,
            what_is_wrong="a",
            impact_on_child="b",
            what_must_happen="c",
            by=alice,
            **extra,
        )

    for _ in range(sets):
        kid = ChildFactory(team=org["team"], iro=alice)
        raise_one([kid])
        answered = raise_one([kid])
        services.challenge_respond(
            challenge=answered,
            response="ok",
            actions=[services.ActionInput("Do it", people["sarah"], date(2030, 1, 1))],
            by=people["terry"],
        )
        waiting = raise_one([kid], stage=wf.STAGE_2, skipped_reason="Urgent")
        services.challenge_request_approval(
            challenge=waiting, target_stage=wf.STAGE_3, reason="x", by=alice
        )
        resolved = raise_one([kid])
        services.challenge_accept(challenge=resolved, outcome="o", what_changed="w", by=alice)
        cohort = raise_one([kid, ChildFactory(team=org["team"])], scope=Challenge.Scope.SERVICE)
        services.challenge_refer_to_cafcass(
            challenge=cohort,
            concurrent=True,
            reason="r",
            what_was_sent="s",
            child_wishes="w",
            by=alice,
        )


def count(user, url: str) -> int:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def counts(people) -> dict[str, int]:
    found = {url: count(people[who], reverse(url)) for who, url in PAGES}
    found["api"] = count(people["mandy"], "/api/v1/challenges/")
    found["api-detail"] = count(
        people["mandy"], f"/api/v1/challenges/{Challenge.objects.order_by('pk').last().pk}/"
    )
    return found


def test_list_and_themes_queries_do_not_grow_with_challenges(people, org):
    populate(people, org, sets=1)
    few = counts(people)
    populate(people, org, sets=49)
    assert Challenge.objects.count() == 250
    many = counts(people)
    assert many == few
