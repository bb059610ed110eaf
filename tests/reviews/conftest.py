"""Helpers for review tests: a child in care with its first review due."""

from datetime import date

import pytest

from children import services as child_services
from children.rules import EpisodeValues
from reviews.models import Review
from reviews.services import review_ensure_next


def put_in_care(child, by, start: date):
    child_services.episode_add(
        child=child,
        by=by,
        episode=EpisodeValues(
            decom=start, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    return review_ensure_next(child, by=by)


@pytest.fixture
def in_care(child, people) -> Review:
    """Alice's child, looked after from Monday 6 January 2025, with its first review due."""
    return put_in_care(child, people["betty"], date(2025, 1, 6))
