"""Who may do what with audits (issue 7; SECURITY.md).

Visibility is the selectors' job (``children_visible_to``); these answer "may this user,
who can see the audit, take this action?".
"""

from audits.models import Audit, AuditRecommendation
from children.models import Child
from conferences.models import Conference
from iro_service.core.policy import Action, Relationship, may
from people.models import User
from reviews.models import Review

# Who may act on audits of any child they can see, and not only their own, is the policy
# table's answer for a child outside their relationship.
ANY_CHILD = Relationship.OTHER_TEAM


def can_audit(user: User) -> bool:
    """IROs (and senior IROs and IRO managers, who also chair) carry out audits."""
    return may(user.roles, Action.AUDIT_CARRY_OUT)


def can_audit_meeting(user: User, *, child: Child, meeting: Review | Conference) -> bool:
    """The child's IRO or the meeting's chair; senior IROs and IRO managers audit any
    meeting they can see (quality assurance across the service)."""
    if not can_audit(user):
        return False
    if may(user.roles, Action.AUDIT_CARRY_OUT, ANY_CHILD):
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
        or may(user.roles, Action.AUDIT_RECOMMENDATION_CLOSE, ANY_CHILD)
    )


def can_read_themes(user: User) -> bool:
    return may(user.roles, Action.AUDIT_THEMES)


def can_edit_templates(user: User) -> bool:
    return may(user.roles, Action.AUDIT_TEMPLATES)
