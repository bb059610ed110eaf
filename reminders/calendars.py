"""Calendar files: a personal ICS feed of the meetings a user chairs or attends, and the
.ics attachment for an invitation. A meeting is shown by its reference and place only, never
a child's name (SECURITY.md).

Apps that hold meetings register a source in their ``AppConfig.ready``::

    from reminders.calendars import Meeting, register_meeting_source

    def review_meetings(user):          # set-based: one query for the user's meetings
        for review in Review.objects.filter(Q(chair=user) | Q(invitees=user), ...):
            yield Meeting(uid=f"review-{review.pk}", reference=review.reference,
                          starts=review.starts_at, ends=review.ends_at, place=review.venue,
                          url=reverse("reviews:detail", args=[review.pk]))

    register_meeting_source("reviews", review_meetings, chaired_on=reviews_chaired_on)

``chaired_on(wanted, visible_children)`` is optional: it answers "which meetings does each
of these people chair on these days" (``wanted``: (user id, day) pairs; ``chaired_by_on``
gives the filter) in one query, as ``(user id, Meeting)`` pairs (a meeting
about a child not in ``visible_children`` shown as ``busy(meeting)``), so an app can check a
booking for clashes, or show a person's day, with meetings of apps it may not import (a
review booking sees the IRO's conferences; the conference calendar sees the chair's reviews).
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from icalendar import Calendar, Event

from children.models import Child
from people.models import User


@dataclass(frozen=True)
class Meeting:
    """What a calendar may show of a meeting. ``uid`` must be stable per meeting (so an
    update replaces the event) and ``reference`` must not contain a child's name.
    ``sequence`` is the iCalendar SEQUENCE: calendar programs apply a file for a ``uid``
    only if its sequence is higher than the one they hold, so a cancellation
    (``cancelled``) must carry a higher one than the invitation it withdraws."""

    uid: str
    reference: str
    starts: datetime
    ends: datetime | None = None
    place: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0
    # False when only the day is booked (a review with no time yet): ``starts`` then holds
    # a default hour for calendar programs, and pages say "no time set".
    time_known: bool = True


MeetingSource = Callable[[User], Iterable[Meeting]]
# ((user id, day) pairs, the children the viewer may see) -> (user id, Meeting) pairs.
ChairedOn = Callable[[Collection[tuple[int, date]], QuerySet[Child]], Iterable[tuple[int, Meeting]]]
_SOURCES: dict[str, MeetingSource] = {}
_CHAIRED_ON: dict[str, ChairedOn] = {}


def register_meeting_source(
    name: str, source: MeetingSource, *, chaired_on: ChairedOn | None = None
) -> None:
    _SOURCES[name] = source
    if chaired_on is not None:
        _CHAIRED_ON[name] = chaired_on


def unregister_meeting_source(name: str) -> None:
    _SOURCES.pop(name, None)
    _CHAIRED_ON.pop(name, None)


def busy(meeting: Meeting) -> Meeting:
    """The same slot with nothing about the meeting: what a viewer who may not see its
    child is shown (free/busy only)."""
    return replace(meeting, reference="Busy", place="", url="")


class _ChairedOn(Expression):
    """``chair IN (people) AND day IN (days)`` for each of ``terms``, ORed: the SQL the
    ``__in`` lookups of one ``Q`` per term give, written in one pass. Django builds and
    compiles every lookup on its own, a tenth of a millisecond each: a page of the schedule
    queue asks about a dozen IROs on different days, and building its two filters cost
    more than reading the meetings (issue 11). Here each column is compiled once."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, chair: Expression, day: Expression, terms: list[tuple[list, list]]):
        super().__init__()
        self.chair, self.day, self.terms = chair, day, terms

    def get_source_expressions(self) -> list[Expression]:
        return [self.chair, self.day]

    def set_source_expressions(self, exprs: list[Expression]) -> None:
        self.chair, self.day = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        chair_sql, chair_params = compiler.compile(self.chair)
        day_sql, day_params = compiler.compile(self.day)
        chair_value = self.chair.output_field.get_db_prep_value
        day_value = self.day.output_field.get_db_prep_value
        parts, params = [], []
        for users, days in self.terms:
            chairs = ", ".join(["%s"] * len(users))
            dates = ", ".join(["%s"] * len(days))
            parts.append(f"({chair_sql} IN ({chairs}) AND {day_sql} IN ({dates}))")
            params += [*chair_params, *(chair_value(user, connection) for user in users)]
            params += [*day_params, *(day_value(day, connection) for day in days)]
        return f"({' OR '.join(parts)})", params


