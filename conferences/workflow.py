"""The conference lifecycle as plain data: requested -> scheduled -> held, or cancelled.

Rescheduling is "schedule" again from scheduled; it never moves the original due date.
"""

from iro_service.core.errors import InvalidTransition

REQUESTED, SCHEDULED, HELD, CANCELLED = "requested", "scheduled", "held", "cancelled"

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "schedule": (frozenset({REQUESTED, SCHEDULED}), SCHEDULED),
    "record": (frozenset({SCHEDULED}), HELD),
    "cancel": (frozenset({REQUESTED, SCHEDULED}), CANCELLED),
}

MESSAGES = {
    "schedule": "Only a conference awaiting a date or already booked can be booked.",
    "record": "Only a booked conference can have its outcome recorded.",
    "cancel": "A conference that has been held or cancelled cannot be cancelled.",
}


def allowed(status: str, action: str) -> bool:
    sources, _ = TRANSITIONS[action]
    return status in sources


def next_state(status: str, action: str) -> str:
    """The status after ``action``; InvalidTransition if it is not allowed from ``status``."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise InvalidTransition(MESSAGES[action])
    return target
