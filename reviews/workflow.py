"""The review lifecycle as plain data (no ORM, no request).

due -> scheduled (booked) -> held; a scheduled review may be rescheduled, adjourned or
cancelled; an unbooked review may be held (recorded after the event) or cancelled.
Adjourned and cancelled meetings do not count as held (DOMAIN.md 2.3), so the sequence
gets a new next review with the same original due date.
"""

from iro_service.core.errors import InvalidTransition

DUE = "due"
SCHEDULED = "scheduled"
HELD = "held"
ADJOURNED = "adjourned"
CANCELLED = "cancelled"

OPEN_STATUSES = (DUE, SCHEDULED)

# action -> (statuses it may start from, status it ends in)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "schedule": (frozenset({DUE, SCHEDULED}), SCHEDULED),
    "record": (frozenset({DUE, SCHEDULED}), HELD),
    "adjourn": (frozenset({SCHEDULED}), ADJOURNED),
    "cancel": (frozenset({DUE, SCHEDULED}), CANCELLED),
}

ACTION_WORDS = {
    "schedule": "book",
    "record": "record as held",
    "adjourn": "adjourn",
    "cancel": "cancel",
}


def next_state(current: str, action: str) -> str:
    """The status after ``action``, or InvalidTransition with a plain-English message."""
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        raise InvalidTransition(
            f"This review is {current}, so you cannot {ACTION_WORDS[action]} it."
        )
    return target
