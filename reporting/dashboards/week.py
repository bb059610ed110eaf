"""The meetings an IRO chairs this week, from their stored booked dates."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from children.models import Child
from conferences.models import Conference
from people.models import User
from reviews import workflow
from reviews.models import Review


@dataclass(frozen=True)
class Meeting:
    day: date
    at: time | None
    kind: str
    child: Child
    url: str


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def my_week(*, user: User, children: QuerySet[Child], monday: date) -> list[Meeting]:
    """Reviews booked this week that the user chairs (or, with no chair named, of their
    caseload) and conferences booked for them to chair. Two queries."""
    sunday = monday + timedelta(days=6)
    reviews = (
        Review.objects.filter(child__in=children, status=workflow.SCHEDULED)
        .filter(scheduled_date__gte=monday, scheduled_date__lte=sunday)
        .filter(Q(chair=user) | Q(chair__isnull=True, child__iro=user))
        .select_related("child")
    )
    conferences = (
        Conference.objects.filter(child__in=children, chair=user)
        .filter(status=Conference.Status.SCHEDULED)
        .filter(scheduled_start__gte=_day_start(monday))
        .filter(scheduled_start__lt=_day_start(sunday + timedelta(days=1)))
        .select_related("child")
    )
    meetings = [
        Meeting(
            review.scheduled_date,
            review.scheduled_time,
            "Review",
            review.child,
            reverse("reviews:detail", args=[review.pk]),
        )
        for review in reviews
    ]
    for conference in conferences:
        local = timezone.localtime(conference.scheduled_start)
        meetings.append(
            Meeting(
                local.date(),
                local.time(),
                conference.get_conference_type_display(),
                conference.child,
                reverse("conferences:detail", args=[conference.pk]),
            )
        )
    return sorted(meetings, key=lambda m: (m.day, m.at or time.min, m.child.pk))
