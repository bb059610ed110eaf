"""Reads of reviews. Every selector starts from ``children_visible_to(user)``: a review of a
child the user cannot see is absent (404)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from children.selectors import ChildRecord, children_visible_to
from people.models import User
from reminders.calendars import Meeting, meetings_chaired_on
from reviews import workflow
from reviews.models import Decision, Review
from timescales.services import working_calendar

SOON_WORKING_DAYS = 20


def reviews_visible_to(user: User) -> QuerySet[Review]:
    return Review.objects.filter(child__in=children_visible_to(user))


def child_reviews(record: ChildRecord) -> list[Review]:
    """Every review of a child the caller already may see, newest due first: read once per
    record, so the child page's deadlines and its reviews section share the list."""
    return record.read_once(
        "reviews",
        lambda: list(
            Review.objects.filter(child=record.child).order_by("-original_due_date", "-pk")
        ),
    )


def review_list_for_user(
    *,
    user: User,
    child_id: int | None = None,
    iro_id: int | None = None,
    team_id: int | None = None,
    status: str = "",
    due_before: date | None = None,
    due_after: date | None = None,
) -> QuerySet[Review]:
    reviews = reviews_visible_to(user).select_related("child", "child__iro", "chair")
    if child_id:
        reviews = reviews.filter(child_id=child_id)
    if iro_id:
        reviews = reviews.filter(child__iro_id=iro_id)
    if team_id:
        reviews = reviews.filter(child__team_id=team_id)
    if status:
        reviews = reviews.filter(status=status)
    if due_before:
        reviews = reviews.filter(due_date__lte=due_before)
    if due_after:
        reviews = reviews.filter(due_date__gte=due_after)
    return reviews.order_by("due_date", "pk")


def review_list_for_api(*, user: User) -> QuerySet[Review]:
    """Every review the user can see, soonest due first, as the API shows them: of the
    child only its IRO's id (``iro_id``), read in the same row, so each row is one model
    instance rather than four (review, child, IRO, chair)."""
    return reviews_visible_to(user).annotate(iro_id=F("child__iro_id")).order_by("due_date", "pk")


def review_get_for_user(*, user: User, pk: int) -> Review:
    review = (
        reviews_visible_to(user)
        .select_related("child", "child__iro", "child__social_worker", "period", "chair")
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return review


def decision_get_for_user(*, user: User, review: Review, pk: int) -> Decision:
    decision = review.decisions.select_related("owner").filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision")
    decision.review = review
    return decision


@dataclass
class MyReviews:
    overdue: list[Review]
    due_soon: list[Review]
    to_write_up: list[Review]
    to_circulate: list[Review]


def my_reviews(*, user: User, today: date | None = None) -> MyReviews:
    """The IRO's reviews: overdue, due within 20 WD, records to write up, decisions to
    circulate. Four queries, whatever the caseload."""
    today = today or timezone.localdate()
    soon = working_calendar().add_working_days(today, SOON_WORKING_DAYS)
    mine = reviews_visible_to(user).filter(child__iro=user).select_related("child")
    open_reviews = mine.filter(status__in=workflow.OPEN_STATUSES)
    held = mine.filter(status=workflow.HELD).order_by("held_date", "pk")
    return MyReviews(
        overdue=list(open_reviews.filter(original_due_date__lt=today).order_by("due_date", "pk")),
        due_soon=list(
            open_reviews.filter(original_due_date__gte=today, due_date__lte=soon).order_by(
                "due_date", "pk"
            )
        ),
        to_write_up=list(held.filter(record_completed_on__isnull=True)),
        to_circulate=list(
            held.filter(decisions_circulated_on__isnull=True).annotate(
                decision_count=Count("decisions")
            )
        ),
    )


@dataclass
class QueueRow:
    review: Review
    other_meetings: list[Meeting]


def schedule_queue(*, user: User, weeks: int = 6, today: date | None = None) -> list[QueueRow]:
    """Reviews due in the next ``weeks`` weeks (and overdue) with no date yet, soonest first,
    each with the IRO's other meetings on its due date: their reviews and conferences, from
    the reminders meeting registry (a query per app that holds meetings, whatever the rows)."""
    today = today or timezone.localdate()
    until = today + timedelta(weeks=weeks)
    reviews = list(
        reviews_visible_to(user)
        .filter(status=workflow.DUE, due_date__lte=until)
        .select_related("child", "child__iro")
        .order_by("due_date", "pk")
    )
    iro_ids = {r.child.iro_id for r in reviews if r.child.iro_id}
    dates = {r.due_date for r in reviews}
    meetings = meetings_chaired_on(iro_ids, dates, viewer=user)
    return [QueueRow(r, meetings.get((r.child.iro_id, r.due_date), [])) for r in reviews]


def decision_tracker(*, user: User, today: date | None = None) -> QuerySet[Decision]:
    """Every open decision across the IRO's caseload, overdue first then soonest due."""
    today = today or timezone.localdate()
    return (
        Decision.objects.filter(
            review__child__in=children_visible_to(user),
            review__child__iro=user,
            status=Decision.Status.OPEN,
        )
        .select_related("review", "review__child", "owner")
        .annotate(overdue=ExpressionWrapper(Q(due_date__lt=today), output_field=BooleanField()))
        .order_by("due_date", "pk")
    )


def decisions_owned_by(*, user: User) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(review__child__in=children_visible_to(user), owner=user)
        .exclude(status=Decision.Status.SUPERSEDED)
        .select_related("review", "review__child")
        .order_by("status", "due_date", "pk")
    )
