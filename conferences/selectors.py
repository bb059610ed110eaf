"""Reads of conferences and core groups. Every one starts from ``children_visible_to``: a
conference of a child the user cannot see is absent (404), from lists, calendars and counts.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import product

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from children.models import ChildProtectionPlan
from children.selectors import ChildRecord, children_visible_to
from conferences.models import (
    AgencyReport,
    AmendmentDraft,
    ChairUnavailability,
    Conference,
    CoreGroup,
    Room,
)
from people.models import User
from people.roles import CHAIR_ROLES
from people.selectors import users_with_roles
from reminders.calendars import meetings_chaired_on
from timescales.calendar import add_months

OPEN = (Conference.Status.REQUESTED, Conference.Status.SCHEDULED)


def conferences_visible_to(user: User) -> QuerySet[Conference]:
    return Conference.objects.filter(child__in=children_visible_to(user))


def conference_list_for_api(*, user: User) -> QuerySet[Conference]:
    """Conferences the user may see, soonest due first, each with its invitations as a
    plain list (``invitation_list``): a prefetch into a list, not into a related manager
    per row (a manager and a queryset for each of fifty rows)."""
    return (
        conferences_visible_to(user)
        .prefetch_related(Prefetch("invitations", to_attr="invitation_list"))
        .order_by("original_due_date", "pk")
    )


def conference_list_for_user(
    *,
    user: User,
    child_id: int | None = None,
    chair_id: int | None = None,
    conference_type: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Conference]:
    """Conferences the user may see, filtered; the date range applies to the booked date."""
    conferences = conferences_visible_to(user).select_related("child", "chair", "room")
    if child_id:
        conferences = conferences.filter(child_id=child_id)
    if chair_id:
        conferences = conferences.filter(chair_id=chair_id)
    if conference_type:
        conferences = conferences.filter(conference_type=conference_type)
    if status:
        conferences = conferences.filter(status=status)
    if date_from:
        conferences = conferences.filter(scheduled_start__gte=_day_start(date_from))
    if date_to:
        conferences = conferences.filter(scheduled_start__lt=_day_start(date_to + timedelta(1)))
    return conferences.order_by("original_due_date", "pk")


def conference_get_for_user(*, user: User, pk: int) -> Conference:
    conference = (
        conferences_visible_to(user)
        .select_related("child", "chair", "room", "cp_plan", "s47_enquiry", "requested_by")
        .prefetch_related("invitations", "reports")
        .filter(pk=pk)
        .first()
    )
    if conference is None:
        raise Http404("No such conference")
    return conference


def amendment_draft_for(*, user: User, conference: Conference) -> AmendmentDraft | None:
    """The user's own draft amendment of a conference they can see (the caller got it from
    ``conference_get_for_user``): nobody else's draft is ever shown to them."""
    return AmendmentDraft.objects.filter(conference=conference, author=user).first()


