"""Who may change a child's record (SECURITY.md access model). Visibility is the selector's
job (``children_visible_to``); these answer "may this user, who can see the child, do this?".
"""

from children.models import Child
from iro_service.core.policy import Action, Relationship, may
from people.models import User
from people.roles import CHAIR_ROLES, Role

RECORD_KEEPERS = (Role.BUSINESS_SUPPORT, Role.IRO_MANAGER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
ALLOCATORS = (Role.BUSINESS_SUPPORT, Role.IRO_MANAGER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE)


def can_create_child(user: User) -> bool:
    return user.has_role(*RECORD_KEEPERS)


def can_edit_child(user: User, child: Child) -> bool:
    """Business support and IRO managers keep any record they can see; social workers and
    team managers the records of their own team."""
    if user.has_role(Role.BUSINESS_SUPPORT, Role.IRO_MANAGER):
        return True
    if user.has_role(Role.SOCIAL_WORKER, Role.TEAM_MANAGER):
        return child.team_id is not None and child.team_id == user.team_id
    return False


def can_allocate(user: User, child: Child, kind: str) -> bool:
    """IROs are allocated by the IRO service (business support, its manager); social
    workers and teams by children's social care managers and business support."""
    if kind == "iro":
        return user.has_role(Role.BUSINESS_SUPPORT, Role.IRO_MANAGER)
    return user.has_role(*ALLOCATORS)


def can_restrict(user: User) -> bool:
    return user.has_role(Role.IRO_MANAGER)


def can_change_cp_plan(user: User, child: Child) -> bool:
    """Plans start and end at conferences (CP-3, CP-12): their chairs record them, as well
    as those who keep the child's record."""
    return user.has_role(*CHAIR_ROLES) or can_edit_child(user, child)


# Where a child lives in care: the placement postcode, the home's Ofsted URN, the home
# postcode, and the child's own address (their carer's, while in care).
PLACEMENT_FIELDS = ("home_post", "pl_post", "urn")


def can_read_placement_address(user: User, child: Child) -> bool:
    """Field-level rule (SECURITY.md T4; ``policy.Action.PLACEMENT_ADDRESS_READ``): the IRO
    service's chairs and the child's own social worker and team see where the child lives;
    business support, heads of service, the director and the figures roles do not.

    Asked of a child the user can already see, so the relationship needs no query."""
    if child.restricted:
        relationship = Relationship.ALLOW_LISTED
    elif user.pk in (child.iro_id, child.social_worker_id):
        relationship = Relationship.ALLOCATED
    elif child.team_id is not None and child.team_id == user.team_id:
        relationship = Relationship.SAME_TEAM
    else:
        relationship = Relationship.OTHER_TEAM
    return may(user.roles, Action.PLACEMENT_ADDRESS_READ, relationship)


def document_address(user: User, child: Child) -> str:
    """The child's address as it may appear in a letter, minutes, PDF or email that ``user``
    produces: the same field-level rule as the pages and the API
    (``can_read_placement_address``), and never when it is withheld from documents
    (SECURITY.md T4). Blank when it must not appear."""
    if child.address_withheld or not can_read_placement_address(user, child):
        return ""
    return child.address
