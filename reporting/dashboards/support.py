"""Business support's week: what to schedule this week and next, reports to chase, records
to circulate. The schedule queues and the chasing list are the reviews' and conferences'
own pages: this counts what is on them and links there; only what no page lists yet (social
worker reports for booked reviews) is listed here."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from children.models import Child
from conferences.models import Conference
from conferences.selectors import chasing_list
from people.models import User
from reviews import workflow
from reviews.models import Review


@dataclass(frozen=True)
class ToSchedule:
    overdue: int
    this_week: int
    next_week: int

    @property
    def total(self) -> int:
        return self.overdue + self.this_week + self.next_week


def _split(rows: QuerySet, due: str, today: date, sunday: date) -> ToSchedule:
    """One aggregate: due before today, by this Sunday, by next Sunday."""
    next_sunday = sunday + timedelta(days=7)
    totals = rows.aggregate(
        overdue=Count("pk", filter=Q(**{f"{due}__lt": today})),
        this_week=Count("pk", filter=Q(**{f"{due}__gte": today, f"{due}__lte": sunday})),
        next_week=Count("pk", filter=Q(**{f"{due}__gt": sunday, f"{due}__lte": next_sunday})),
    )
    return ToSchedule(**totals)


def to_schedule(*, children: QuerySet[Child], today: date, sunday: date) -> dict[str, ToSchedule]:
    """Reviews with no date booked (by their due date, as the schedule queue orders them)
    and conference requests awaiting a date (by their original due date). Two queries."""
    reviews = Review.objects.filter(child__in=children, status=workflow.DUE)
    requests = Conference.objects.filter(child__in=children, status=Conference.Status.REQUESTED)
    return {
        "reviews": _split(reviews, "due_date", today, sunday),
        "conferences": _split(requests, "original_due_date", today, sunday),
    }


def agency_reports_overdue(*, user: User, today: date) -> int:
    """The conferences' chasing list: agency reports past their due date (CP-10)."""
    return chasing_list(user=user, today=today)["reports"].count()


def social_worker_reports_awaited(
    *, children: QuerySet[Child], today: date, until: date
) -> list[Review]:
    """Reviews booked from today to ``until`` with no social worker's report received,
    soonest first. One query."""
    return list(
        Review.objects.filter(child__in=children, status=workflow.SCHEDULED)
        .filter(scheduled_date__gte=today, scheduled_date__lte=until)
        .filter(sw_report_received_on__isnull=True)
        .select_related("child", "child__social_worker")
        .order_by("scheduled_date", "scheduled_time", "pk")
    )