def requests_awaiting_date(*, user: User) -> QuerySet[Conference]:
    """Requests without a booking, soonest due first."""
    return (
        conferences_visible_to(user)
        .filter(status=Conference.Status.REQUESTED)
        .select_related("child", "child__team")
        .order_by("original_due_date", "pk")
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class ChairWeek:
    chair: User
    days: list[dict[str, list]] = field(default_factory=list)


@dataclass
class RoomWeek:
    room: Room
    days: list[list[Conference]] = field(default_factory=list)


def scheduling_calendar(*, user: User, start: date, days: int) -> dict[str, object]:
    """Chairs and rooms over ``days`` days from ``start``: each chair's booked conferences
    and unavailability per day, their reviews, and each room's bookings. A fixed number of
    queries whatever the size (four, and one per app registering meetings plus one)."""
    dates = [start + timedelta(days=n) for n in range(days)]
    window = (_day_start(start), _day_start(start + timedelta(days=days)))
    chairs = list(users_with_roles(CHAIR_ROLES))
    rooms = list(Room.objects.filter(active=True).order_by("name"))
    booked = list(
        conferences_visible_to(user)
        .filter(
            status=Conference.Status.SCHEDULED,
            scheduled_start__gte=window[0],
            scheduled_start__lt=window[1],
        )
        .select_related("child", "room", "chair")
        .order_by("scheduled_start")
    )
    away = ChairUnavailability.objects.filter(date__in=dates).values_list(
        "chair_id", "date", "reason"
    )
    away_map = {(chair_id, day): reason for chair_id, day, reason in away}
    index = {day: n for n, day in enumerate(dates)}
    chair_rows = {
        chair.pk: ChairWeek(
            chair, [{"conferences": [], "meetings": [], "away": None} for _ in dates]
        )
        for chair in chairs
    }
    room_rows = {room.pk: RoomWeek(room, [[] for _ in dates]) for room in rooms}
    for conference in booked:
        n = index[timezone.localdate(conference.scheduled_start)]
        if conference.chair_id in chair_rows:
            chair_rows[conference.chair_id].days[n]["conferences"].append(conference)
        if conference.room_id in room_rows:
            room_rows[conference.room_id].days[n].append(conference)
    for (chair_id, day), reason in away_map.items():
        if chair_id in chair_rows:
            label = dict(ChairUnavailability.Reason.choices)[reason]
            chair_rows[chair_id].days[index[day]]["away"] = label
    _add_other_meetings(chair_rows, dates, index, user)
    return {"dates": dates, "chairs": list(chair_rows.values()), "rooms": list(room_rows.values())}


def _add_other_meetings(
    chair_rows: dict[int, ChairWeek], dates: list[date], index: dict[date, int], user: User
) -> None:
    """Each chair's other meetings (their reviews) from the reminders meeting registry, so
    the calendar shows a chair's whole day without importing reviews (issue 5). One query
    per app holding meetings; the conferences are already on the row."""
    found = meetings_chaired_on(list(product(chair_rows, dates)), viewer=user)
    for (chair_id, day), meetings in found.items():
        others = [meeting for meeting in meetings if not meeting.uid.startswith("conference-")]
        chair_rows[chair_id].days[index[day]]["meetings"] = others


def my_conferences(*, user: User) -> dict[str, QuerySet[Conference]]:
    """The chair's work: conferences to write up (today's and earlier ones not yet
    recorded), upcoming bookings (from tomorrow), outcomes to send and minutes to finish."""
    mine = conferences_visible_to(user).filter(chair=user).select_related("child", "room")
    tomorrow = _day_start(timezone.localdate() + timedelta(days=1))
    scheduled = mine.filter(status=Conference.Status.SCHEDULED)
    held = mine.filter(status=Conference.Status.HELD)
    return {
        "upcoming": scheduled.filter(scheduled_start__gte=tomorrow).order_by("scheduled_start"),
        "to_write_up": scheduled.filter(scheduled_start__lt=tomorrow).order_by("scheduled_start"),
        "outcomes_to_send": held.filter(outcome_sent_on__isnull=True).order_by("outcome_due"),
        "minutes_to_finish": held.filter(minutes_completed_on__isnull=True).order_by("minutes_due"),
    }


def chasing_list(*, user: User, today: date) -> dict[str, QuerySet]:
    """Reports overdue (due date passed, not received) and invitations not yet sent, for
    booked conferences only."""
    visible = children_visible_to(user)
    reports = (
        AgencyReport.objects.filter(
            conference__child__in=visible,
            conference__status=Conference.Status.SCHEDULED,
            received_on__isnull=True,
            due_date__lt=today,
        )
        .select_related("conference", "conference__child")
        .order_by("due_date", "pk")
    )
    unsent = (
        conferences_visible_to(user)
        .filter(status=Conference.Status.SCHEDULED)
        .annotate(unsent=Count("invitations", filter=Q(invitations__sent_at__isnull=True)))
        .filter(unsent__gt=0)
        .select_related("child")
        .order_by("scheduled_start", "pk")
    )
    return {"reports": reports, "unsent": unsent}


def plans_visible_to(user: User) -> QuerySet[ChildProtectionPlan]:
    next_rcpc = Conference.objects.filter(
        cp_plan=OuterRef("pk"), conference_type=Conference.Type.RCPC, status__in=OPEN
    ).order_by("original_due_date")
    return (
        ChildProtectionPlan.objects.filter(child__in=children_visible_to(user))
        .select_related("child", "child__team")
        .annotate(
            next_rcpc_due=Subquery(next_rcpc.values("original_due_date")[:1]),
            conferences_held=Count(
                "conferences", filter=Q(conferences__status=Conference.Status.HELD), distinct=True
            ),
            core_groups_held=Count("core_groups", distinct=True),
        )
    )


def plans_open_longer_than(*, user: User, months: int, today: date) -> QuerySet:
    """Open plans that have passed ``months`` months (CP-14: 15 months, 2 years)."""
    cutoff = add_months(today, -months)
    return (
        plans_visible_to(user)
        .filter(end_date__isnull=True, start_date__lte=cutoff)
        .order_by("start_date", "pk")
    )


def repeat_plans(*, user: User) -> QuerySet:
    """Open second or subsequent plans (CP-13: previous plans > 0)."""
    return (
        plans_visible_to(user)
        .filter(end_date__isnull=True, previous_plans__gt=0)
        .order_by("start_date", "pk")
    )


def conference_timeliness(
    *,
    user: User,
    conference_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    chair_id: int | None = None,
) -> QuerySet[Conference]:
    """Held initial and review conferences with their original due dates, for judging
    met/late (CP-1, CP-6, CP-7, CP-8, CP-9)."""
    held = (
        conferences_visible_to(user)
        .filter(status=Conference.Status.HELD)
        .select_related("child", "chair")
    )
    if conference_type:
        held = held.filter(conference_type=conference_type)
    if date_from:
        held = held.filter(held_on__gte=date_from)
    if date_to:
        held = held.filter(held_on__lte=date_to)
    if chair_id:
        held = held.filter(chair_id=chair_id)
    return held.order_by("-held_on", "pk")


def core_groups_visible_to(user: User) -> QuerySet[CoreGroup]:
    return CoreGroup.objects.filter(child__in=children_visible_to(user)).select_related(
        "cp_plan", "recorded_by"
    )


def child_conferences(record: ChildRecord) -> list[Conference]:
    """Every conference of a child the caller already may see (a conference is visible with
    its child), newest due first: read once per record, so the child page's deadlines and
    its conferences section share the list."""
    return record.read_once(
        "conferences",
        lambda: list(
            Conference.objects.filter(child=record.child).order_by("-original_due_date", "-pk")
        ),
    )


def child_open_plans(record: ChildRecord) -> list[ChildProtectionPlan]:
    """The child's open plans, oldest first, each with its core groups (one query for all
    of them, once per record)."""
    plans = record.open_plans
    prefetch_related_objects(plans, "core_groups")
    return plans
