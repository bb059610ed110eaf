"""Who may do what with audits (issue 7; SECURITY.md).

Visibility is the selectors' job (``children_visible_to``); these answer "may this user,
who can see the audit, take this action?".
"""

from audits.models import Audit, AuditRecommendation
from children.models import Child
from conferences.models import Conference
from people.models import User
from people.roles import CHAIR_ROLES, Role
from reviews.models import Review

# Managers who read findings and themes across the audits they can see.
THEME_READERS = (
    *CHAIR_ROLES,
    Role.HEAD_OF_SERVICE,
    Role.DIRECTOR,
    Role.TEAM_MANAGER,
)
TEMPLATE_EDITORS = (Role.SYSTEM_ADMIN, Role.IRO_MANAGER)
RECOMMENDATION_CLOSERS = (Role.IRO_MANAGER,)


def can_audit(user: User) -> bool:
    """IROs (and senior IROs and IRO managers, who also chair) carry out audits."""
    return user.has_role(*CHAIR_ROLES)


def can_audit_meeting(user: User, *, child: Child, meeting: Review | Conference) -> bool:
    """The child's IRO or the meeting's chair; senior IROs and IRO managers audit any
    meeting they can see (quality assurance across the service)."""
    if not can_audit(user):
        return False
    if user.has_role(Role.SENIOR_IRO, Role.IRO_MANAGER):
        return True
    return user.pk in (child.iro_id, meeting.chair_id)


def can_edit(user: User, audit: Audit) -> bool:
    """Only the auditor edits, and only while the audit is a draft."""
    return audit.auditor_id == user.pk and audit.status == Audit.Status.DRAFT


def can_recommend(user: User, audit: Audit) -> bool:
    return audit.auditor_id == user.pk


def can_close_recommendation(user: User, recommendation: AuditRecommendation) -> bool:
    """The owner reports it done; the auditor or an IRO manager may record it too."""
    return (
        recommendation.owner_id == user.pk
        or recommendation.audit.auditor_id == user.pk
        or user.has_role(*RECOMMENDATION_CLOSERS)
    )


def can_read_themes(user: User) -> bool:
    return user.has_role(*THEME_READERS)


def can_edit_templates(user: User) -> bool:
    return user.has_role(*TEMPLATE_EDITORS)
