"""The reviews' reminder rules and calendar meetings, registered with the reminders app in
``ReviewsConfig.ready``. Wording and references carry the review's reference only, never a
child's name (SECURITY.md T4).

- REV-BOOK: a review falling due with no date booked (business support, the IRO).
- REV-DUE: the next review (CLA-1/2/3) approaching or past its original due date (the IRO).
- CLA-13: decisions not yet circulated (the IRO, business support).
- CLA-14: the full record not yet completed (the IRO).
- REV-DECISION: a review decision past its due date and still open (its owner, the IRO).
"""

from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from children.models import Child
from people.models import User
from people.roles import Role
from reminders.calendars import Meeting, busy, chaired_by_on, register_meeting_source
from reminders.models import Group
from reminders.registry import ReminderRule, Threshold, register
from reviews import workflow
from reviews.models import Decision, Review

DEFAULT_START = time(9, 30)
MEETING_LENGTH = timedelta(hours=1, minutes=30)


_IRO = ("child__iro_id",)


def _review_link(row: Mapping[str, object]) -> str:
    return reverse("reviews:detail", args=[row["id"]])


def _reference(row: Mapping[str, object]) -> str:
    return f"R{row['id']:06d}"


OVERDUE = Group.OVERDUE_MEETINGS

RULES = (
    ReminderRule(
        code="REV-BOOK",
        title="Review not booked",
        group=Group.DEADLINES,
        open_items=lambda: Review.objects.filter(status=workflow.DUE),
        due_field="due_date",
        thresholds=(Threshold.before(15), Threshold.before(5), Threshold.on_the_day()),
        recipient_fields=_IRO,
        team_of="child__iro_id",
        team_roles=(Role.BUSINESS_SUPPORT,),
        wording="Review {reference} is not booked and {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_review_link,
    ),
    ReminderRule(
        code="REV-DUE",
        title="Children in care review due",
        group=Group.DEADLINES,
        open_items=lambda: Review.objects.filter(status__in=workflow.OPEN_STATUSES),
        due_field="original_due_date",
        thresholds=(
            Threshold.before(10),
            Threshold.on_the_day(),
            Threshold.after(1, group=OVERDUE),
            Threshold.weekly_while_overdue(group=OVERDUE),
        ),
        recipient_fields=_IRO,
        wording="Review {reference} {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_review_link,
    ),
    ReminderRule(
        code="CLA-13",
        title="Review decisions not circulated",
        group=Group.DEADLINES,
        open_items=lambda: Review.objects.filter(
            status=workflow.HELD, decisions_circulated_on__isnull=True
        ),
        due_field="decisions_due",
        thresholds=(Threshold.before(2), Threshold.on_the_day(), Threshold.after(1)),
        recipient_fields=_IRO,
        team_of="child__iro_id",
        team_roles=(Role.BUSINESS_SUPPORT,),
        wording="Decisions of review {reference}: circulation {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_review_link,
    ),
    ReminderRule(
        code="CLA-14",
        title="Review record not completed",
        group=Group.DEADLINES,
        open_items=lambda: Review.objects.filter(
            status=workflow.HELD, record_completed_on__isnull=True
        ),
        due_field="record_due",
        thresholds=(
            Threshold.before(5),
            Threshold.on_the_day(),
            Threshold.after(1),
            Threshold.weekly_while_overdue(),
        ),
        recipient_fields=_IRO,
        wording="Record of review {reference} {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_review_link,
    ),
    ReminderRule(
        code="REV-DECISION",
        title="Review decision overdue",
        group=Group.DEADLINES,
        open_items=lambda: Decision.objects.filter(status=Decision.Status.OPEN),
        due_field="due_date",
        child_field="review__child_id",
        values=("review_id",),
        thresholds=(Threshold.on_the_day(), Threshold.after(1), Threshold.weekly_while_overdue()),
        recipient_fields=("owner_id", "review__child__iro_id"),
        wording="A decision of review {reference} {when} ({due:%d %B %Y})",
        reference=lambda row: f"R{row['review_id']:06d}",
        link=lambda row: reverse("reviews:detail", args=[row["review_id"]]),
    ),
)


def _booked() -> QuerySet[Review]:
    return Review.objects.filter(status=workflow.SCHEDULED, scheduled_date__isnull=False).only(
        "pk", "child_id", "chair_id", "scheduled_date", "scheduled_time", "venue", "online"
    )


def review_meeting(review: Review) -> Meeting:
    zone = timezone.get_current_timezone()
    starts = datetime.combine(
        review.scheduled_date, review.scheduled_time or DEFAULT_START, tzinfo=zone
    )
    return Meeting(
        uid=f"review-{review.pk}",
        reference=f"Review {review.reference}",
        starts=starts,
        ends=starts + MEETING_LENGTH,
        place="Online" if review.online else review.venue,
        url=reverse("reviews:detail", args=[review.pk]),
        time_known=review.scheduled_time is not None,
    )


def review_meetings(user: User) -> Iterator[Meeting]:
    """The booked reviews the user chairs, for their calendar feed (one query)."""
    for review in _booked().filter(chair=user):
        yield review_meeting(review)


def reviews_chaired_on(
    wanted: Collection[tuple[int, date]], visible: QuerySet[Child]
) -> Iterator[tuple[int, Meeting]]:
    """The booked reviews each person chairs on their days (one query), for the conference
    calendar (issue 5), the schedule queue and the clash check; a review of a child the
    viewer may not see is shown as busy only."""
    booked = (
        _booked()
        .filter(chaired_by_on(wanted, "chair_id", "scheduled_date"))
        .annotate(seen=Exists(visible.filter(pk=OuterRef("child_id"))))
    )
    for review in booked:
        assert review.chair_id is not None
        meeting = review_meeting(review)
        yield review.chair_id, meeting if review.seen else busy(meeting)


def register_all() -> None:
    for rule in RULES:
        register(rule)
    register_meeting_source("reviews", review_meetings, chaired_on=reviews_chaired_on)
