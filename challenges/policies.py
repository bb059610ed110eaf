"""Who may take each step of the Issues Resolution Process. Visibility is the selectors'
job; these answer "may this user, who can see the challenge, do this?"."""

from challenges.models import Approval, Challenge, ClinicAction
from iro_service.core.policy import Action, may
from people.models import User
from people.roles import CHAIR_ROLES, Role


def can_raise(user: User) -> bool:
    """IROs and conference chairs raise challenges (IRO Handbook 6.4)."""
    return user.has_role(*CHAIR_ROLES)


def can_act_for_iro(user: User, challenge: Challenge) -> bool:
    """The IRO who raised it, or a senior IRO / the IRO service manager standing in."""
    return user.pk == challenge.raised_by_id or user.has_role(Role.SENIOR_IRO, Role.IRO_MANAGER)


def can_respond(user: User, challenge: Challenge) -> bool:
    current = challenge.current
    return current is not None and current.responder_id == user.pk


def can_reassign(user: User, challenge: Challenge) -> bool:
    return can_act_for_iro(user, challenge) or can_respond(user, challenge)


def can_decide(user: User, approval: Approval) -> bool:
    """The IRO service manager decides; never on their own request."""
    return user.has_role(Role.IRO_MANAGER) and approval.requested_by_id != user.pk


# Challenge clinics -------------------------------------------------------------------------


def can_run_clinics(user: User) -> bool:
    """The IRO service manager schedules, invites to, records and cancels clinics, and reads
    every clinic (the children in it still through ``children_visible_to``)."""
    return may(user.roles, Action.CLINIC_RUN)


def can_update_clinic_action(user: User, action: ClinicAction) -> bool:
    """The action's owner marks it done or not done, or the IRO service manager does."""
    return can_run_clinics(user) or action.owner_id == user.pk
