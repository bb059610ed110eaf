"""Pure pieces: the workflow table and quoracy (no database)."""

import pytest

from conferences import workflow
from conferences.quoracy import is_quorate
from iro_service.core.errors import InvalidTransition


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        ("requested", "schedule", "scheduled"),
        ("scheduled", "schedule", "scheduled"),  # rebooking
        ("scheduled", "record", "held"),
        ("requested", "cancel", "cancelled"),
        ("scheduled", "cancel", "cancelled"),
    ],
)
def test_allowed_transitions(status, action, expected):
    assert workflow.next_state(status, action) == expected


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("requested", "record"),
        ("held", "schedule"),
        ("held", "cancel"),
        ("cancelled", "schedule"),
        ("cancelled", "record"),
    ],
)
def test_refused_transitions(status, action):
    assert not workflow.allowed(status, action)
    with pytest.raises(InvalidTransition):
        workflow.next_state(status, action)


@pytest.mark.parametrize(
    ("agencies", "needed", "quorate"),
    [
        (["social_care", "police", "health"], 2, True),
        (["social_care", "police", "police"], 2, False),  # one agency counts once
        (["social_care", "police", "family"], 2, False),  # family is not an agency
        (["police", "health", "education"], 2, False),  # no social care
        (["social_care", "police", "health"], 3, False),
        (["social_care", "police", "health", "education"], 3, True),
        (["social_care"], 0, True),
    ],
)
def test_quorum_is_social_care_plus_n_other_agencies(agencies, needed, quorate):
    assert is_quorate(agencies, other_needed=needed) is quorate
