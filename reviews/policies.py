"""Who may do what to a review they can see (issue 4 permissions; SECURITY.md).

Visibility is the selectors' job (``children_visible_to``): these answer "may this user,
who can see the review, take this action?". Services call them; templates and the API
use them to offer only the actions a user may take.
"""

from people.models import User
from people.roles import CHAIR_ROLES, Role
from reviews.models import Decision, Review

SCHEDULERS = (Role.BUSINESS_SUPPORT,)


def is_allocated_iro(user: User, review: Review) -> bool:
    return user.has_role(*CHAIR_ROLES) and review.child.iro_id == user.pk


def can_edit_content(user: User, review: Review) -> bool:
    """The child's allocated IRO writes the record; nobody edits a completed record except
    through an amendment."""
    return is_allocated_iro(user, review) and not review.is_completed


def can_amend(user: User, review: Review) -> bool:
    return is_allocated_iro(user, review) and review.is_completed


def can_schedule(user: User, review: Review) -> bool:
    """Business support book and invite; the child's IRO may rebook their own review.
    Managers read only."""
    return user.has_role(*SCHEDULERS) or is_allocated_iro(user, review)


def can_circulate(user: User, review: Review) -> bool:
    return user.has_role(*SCHEDULERS) or is_allocated_iro(user, review)


def can_chair_actions(user: User, review: Review) -> bool:
    """Adjourn, cancel, complete the record, ask for an early review: the IRO's calls."""
    return is_allocated_iro(user, review)


def can_update_decision(user: User, decision: Decision) -> bool:
    """A decision is updated by its owner or by the IRO."""
    return decision.owner_id == user.pk or is_allocated_iro(user, decision.review)
