"""What the conference services share: the open statuses, the rule book on a date, and the
version check of a record being changed (T8)."""

from datetime import date
from typing import Any

from conferences.models import Conference
from iro_service.core.errors import InvalidTransition
from timescales.services import rule_books

OPEN = (Conference.Status.REQUESTED, Conference.Status.SCHEDULED)


def books_on(day: date) -> Any:
    """The rule book in force on ``day`` (local amounts change with effective dates)."""
    return rule_books()(day)


class EditConflict(InvalidTransition):
    """Someone changed the record after this person opened it (T8): nothing is saved and
    the page keeps what they wrote, so neither person loses their words."""


def check_version(conference: Conference, version: int | None) -> None:
    if version is not None and int(version) != conference.version:
        raise EditConflict(
            "Someone else has changed this conference record since you opened it. Your "
            "text is still below: copy it, then open the record again to see their changes."
        )
