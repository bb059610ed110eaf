"""Reads of reviews. Every selector starts from ``children_visible_to(user)``: a review of a
child the user cannot see is absent (404)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
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


# What My reviews shows of each review and its child (``review_tables.review_rows``), and
# what it sorts them into its four lists by.
MY_REVIEWS_FIELDS = (
    "kind",
    "status",
    "original_due_date",
    "due_date",
    "scheduled_date",
    "held_date",
    "decisions_due",
    "decisions_circulated_on",
    "record_due",
    "record_completed_on",
    "child__first_name",
    "child__last_name",
    "child__la_child_id",
)


@dataclass
class MyReviews:
    overdue: list[Review]
    due_soon: list[Review]
    to_write_up: list[Review]
    to_circulate: list[Review]


def my_reviews(*, user: User, today: date | None = None) -> MyReviews:
    """The IRO's reviews: overdue, due within 20 WD, records to write up, decisions to
    circulate. One query, whatever the caseload: the four lists are split in Python. Only
    the columns the lists show are read (``MY_REVIEWS_FIELDS``)."""
    today = today or timezone.localdate()
    soon = working_calendar().add_working_days(today, SOON_WORKING_DAYS)
    held = Q(status=workflow.HELD)
    rows = list(
        reviews_visible_to(user)
        .filter(child__iro=user)
        .filter(
            Q(status__in=workflow.OPEN_STATUSES, due_date__lte=soon)
            | Q(status__in=workflow.OPEN_STATUSES, original_due_date__lt=today)
            | held & (Q(record_completed_on__isnull=True) | Q(decisions_circulated_on__isnull=True))
        )
        .select_related("child")
        .only(*MY_REVIEWS_FIELDS)
    )
    open_rows = sorted(
        (r for r in rows if r.status in workflow.OPEN_STATUSES), key=lambda r: (r.due_date, r.pk)
    )
    held_rows = sorted(
        (r for r in rows if r.status == workflow.HELD),
        key=lambda r: (r.held_date or date.max, r.pk),
    )
    return MyReviews(
        overdue=[r for r in open_rows if r.original_due_date < today],
        due_soon=[r for r in open_rows if r.original_due_date >= today and r.due_date <= soon],
        to_write_up=[r for r in held_rows if r.record_completed_on is None],
        to_circulate=[r for r in held_rows if r.decisions_circulated_on is None],
    )


@dataclass
class QueueRow:
    review: Review
    other_meetings: list[Meeting]


QUEUE_PAGE_SIZE = 50
# What the schedule queue shows of each review, its child and the child's IRO
# (``review_tables.queue_rows``).
QUEUE_FIELDS = (
    "due_date",
    "child__first_name",
    "child__last_name",
    "child__iro__first_name",
    "child__iro__last_name",
    "child__iro__email",
)


def schedule_queue(
    *, user: User, weeks: int = 6, today: date | None = None, page: str | int | None = 1
) -> tuple[Page, list[QueueRow]]:
    """Reviews due in the next ``weeks`` weeks (and overdue) with no date yet, soonest first,
    50 to a page, each with the IRO's other meetings on its due date: their reviews and
    conferences, from the reminders meeting registry (a query per app that holds meetings,
    whatever the rows). A page, not the whole queue: across a large authority the queue runs
    to thousands of reviews (issue 11, England scale). Only the columns the page shows are
    read (``QUEUE_FIELDS``)."""
    today = today or timezone.localdate()
    until = today + timedelta(weeks=weeks)
    queue = (
        reviews_visible_to(user)
        .filter(status=workflow.DUE, due_date__lte=until)
        .select_related("child", "child__iro")
        .only(*QUEUE_FIELDS)
        .order_by("due_date", "pk")
    )
    shown = Paginator(queue, QUEUE_PAGE_SIZE).get_page(page)
    reviews = list(shown.object_list)
    wanted = {(r.child.iro_id, r.due_date) for r in reviews if r.child.iro_id}
    meetings = meetings_chaired_on(wanted, viewer=user)
    return shown, [QueueRow(r, meetings.get((r.child.iro_id, r.due_date), [])) for r in reviews]


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
