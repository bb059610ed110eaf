"""The transition table (challenges.workflow), walked whole: every (status, stage, action)
is either allowed, with the expected result, or refused with a message."""

import itertools

import pytest

from challenges import workflow as wf
from iro_service.core.errors import InvalidTransition

LA = [wf.INFORMAL, wf.STAGE_1, wf.STAGE_2, wf.STAGE_3, wf.STAGE_4]
OPEN = [wf.AWAITING_RESPONSE, wf.AWAITING_IRO, wf.AWAITING_APPROVAL]
ALL_STATUSES = [*OPEN, wf.RESOLVED, wf.WITHDRAWN, wf.CLOSED]

# (action, status, stage) -> status it leads to; everything not listed is refused.
ALLOWED: dict[tuple[str, str, str], str] = {}
for stage in LA:
    ALLOWED[(wf.RESPOND, wf.AWAITING_RESPONSE, stage)] = wf.AWAITING_IRO
    for status in (wf.AWAITING_RESPONSE, wf.AWAITING_IRO):
        ALLOWED[(wf.ACCEPT, status, stage)] = wf.RESOLVED
        ALLOWED[(wf.REQUEST_APPROVAL, status, stage)] = wf.AWAITING_APPROVAL
        ALLOWED[(wf.ESCALATE, status, stage)] = wf.AWAITING_RESPONSE
    ALLOWED[(wf.APPROVE, wf.AWAITING_APPROVAL, stage)] = wf.AWAITING_RESPONSE
    ALLOWED[(wf.DECLINE, wf.AWAITING_APPROVAL, stage)] = wf.AWAITING_IRO
for stage in [*LA, wf.CAFCASS]:
    for status in OPEN:
        ALLOWED[(wf.WITHDRAW, status, stage)] = wf.WITHDRAWN
ALLOWED[(wf.CLOSE, wf.AWAITING_RESPONSE, wf.CAFCASS)] = wf.CLOSED

CASES = list(itertools.product(wf.TRANSITIONS, ALL_STATUSES, wf.STAGES))


@pytest.mark.parametrize(("action", "status", "stage"), CASES)
def test_every_transition_is_allowed_or_refused_as_the_table_says(
    action: str, status: str, stage: str
) -> None:
    moves = wf.TRANSITIONS[action].moves_stage
    target = wf.CAFCASS if moves else None
    expected = ALLOWED.get((action, status, stage))
    if expected is None:
        with pytest.raises(InvalidTransition) as refused:
            wf.next_state(status=status, stage=stage, action=action, target_stage=target)
        assert refused.value.message
    else:
        new_status, new_stage = wf.next_state(
            status=status, stage=stage, action=action, target_stage=target
        )
        assert new_status == expected
        assert new_stage == (target if moves else stage)


@pytest.mark.parametrize(
    ("current", "target"), [(a, b) for a, b in itertools.product(LA, wf.STAGES) if b != a]
)
def test_escalation_only_goes_to_a_later_stage(current: str, target: str) -> None:
    if wf.stage_index(target) > wf.stage_index(current):
        assert wf.next_state(
            status=wf.AWAITING_IRO, stage=current, action=wf.ESCALATE, target_stage=target
        ) == (wf.AWAITING_RESPONSE, target)
    else:
        with pytest.raises(InvalidTransition, match="later stage"):
            wf.next_state(
                status=wf.AWAITING_IRO, stage=current, action=wf.ESCALATE, target_stage=target
            )


def test_escalation_to_the_same_stage_is_refused() -> None:
    with pytest.raises(InvalidTransition, match="later stage"):
        wf.next_state(
            status=wf.AWAITING_IRO, stage=wf.STAGE_2, action=wf.ESCALATE, target_stage=wf.STAGE_2
        )


def test_escalation_past_cafcass_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        wf.next_state(
            status=wf.AWAITING_RESPONSE,
            stage=wf.CAFCASS,
            action=wf.ESCALATE,
            target_stage=wf.CAFCASS,
        )


def test_skipped_stages_are_the_ones_jumped_over() -> None:
    assert wf.skipped_stages(wf.INFORMAL, wf.STAGE_3) == [wf.STAGE_1, wf.STAGE_2]
    assert wf.skipped_stages(wf.STAGE_1, wf.STAGE_2) == []
