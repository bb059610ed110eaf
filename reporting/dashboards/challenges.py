"""Open challenges by stage (the Issues Resolution Process, DR-1 .. DR-4)."""

from dataclasses import dataclass

from django.db.models import Count

from challenges import workflow
from challenges.selectors import challenges_visible_to
from people.models import User


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


def open_challenges_by_stage(*, user: User) -> list[StageCount]:
    """Every stage in order with its open challenges (those covering a child the user can
    see, as the challenges list counts them). One aggregate query."""
    counts = dict(
        challenges_visible_to(user)
        .filter(status__in=workflow.OPEN_STATUSES)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return [
        StageCount(stage, label, counts.get(stage, 0))
        for stage, label in workflow.STAGE_LABELS.items()
    ]
