"""Booking conferences race-safely, cancelling them, chairs' unavailability, invitations and
reports to conference (CP-10)."""

import logging
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from children.services import event_record
from conferences import codes, policies, workflow
from conferences.models import AgencyReport, ChairUnavailability, Conference, Invitation, Room
from conferences.services._common import OPEN, books_on
from iro_service.core.errors import NotPermitted, RuleViolation
from people.models import User
from reminders.calendars import Meeting, ics_attachment
from reminders.services import email_queue
from timescales.sequences import Deadline, conference_report_due
from timescales.services import working_calendar

logger = logging.getLogger(__name__)

# Scheduling ------------------------------------------------------------------------------


def _check_booking_times(start: datetime, end: datetime) -> date:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise RuleViolation("Enter the start and end times.", field="start")
    if end <= start:
        raise RuleViolation("The conference must end after it starts.", field="end")
    day = timezone.localdate(start)
    if timezone.localdate(end) != day:
        raise RuleViolation("A conference must start and end on the same day.", field="end")
    if not working_calendar().is_working_day(day):
        # CIN rule 8875: a conference date is never a weekend (nor, here, a bank holiday).
        raise RuleViolation("Book the conference on a working day.", field="start")
    return day


def _lock_and_check_clashes(
    *, conference: Conference, chair: User, room: Room | None, start: datetime, end: datetime
) -> None:
    """Lock the chair's row and the room's row, then look for overlapping bookings.

    Two bookings of one chair (or room) at once both wait on the same row lock, so the
    second sees the first's booking once it commits: exactly one wins. The chair is always
    locked before the room, so two bookings never wait on each other in a cycle."""
    User.objects.select_for_update().filter(pk=chair.pk).get()
    if room is not None:
        Room.objects.select_for_update().filter(pk=room.pk).get()
    clashes = Conference.objects.filter(
        status=Conference.Status.SCHEDULED, scheduled_start__lt=end, scheduled_end__gt=start
    ).exclude(pk=conference.pk)
    if clashes.filter(chair=chair).exists():
        raise RuleViolation(f"{chair} is already booked at that time.", field="chair")
    if room is not None and clashes.filter(room=room).exists():
        raise RuleViolation(f"{room} is already booked at that time.", field="room")


@transaction.atomic
def conference_schedule(
    *,
    conference: Conference,
    chair: User,
    start: datetime,
    end: datetime,
    by: User,
    room: Room | None = None,
    online_link: str = "",
    late_reason: str = "",
) -> Conference:
    """Book (or rebook) a conference: a chair, a room or an online link, and a time.

    Double-booking a chair or a room is refused, race-safely. A chair on leave or on a
    non-working day cannot be booked. A date after the original due date needs a coded
    late reason; rebooking never moves the original due date. Report due dates (CP-10)
    follow the new date."""
    if not policies.can_schedule(by):
        raise NotPermitted("Only business support can book conferences.")
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    new_status = workflow.next_state(conference.status, "schedule")
    if not policies.can_chair(chair):
        raise RuleViolation(f"{chair} cannot chair conferences.", field="chair")
    if room is None and not online_link:
        raise RuleViolation("Choose a room or give an online meeting link.", field="room")
    if room is not None and not room.active:
        raise RuleViolation(f"{room} is no longer available.", field="room")
    day = _check_booking_times(start, end)
    late = day > conference.original_due_date
    if late and late_reason not in codes.LATE_REASON:
        raise RuleViolation(
            f"The conference is due by {conference.original_due_date:%d/%m/%Y}: "
            "choose why it is being booked later.",
            field="late_reason",
        )
    _lock_and_check_clashes(conference=conference, chair=chair, room=room, start=start, end=end)
    if ChairUnavailability.objects.filter(chair=chair, date=day).exists():
        raise RuleViolation(f"{chair} is not available on {day:%d/%m/%Y}.", field="chair")
    rebooking = conference.status == Conference.Status.SCHEDULED
    conference.status = new_status
    conference.chair, conference.room, conference.online_link = chair, room, online_link
    conference.scheduled_start, conference.scheduled_end = start, end
    conference.late_reason = late_reason if late else ""
    conference.save(
        update_fields=[
            "status",
            "chair",
            "room",
            "online_link",
            "scheduled_start",
            "scheduled_end",
            "late_reason",
        ]
    )
    _move_report_due_dates(conference, day)
    verb = "rebooked" if rebooking else "booked"
    event_record(
        child=conference.child,
        on=timezone.localdate(),
        kind="conference",
        summary=f"{conference.get_conference_type_display()} {verb} for {day:%d/%m/%Y}",
        by=by,
    )
    return conference


def _report_deadline(conference: Conference, day: date) -> Deadline:
    """CP-10 counted back from the conference date: 2 WD before an initial conference,
    5 WD before a review (local amounts)."""
    return conference_report_due(
        conference_date=day,
        initial=conference.is_initial,
        rules=books_on(day),
        calendar=working_calendar(),
    )


def _move_report_due_dates(conference: Conference, day: date) -> None:
    deadline = _report_deadline(conference, day)
    for report in conference.reports.filter(received_on__isnull=True):
        report.rule_id, report.due_date = deadline.rule_id, deadline.due
        report.save(update_fields=["rule_id", "due_date"])


