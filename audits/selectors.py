"""Reads of audits. Every selector starts from ``children_visible_to(user)``: an audit of a
child the user cannot see is absent (404)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from audits.expectations import expected_conferences, expected_reviews
from audits.models import Audit, AuditAnswer, AuditRecommendation, AuditTemplate
from children.selectors import children_visible_to
from conferences.models import Conference
from people.models import User
from reviews import workflow as review_workflow
from reviews.models import Review

# Audits fall due this many days before the meeting's due date, and stay on the list for
# this many days after a meeting that was held without one.
DUE_AHEAD_DAYS = 28
HELD_GRACE_DAYS = 28


def audits_visible_to(user: User) -> QuerySet[Audit]:
    return Audit.objects.filter(child__in=children_visible_to(user))


def audit_answers(audit: Audit) -> list[AuditAnswer]:
    """The audit's answers in the template's order, with their questions."""
    return list(audit.answers.select_related("question").order_by("question__ordering", "pk"))


def audit_get_for_user(*, user: User, pk: int) -> Audit:
    audit = (
        audits_visible_to(user)
        .select_related(
            "child",
            "child__team",
            "child__social_worker",
            "auditor",
            "version__template",
            "review",
            "conference",
        )
        .filter(pk=pk)
        .first()
    )
    if audit is None:
        raise Http404("No such audit")
    return audit


def audit_list_for_user(
    *,
    user: User,
    status: str = "",
    template_id: int | None = None,
    rating: str = "",
    auditor_id: int | None = None,
    team_id: int | None = None,
    service_id: int | None = None,
    child_id: int | None = None,
    completed_from: date | None = None,
    completed_to: date | None = None,
) -> QuerySet[Audit]:
    """Audits with their child, team, auditor and template (a fixed number of queries)."""
    audits = audits_visible_to(user).select_related(
        "child", "child__team", "auditor", "version__template", "review", "conference"
    )
    filters = {
        "status": status,
        "version__template_id": template_id,
        "rating": rating,
        "auditor_id": auditor_id,
        "child__team_id": team_id,
        "child__team__parent_id": service_id,
        "child_id": child_id,
        "completed_on__gte": completed_from,
        "completed_on__lte": completed_to,
    }
    audits = audits.filter(**{key: value for key, value in filters.items() if value})
    open_recs = Count("recommendations", filter=Q(recommendations__status="open"))
    return audits.annotate(open_recommendations=open_recs).order_by("-completed_on", "-pk")


@dataclass(frozen=True)
class DueAudit:
    """A meeting expecting an audit, and the draft audit if one was started."""

    kind: str
    meeting_id: int
    reference: str
    child_id: int
    child_name: str
    due: date
    held: date | None
    draft_id: int | None


def audits_due(*, user: User, today: date) -> list[DueAudit]:
    """Reviews of the IRO's children and conferences they chair that expect an audit and
    have no completed one: those due within 28 days (or overdue), and those held in the
    last 28 days (issue 7 "When"). Two queries plus one per template kind."""
    visible = children_visible_to(user)
    ahead, since = today + timedelta(days=DUE_AHEAD_DAYS), today - timedelta(days=HELD_GRACE_DAYS)
    rows: list[DueAudit] = []
    cla = AuditTemplate.objects.filter(kind="cla", active=True).order_by("pk").first()
    if cla is not None:
        reviews = Review.objects.filter(child__in=visible, child__iro=user).filter(
            Q(status__in=review_workflow.OPEN_STATUSES, due_date__lte=ahead)
            | Q(status=review_workflow.HELD, held_date__gte=since)
        )
        reviews = expected_reviews(cla, reviews, today).exclude(audits__status="completed")
        for review in reviews.select_related("child").prefetch_related("audits"):
            draft = next((a.pk for a in review.audits.all()), None)
            rows.append(
                DueAudit(
                    "review",
                    review.pk,
                    review.reference,
                    review.child_id,
                    review.child.full_name,
                    review.original_due_date,
                    review.held_date,
                    draft,
                )
            )
    cp = AuditTemplate.objects.filter(kind="cp", active=True).order_by("pk").first()
    if cp is not None:
        conferences = Conference.objects.filter(child__in=visible, chair=user).filter(
            Q(status__in=("requested", "scheduled"), original_due_date__lte=ahead)
            | Q(status="held", held_on__gte=since)
        )
        conferences = expected_conferences(cp, conferences, today).exclude(
            audits__status="completed"
        )
        for conference in conferences.select_related("child").prefetch_related("audits"):
            draft = next((a.pk for a in conference.audits.all()), None)
            rows.append(
                DueAudit(
                    "conference",
                    conference.pk,
                    conference.reference,
                    conference.child_id,
                    conference.child.full_name,
                    conference.original_due_date,
                    conference.held_on,
                    draft,
                )
            )
    return sorted(rows, key=lambda row: (row.due, row.reference))


def recommendations_for_owner(*, user: User) -> QuerySet[AuditRecommendation]:
    """Open recommendations the user owns, on children they can see."""
    return (
        AuditRecommendation.objects.filter(
            owner=user,
            status=AuditRecommendation.Status.OPEN,
            audit__child__in=children_visible_to(user),
        )
        .select_related("audit", "audit__child")
        .order_by("due_date", "pk")
    )


def recommendation_get_for_user(*, user: User, audit: Audit, pk: int) -> AuditRecommendation:
    recommendation = audit.recommendations.select_related("owner").filter(pk=pk).first()
    if recommendation is None:
        raise Http404("No such recommendation")
    recommendation.audit = audit
    return recommendation
