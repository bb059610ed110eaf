"""What the conference services share: the open statuses and the rule book on a date."""

from datetime import date
from typing import Any

from conferences.models import Conference
from timescales.services import rule_books

OPEN = (Conference.Status.REQUESTED, Conference.Status.SCHEDULED)


def books_on(day: date) -> Any:
    """The rule book in force on ``day`` (local amounts change with effective dates)."""
    return rule_books()(day)
