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

    register_meeting_source("reviews", review_meetings)
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from people.models import User


@dataclass(frozen=True)
class Meeting:
    """What a calendar may show of a meeting. ``uid`` must be stable per meeting (so an
    update replaces the event) and ``reference`` must not contain a child's name."""

    uid: str
    reference: str
    starts: datetime
    ends: datetime | None = None
    place: str = ""
    url: str = ""
    cancelled: bool = False


MeetingSource = Callable[[User], Iterable[Meeting]]
_SOURCES: dict[str, MeetingSource] = {}


def register_meeting_source(name: str, source: MeetingSource) -> None:
    _SOURCES[name] = source


def unregister_meeting_source(name: str) -> None:
    _SOURCES.pop(name, None)


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
    """``(filename, content, mimetype)`` for ``EmailMessage.attach`` on an invitation."""
    cal = _calendar()
    cal.add("method", "CANCEL" if meeting.cancelled else "PUBLISH")
    cal.add_component(_event(meeting, timezone.now()))
    return "meeting.ics", cal.to_ical(), "text/calendar"
