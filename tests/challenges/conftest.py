"""Helpers for the Issues Resolution tests: a challenge raised by alice about the child."""

from collections.abc import Callable
from typing import Any

import pytest

from challenges import services, workflow
from challenges.models import Challenge, ChallengeReason
from children.models import Child
from people.models import User


@pytest.fixture
def raise_challenge(people: dict[str, User], child: Child) -> Callable[..., Challenge]:
    """Return ``make(**overrides)``: a challenge raised by alice about the child."""

    def make(**overrides: Any) -> Challenge:
        fields: dict[str, Any] = {
            "children": [child],
            "reasons": ChallengeReason.objects.filter(code="drift-delay"),
            "what_is_wrong": "The permanence plan is six months late.",
            "impact_on_child": "Uncertainty about where they will grow up.",
            "what_must_happen": "A permanence plan presented at the next review.",
            "by": people["alice"],
        }
        fields.update(overrides)
        return services.challenge_raise(**fields)

    return make


def at_stage(challenge: Challenge, stage: str, by: User) -> Challenge:
    """Escalate step by step (no approvals needed) to ``stage``."""
    services.challenge_escalate(
        challenge=challenge,
        target_stage=stage,
        reason="No progress",
        skipped_reason="Urgent",
        by=by,
    )
    challenge.refresh_from_db()
    return challenge


__all__ = ["at_stage", "workflow"]
