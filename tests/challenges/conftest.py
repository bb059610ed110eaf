"""Helpers for the Issues Resolution tests: a challenge raised by alice about the child."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from challenges import clinic_services, services, workflow
from challenges.models import Challenge, ChallengeReason, Clinic
from children.models import Child
from people.models import User


@pytest.fixture
def raise_challenge(
    people: dict[str, User], child: Child, default_reasons_and_stages: None
) -> Callable[..., Challenge]:
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


def clinic_times(day: date | None = None) -> tuple[datetime, datetime]:
    """10:00 to 11:30 London time on ``day`` (today by default)."""
    day = day or timezone.localdate()
    starts = timezone.make_aware(datetime.combine(day, time(10)))
    return starts, starts + timedelta(minutes=90)


@pytest.fixture
def schedule_clinic(
    people: dict[str, User], raise_challenge: Callable[..., Challenge]
) -> Callable[..., Clinic]:
    """Return ``make(**overrides)``: a clinic today chaired by mandy with helen on the
    panel, on a new challenge about the child unless ``challenges`` or ``cohort`` is given."""

    def make(**overrides: Any) -> Clinic:
        starts, ends = clinic_times(overrides.pop("day", None))
        fields: dict[str, Any] = {
            "starts_at": starts,
            "ends_at": ends,
            "venue": "Room 4, County Hall",
            "panel": [people["helen"]],
            "by": people["mandy"],
        }
        fields.update(overrides)
        if "challenges" not in fields and "cohort" not in fields:
            fields["challenges"] = [raise_challenge()]
        return clinic_services.clinic_schedule(**fields)

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


__all__ = ["at_stage", "clinic_times", "workflow"]
