"""The roles of SECURITY.md, held as Django groups (synced by ``manage.py sync_roles``)."""

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    IRO = "IRO"
    SENIOR_IRO = "Senior IRO"
    IRO_MANAGER = "IRO service manager"
    BUSINESS_SUPPORT = "Business support"
    SOCIAL_WORKER = "Social worker"
    TEAM_MANAGER = "Team manager"
    HEAD_OF_SERVICE = "Head of service"
    DIRECTOR = "Director"
    PERFORMANCE = "Performance"
    IG_OFFICER = "Information governance officer"
    SYSTEM_ADMIN = "System administrator"


# Roles that review and schedule across the authority: every non-restricted child.
AUTHORITY_WIDE_ROLES = frozenset(
    {Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER, Role.BUSINESS_SUPPORT}
)
# Roles that see the children of their own team.
TEAM_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
# Roles that see the children of the part of the team tree they manage.
TREE_ROLES = frozenset({Role.HEAD_OF_SERVICE, Role.DIRECTOR})
# Roles that may hold an IRO allocation or chair a conference.
CHAIR_ROLES = frozenset({Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER})
# Roles that work with case records at all (the others see figures, logs or settings).
CASE_ROLES = AUTHORITY_WIDE_ROLES | TEAM_ROLES | TREE_ROLES


def roles_named(names: Iterable[str]) -> frozenset[Role]:
    """The roles among these group names (a user's other groups are not roles)."""
    known = {role.value for role in Role}
    return frozenset(Role(name) for name in names if name in known)
