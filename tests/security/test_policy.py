"""The policy table itself (``iro_service.core.policy``): complete, and saying what
SECURITY.md says about restricted and conflicted children."""

import pytest

from iro_service.core.policy import (
    ACTIONS,
    BEYOND_VISIBILITY,
    RELATIONSHIP_FREE,
    Action,
    Outcome,
    Relationship,
    Scope,
    decide,
    decide_for,
    matrix,
    roles_with_scope,
)
from iro_service.core.route_policy import ROUTES
from people.roles import AUTHORITY_WIDE_ROLES, CASE_ROLES, TEAM_ROLES, TREE_ROLES, Role


def test_every_action_has_a_row_and_every_route_names_a_known_action():
    assert set(ACTIONS) == set(Action)
    assert {route.action for route in ROUTES.values()} - {None} <= set(Action)


def test_the_role_groups_of_people_roles_are_the_policy_scopes():
    assert roles_with_scope(Scope.AUTHORITY) == AUTHORITY_WIDE_ROLES
    assert roles_with_scope(Scope.TEAM) == TEAM_ROLES
    assert roles_with_scope(Scope.TREE) == TREE_ROLES
    assert roles_with_scope(Scope.AUTHORITY, Scope.TEAM, Scope.TREE) == CASE_ROLES


@pytest.mark.parametrize("relationship", [Relationship.RESTRICTED, Relationship.CONFLICT])
def test_nobody_reaches_case_content_of_a_restricted_or_conflicted_child(relationship):
    """Whatever the role (SECURITY.md): only the access log, which shows the child's ID."""
    for role, rel, action, outcome in matrix():
        if rel is relationship and action not in RELATIONSHIP_FREE | BEYOND_VISIBILITY:
            assert outcome in (Outcome.HIDE, Outcome.DENY), (role, action)


def test_figures_and_governance_roles_see_no_case_content_unless_allow_listed():
    for role in (Role.PERFORMANCE, Role.IG_OFFICER, Role.SYSTEM_ADMIN):
        for relationship in set(Relationship) - {Relationship.ALLOW_LISTED}:
            assert decide(role, relationship, Action.CHILD_VIEW) is Outcome.HIDE


def test_a_user_with_two_roles_gets_the_more_open_answer():
    roles = [Role.PERFORMANCE, Role.IRO]
    assert decide_for(roles, Relationship.OTHER_TEAM, Action.CHILD_VIEW) is Outcome.ALLOW
    assert decide_for([Role.PERFORMANCE], Relationship.OTHER_TEAM, Action.CHILD_VIEW) is (
        Outcome.HIDE
    )


def test_social_workers_see_their_team_and_iros_the_authority():
    assert decide(Role.SOCIAL_WORKER, Relationship.SAME_TEAM, Action.CHILD_VIEW) is Outcome.ALLOW
    assert decide(Role.SOCIAL_WORKER, Relationship.OTHER_TEAM, Action.CHILD_VIEW) is Outcome.HIDE
    assert decide(Role.IRO, Relationship.OTHER_TEAM, Action.CHILD_VIEW) is Outcome.ALLOW
    assert decide(Role.IRO, Relationship.OTHER_TEAM, Action.REVIEW_CHAIR) is Outcome.FORBID


def test_a_clinic_one_is_not_involved_in_is_absent_not_forbidden():
    """CLINIC_VIEW is an involvement action: refused is a 404 even for a visible child."""
    assert decide(Role.IRO, Relationship.ALLOCATED, Action.CLINIC_VIEW) is Outcome.ALLOW
    assert decide(Role.IRO, Relationship.OTHER_TEAM, Action.CLINIC_VIEW) is Outcome.HIDE
    assert decide(Role.IRO_MANAGER, Relationship.OTHER_TEAM, Action.CLINIC_VIEW) is (Outcome.ALLOW)
    assert decide(Role.IRO, Relationship.OTHER_TEAM, Action.CLINIC_RUN) is Outcome.DENY
