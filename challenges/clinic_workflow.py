"""The lifecycle of a challenge clinic as plain data (issue 6, "Challenge clinics").

A clinic is scheduled, then either held (its findings recorded) or cancelled with a reason.
While scheduled its invitees may change and invitations go out. ``next_status`` is the only
judge of what may follow what: services call it under a row lock, tests walk the table.
"""

from dataclasses import dataclass

from iro_service.core.errors import InvalidTransition

SCHEDULED, HELD, CANCELLED = "scheduled", "held", "cancelled"
STATUSES: tuple[str, ...] = (SCHEDULED, HELD, CANCELLED)

# Actions (one service each).
INVITE = "invite"
SEND_INVITATIONS = "send_invitations"
RECORD = "record"
CANCEL = "cancel"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    message: str


TRANSITIONS: dict[str, Transition] = {
    INVITE: Transition(
        frozenset({SCHEDULED}),
        SCHEDULED,
        "Invitees can only change while the clinic is still to be held.",
    ),
    SEND_INVITATIONS: Transition(
        frozenset({SCHEDULED}),
        SCHEDULED,
        "Invitations can only be sent for a clinic still to be held.",
    ),
    RECORD: Transition(
        frozenset({SCHEDULED}),
        HELD,
        "Only a scheduled clinic can be recorded: this one has been held or cancelled.",
    ),
    CANCEL: Transition(
        frozenset({SCHEDULED}),
        CANCELLED,
        "Only a scheduled clinic can be cancelled: this one has been held or cancelled.",
    ),
}


def next_status(*, status: str, action: str) -> str:
    """The status after ``action``, or ``InvalidTransition`` with a message."""
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise InvalidTransition(transition.message)
    return transition.target