@transaction.atomic
def conference_cancel(*, conference: Conference, reason: str, by: User) -> Conference:
    """Cancel a request or a booking. A cancelled conference does not count as held."""
    if not policies.can_schedule(by):
        raise NotPermitted("Only business support can cancel conferences.")
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    conference.status = workflow.next_state(conference.status, "cancel")
    if not reason.strip():
        raise RuleViolation("Say why the conference is cancelled.", field="reason")
    conference.cancel_reason = reason.strip()
    conference.save(update_fields=["status", "cancel_reason"])
    event_record(
        child=conference.child,
        on=timezone.localdate(),
        kind="conference",
        summary=f"{conference.get_conference_type_display()} cancelled",
        by=by,
    )
    return conference


@transaction.atomic
def chair_unavailability_add(
    *, chair: User, day: date, reason: str, by: User
) -> ChairUnavailability:
    """Record a day a chair cannot chair (leave or a non-working day)."""
    if not policies.can_set_unavailability(by, chair):
        raise NotPermitted("Only the chair or their manager can enter this.")
    if reason not in ChairUnavailability.Reason.values:
        raise RuleViolation("Choose leave or non-working day.", field="reason")
    if ChairUnavailability.objects.filter(chair=chair, date=day).exists():
        raise RuleViolation("That day is already recorded.", field="day")
    booked = Conference.objects.filter(
        chair=chair, status=Conference.Status.SCHEDULED, scheduled_start__date=day
    )
    if booked.exists():
        raise RuleViolation(
            "The chair has a conference booked that day: rebook it first.", field="day"
        )
    return ChairUnavailability.objects.create(chair=chair, date=day, reason=reason, entered_by=by)


# Invitations and reports -----------------------------------------------------------------


def _require_scheduler(by: User) -> None:
    if not policies.can_schedule(by):
        raise NotPermitted("Only business support can manage invitations and reports.")


def _require_open(conference: Conference) -> None:
    if conference.status not in OPEN:
        raise RuleViolation("This conference has been held or cancelled.")


@transaction.atomic
def invitation_add(
    *,
    conference: Conference,
    name: str,
    agency: str,
    by: User,
    contact: str = "",
    email: str = "",
    interpreter_needed: bool = False,
    interpreter_language: str = "",
    advocate_needed: bool = False,
) -> Invitation:
    """Add a family member or a professional to the invitation list, with their needs."""
    _require_scheduler(by)
    _require_open(conference)
    if agency not in codes.AGENCY:
        raise RuleViolation("Choose the person's agency.", field="agency")
    if not name.strip():
        raise RuleViolation("Enter the person's name.", field="name")
    if interpreter_needed and not interpreter_language.strip():
        raise RuleViolation(
            "Enter the language the interpreter is needed for.", field="interpreter_language"
        )
    return Invitation.objects.create(
        conference=conference,
        name=name.strip(),
        agency=agency,
        contact=contact,
        email=email,
        interpreter_needed=interpreter_needed,
        interpreter_language=interpreter_language if interpreter_needed else "",
        advocate_needed=advocate_needed,
    )


def _email_invitation(invitation: Invitation) -> None:
    """Email a professional through the reminders email gateway (claimed, retried, never
    sent twice), with an .ics file: a link, the reference and the time only, never the
    child's details or the place (SECURITY.md T4)."""
    conference = invitation.conference
    link = reverse("conferences:detail", args=[conference.pk])
    start = timezone.localtime(conference.scheduled_start)
    body = (
        "You are invited to a child protection conference.\n\n"
        f"Reference: {conference.reference}\n"
        f"Date: {start:%d/%m/%Y %H:%M}\n"
        f"Details: {getattr(settings, 'SITE_URL', '')}{link}\n"
    )
    meeting = Meeting(
        uid=f"conference-{conference.pk}",
        reference=f"Conference {conference.reference}",
        starts=start,
        ends=conference.scheduled_end,
    )
    _, ics, _ = ics_attachment(meeting)
    email_queue(
        to=invitation.email,
        subject=f"Child protection conference {conference.reference}",
        text=body,
        reference=conference.reference,
        ics=ics,
    )
    logger.info("invitation %s queued for email", invitation.pk)


@transaction.atomic
def invitation_send(*, invitation: Invitation, by: User) -> Invitation:
    """Record the invitation as sent; professionals with an email are emailed on commit."""
    _require_scheduler(by)
    conference = invitation.conference
    if conference.status != Conference.Status.SCHEDULED:
        raise RuleViolation("Book the conference before sending invitations.")
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    if invitation.email and invitation.agency not in codes.NON_AGENCY:
        _email_invitation(invitation)
    return invitation


@transaction.atomic
def report_request(*, conference: Conference, agency: str, by: User) -> AgencyReport:
    """Ask an agency for its report. Due N WD before the conference (CP-10); the due date
    is set once the conference is booked and moves with a rebooking."""
    _require_scheduler(by)
    # Locked so a rebooking at the same moment cannot leave the report on the old date.
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    _require_open(conference)
    if agency not in codes.AGENCY or agency in codes.NON_AGENCY:
        raise RuleViolation("Choose the agency writing the report.", field="agency")
    if conference.reports.filter(agency=agency).exists():
        raise RuleViolation("A report has already been asked of that agency.", field="agency")
    day = conference.scheduled_date
    rule_id = "CP-10-ICPC" if conference.is_initial else "CP-10-RCPC"
    due = _report_deadline(conference, day).due if day else None
    return AgencyReport.objects.create(
        conference=conference,
        agency=agency,
        requested_on=timezone.localdate(),
        rule_id=rule_id,
        due_date=due,
    )


@transaction.atomic
def report_receive(*, report: AgencyReport, received_on: date, by: User) -> AgencyReport:
    _require_scheduler(by)
    if received_on > timezone.localdate():
        raise RuleViolation("The date received cannot be in the future.", field="received_on")
    report.received_on = received_on
    report.save(update_fields=["received_on"])
    return report
