"""Who may do what with conferences (issue 5 "Permissions"). Visibility is the selector's
job (``children_visible_to``); these answer "may this user, who can see the child, do this?"
"""

from children.models import Child
from conferences.models import Conference
from people.models import User
from people.roles import CHAIR_ROLES, Role

SCHEDULERS = (Role.BUSINESS_SUPPORT, Role.IRO_MANAGER)
REQUESTERS_ANYWHERE = (Role.BUSINESS_SUPPORT, Role.IRO_MANAGER)
TEAM_REQUESTERS = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)


def can_request(user: User, child: Child) -> bool:
    """Social workers and team managers request conferences for their team's children;
    business support and the IRO service manager for any child they can see."""
    if user.has_role(*REQUESTERS_ANYWHERE):
        return True
    if user.has_role(*TEAM_REQUESTERS):
        return child.team_id is not None and child.team_id == user.team_id
    return False


def can_schedule(user: User) -> bool:
    """Business support book, invite, chase and circulate (and their manager)."""
    return user.has_role(*SCHEDULERS)


def can_record(user: User, conference: Conference) -> bool:
    """Chairs record the conferences they chair, and nobody else's."""
    return conference.chair_id is not None and conference.chair_id == user.pk


def can_amend(user: User, conference: Conference) -> bool:
    """A held record is amended by its chair, or by the IRO service manager (a chair who
    has left, a correction the service asks for); with a reason, keeping the original."""
    if conference.status != Conference.Status.HELD:
        return False
    return can_record(user, conference) or user.has_role(Role.IRO_MANAGER)


def can_circulate(user: User, conference: Conference) -> bool:
    return can_schedule(user) or can_record(user, conference)


def can_chair(user: User) -> bool:
    return user.is_active and user.has_role(*CHAIR_ROLES)


def can_set_unavailability(user: User, chair: User) -> bool:
    """Entered by the chair or their manager (the IRO service manager)."""
    return user.pk == chair.pk or user.has_role(Role.IRO_MANAGER)


def can_record_core_group(user: User, child: Child) -> bool:
    """The child's social worker and team (who lead core groups), business support and
    the IRO service."""
    if user.has_role(Role.BUSINESS_SUPPORT, Role.IRO_MANAGER, *CHAIR_ROLES):
        return True
    if user.has_role(*TEAM_REQUESTERS):
        return child.team_id is not None and child.team_id == user.team_id
    return False


def can_read_management_lists(user: User) -> bool:
    return user.has_role(
        Role.IRO_MANAGER, Role.SENIOR_IRO, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.TEAM_MANAGER
    )
