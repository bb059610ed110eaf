"""The Issues Resolution Process as plain data (DOMAIN.md section 7, DR-1 .. DR-4).

A challenge sits at a *stage* (informal, formal stages 1-4, Cafcass) and has a *status*
within it. Stages only move forward; the IRO may skip stages (DR-4, IRO Handbook 6.2) with a
reason. ``next_state`` is the only judge of what may follow what: services call it under a
row lock, tests walk the whole table.
"""

from dataclasses import dataclass

from iro_service.core.errors import InvalidTransition

# Stages, in escalation order.
INFORMAL, STAGE_1, STAGE_2, STAGE_3, STAGE_4, CAFCASS = (
    "informal",
    "stage_1",
    "stage_2",
    "stage_3",
    "stage_4",
    "cafcass",
)
STAGES: tuple[str, ...] = (INFORMAL, STAGE_1, STAGE_2, STAGE_3, STAGE_4, CAFCASS)
FORMAL_STAGES = frozenset({STAGE_1, STAGE_2, STAGE_3, STAGE_4})
STAGE_LABELS = {
    INFORMAL: "Informal",
    STAGE_1: "Stage 1",
    STAGE_2: "Stage 2",
    STAGE_3: "Stage 3",
    STAGE_4: "Stage 4",
    CAFCASS: "Cafcass",
}

# Statuses.
AWAITING_RESPONSE = "awaiting_response"
AWAITING_IRO = "awaiting_iro"
AWAITING_APPROVAL = "awaiting_approval"
RESOLVED = "resolved"
WITHDRAWN = "withdrawn"
CLOSED = "closed"
OPEN_STATUSES = frozenset({AWAITING_RESPONSE, AWAITING_IRO, AWAITING_APPROVAL})
FINISHED_STATUSES = frozenset({RESOLVED, WITHDRAWN, CLOSED})

# Actions (one service each).
RESPOND = "respond"
ACCEPT = "accept"
ESCALATE = "escalate"
REQUEST_APPROVAL = "request_approval"
APPROVE = "approve"
DECLINE = "decline"
WITHDRAW = "withdraw"
CLOSE = "close"


@dataclass(frozen=True)
class Transition:
    """``action`` may start from ``sources`` at any of ``stages`` and leads to ``target``.
    ``moves_stage``: the action takes the challenge to a later stage."""

    sources: frozenset[str]
    stages: frozenset[str]
    target: str
    message: str
    moves_stage: bool = False


_LA_STAGES = frozenset({INFORMAL, STAGE_1, STAGE_2, STAGE_3, STAGE_4})

TRANSITIONS: dict[str, Transition] = {
    RESPOND: Transition(
        frozenset({AWAITING_RESPONSE}),
        _LA_STAGES,
        AWAITING_IRO,
        "This challenge is not waiting for a response at this stage.",
    ),
    ACCEPT: Transition(
        frozenset({AWAITING_RESPONSE, AWAITING_IRO}),
        _LA_STAGES,
        RESOLVED,
        "Only an open challenge at a local authority stage can be resolved.",
    ),
    ESCALATE: Transition(
        frozenset({AWAITING_RESPONSE, AWAITING_IRO}),
        _LA_STAGES,
        AWAITING_RESPONSE,
        "Only an open challenge that is not waiting for approval can be escalated.",
        moves_stage=True,
    ),
    REQUEST_APPROVAL: Transition(
        frozenset({AWAITING_RESPONSE, AWAITING_IRO}),
        _LA_STAGES,
        AWAITING_APPROVAL,
        "Approval can only be asked for on an open challenge not already waiting for it.",
    ),
    APPROVE: Transition(
        frozenset({AWAITING_APPROVAL}),
        _LA_STAGES,
        AWAITING_RESPONSE,
        "This challenge is not waiting for approval.",
        moves_stage=True,
    ),
    DECLINE: Transition(
        frozenset({AWAITING_APPROVAL}),
        _LA_STAGES,
        AWAITING_IRO,
        "This challenge is not waiting for approval.",
    ),
    WITHDRAW: Transition(
        OPEN_STATUSES,
        frozenset(STAGES),
        WITHDRAWN,
        "A resolved, withdrawn or closed challenge cannot be withdrawn.",
    ),
    CLOSE: Transition(
        frozenset({AWAITING_RESPONSE}),
        frozenset({CAFCASS}),
        CLOSED,
        "Only a challenge referred to Cafcass can be closed after Cafcass.",
    ),
}


def stage_index(stage: str) -> int:
    return STAGES.index(stage)


def skipped_stages(current: str, target: str) -> list[str]:
    """The stages jumped over when going from ``current`` to ``target``."""
    return list(STAGES[stage_index(current) + 1 : stage_index(target)])


def next_state(
    *, status: str, stage: str, action: str, target_stage: str | None = None
) -> tuple[str, str]:
    """The (status, stage) after ``action``, or ``InvalidTransition`` with a message.

    Actions that move the stage need a ``target_stage`` later than the current one (stages
    may be skipped, DR-4); the others keep the stage.
    """
    transition = TRANSITIONS[action]
    if status not in transition.sources or stage not in transition.stages:
        raise InvalidTransition(transition.message)
    if not transition.moves_stage:
        return transition.target, stage
    if target_stage not in STAGES:
        raise InvalidTransition("Choose the stage to escalate to.")
    if stage_index(target_stage) <= stage_index(stage):
        raise InvalidTransition(
            f"A challenge at {STAGE_LABELS[stage].lower()} can only move to a later stage."
        )
    return transition.target, target_stage