def chaired_by_on(wanted: Collection[tuple[int, date]], chair: str, day: str) -> Q:
    """The filter for meetings whose ``chair`` field is one of the people and whose ``day``
    (a date field, or a lookup such as ``scheduled_start__date``) is one of that person's
    days: one term per set of days, so only the pairs asked for are read (the schedule
    queue: each IRO on their rows' days), and people asked about the same days share a
    term (a calendar week of every chair: one term). ``wanted`` must not be empty."""
    days: dict[int, set[date]] = defaultdict(set)
    for user_id, on in wanted:
        days[user_id].add(on)
    people: dict[frozenset[date], list[int]] = defaultdict(list)
    for user_id, on in days.items():
        people[frozenset(on)].append(user_id)
    terms = [(sorted(users), sorted(on)) for on, users in people.items()]
    return Q(_ChairedOn(F(chair), F(day), terms))


def meetings_chaired_on(
    wanted: Collection[tuple[int, date]], *, viewer: User
) -> dict[tuple[int, date], list[Meeting]]:
    """Every booked meeting each person chairs on their days (``wanted``: (user id, day)
    pairs), from every app that registered ``chaired_on`` (one query per app, never per
    person or day), by (user id, London date), each list in time order. Cancelled meetings
    are left out. Each app is given the children ``viewer`` may see (a lazy queryset, for an
    ``Exists`` in its one query) and shows a meeting about any other child as busy only
    (``busy``; SECURITY.md T3)."""
    from children.selectors import children_visible_to

    found: dict[tuple[int, date], list[Meeting]] = defaultdict(list)
    if not wanted:
        return found
    visible = children_visible_to(viewer)
    for chaired_on in _CHAIRED_ON.values():
        for user_id, meeting in chaired_on(wanted, visible):
            if not meeting.cancelled:
                found[(user_id, timezone.localdate(meeting.starts))].append(meeting)
    for meetings in found.values():
        meetings.sort(key=lambda meeting: meeting.starts)
    return found


def meetings_for(user: User) -> list[Meeting]:
    found: list[Meeting] = []
    for source in _SOURCES.values():
        found.extend(source(user))
    return sorted(found, key=lambda meeting: meeting.starts)


def _calendar() -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SERVICE_NAME}//Meetings//EN")
    cal.add("version", "2.0")
    return cal


def _event(meeting: Meeting, stamp: datetime) -> Event:
    domain = settings.EMAIL_MESSAGE_ID_DOMAIN
    event = Event()
    event.add("uid", f"{meeting.uid}@{domain}")
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts)
    event.add("dtend", meeting.ends or meeting.starts + timedelta(hours=1))
    event.add("summary", meeting.reference)
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.url:
        event.add("url", settings.SITE_URL + meeting.url)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    return event


def feed_ics(user: User) -> bytes:
    """The user's feed: every meeting the registered sources give for them."""
    cal = _calendar()
    cal.add("x-wr-calname", f"{settings.SERVICE_NAME} meetings")
    stamp = timezone.now()
    for meeting in meetings_for(user):
        cal.add_component(_event(meeting, stamp))
    return cal.to_ical()


def ics_attachment(meeting: Meeting) -> tuple[str, bytes, str]:
    """``(filename, content, mimetype)`` for ``EmailMessage.attach`` on an invitation, or
    on its cancellation (a ``cancelled`` meeting: METHOD:CANCEL, STATUS:CANCELLED)."""
    cal = _calendar()
    cal.add("method", "CANCEL" if meeting.cancelled else "PUBLISH")
    cal.add_component(_event(meeting, timezone.now()))
    return "meeting.ics", cal.to_ical(), "text/calendar"
