"""The IRO escalates while the team manager responds, at the same moment, both looking at
the same version of the challenge: exactly one wins; the other is told it changed.

A barrier releases both threads together onto the row lock (``select_for_update``); the
loser waits for the winner's commit, then sees the new version and is refused."""

import threading

import pytest
from django.db import connection

from challenges import services, steps
from challenges import workflow as wf
from challenges.models import Challenge
from iro_service.core.errors import InvalidTransition
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_escalate_and_respond_exactly_one_wins(raise_challenge, people):
    challenge = raise_challenge()
    seen = challenge.version
    barrier = threading.Barrier(2, timeout=20)
    results: list[object] = [None, None]
    original = steps.lock

    def synchronised(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    def escalate() -> object:
        return services.challenge_escalate(
            challenge=challenge,
            target_stage=wf.STAGE_1,
            reason="No progress",
            by=people["alice"],
            version=seen,
        )

    def respond() -> object:
        return services.challenge_respond(
            challenge=challenge, response="Meeting booked", by=people["terry"], version=seen
        )

    def run(n: int, step) -> None:
        try:
            results[n] = step()
        except InvalidTransition as error:
            results[n] = error
        finally:
            connection.close()

    steps.lock = synchronised
    try:
        threads = [
            threading.Thread(target=run, args=(n, step))
            for n, step in enumerate([escalate, respond])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        steps.lock = original

    errors = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(errors) == 1, results
    assert "Someone else has just changed this challenge" in errors[0].message
    challenge = Challenge.objects.select_related("current").get(pk=challenge.pk)
    assert challenge.version == seen + 1
    if isinstance(results[0], InvalidTransition):
        assert (challenge.stage, challenge.status) == (wf.INFORMAL, wf.AWAITING_IRO)
    else:
        assert (challenge.stage, challenge.status) == (wf.STAGE_1, wf.AWAITING_RESPONSE)
        assert challenge.stages.get(stage=wf.INFORMAL).response == ""
