"""Writes to reviews. Every write path (pages, API, commands) comes here.

Each service checks the policy, locks the review for a workflow step, validates, saves with
``update_fields`` (history by django-simple-history) and adds a line to the child's
timeline. The sequence rule: every child in care has exactly one next review (status due or
scheduled) whose due date comes from ``timescales.sequences.next_cla_review`` over the
reviews held in the open period of care (CLA-1, CLA-2, CLA-3, CLA-5).
"""

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from children.models import Child, ChildEvent, PeriodOfCare
from children.rules import check_participation_code
from children.services import event_record
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from iro_service.core.rich_text import plain_text
from people.models import User
from reminders.calendars import Meeting, ics_attachment, meetings_chaired_on
from reminders.services import email_queue
from reviews import policies, workflow
from reviews.models import (
    RECORD_FIELDS,
    SCHEDULE_7,
    ChildContact,
    ConsultationDocument,
    Decision,
    FootprintNote,
    Invitation,
    Review,
    ReviewAmendment,
    ReviewDraft,
)
from reviews.reminders import review_meeting
from timescales.sequences import Deadline, next_cla_review
from timescales.services import due_date_for, rule_books, working_calendar

logger = logging.getLogger(__name__)


class EditConflict(InvalidTransition):
    """Someone else saved the record after this person opened it (SECURITY.md T8)."""


class ClashWarning(RuleViolation):
    """The IRO already has a meeting that day; booking needs a confirmation."""


# The sequence ------------------------------------------------------------------------------


def _next_deadline(period_start: date, held: list[date]) -> Deadline:
    """CLA-1/2/3 from the reviews held in the period (early and extra ones count, CLA-4)."""
    return next_cla_review(
        period_start=period_start,
        reviews_held=held,
        rules=rule_books()(period_start),
        calendar=working_calendar(),
    )


def _new_review(child: Child, period: PeriodOfCare, deadline: Deadline) -> Review:
    return Review(
        child=child,
        period=period,
        sequence_rule=deadline.rule_id,
        clock_start=deadline.start,
        original_due_date=deadline.due,
        due_date=deadline.due,
        chair_id=child.iro_id,
    )


def _held_dates(period: PeriodOfCare) -> list[date]:
    return list(period.reviews.filter(status=workflow.HELD).values_list("held_date", flat=True))


def review_ensure_next(child: Child, *, by: User | None = None) -> Review | None:
    """Make sure a child in care has its next review; return it (None when not in care).

    Call after anything that changes the sequence: a period of care starting, a review
    held, adjourned or cancelled. Idempotent."""
    with transaction.atomic():
        Child.objects.select_for_update(of=("self",)).filter(pk=child.pk).get()
        period = child.periods_of_care.filter(end_date__isnull=True).first()
        if period is None:
            return None
        existing = child.reviews.filter(status__in=workflow.OPEN_STATUSES).first()
        if existing is not None:
            return existing
        review = _new_review(child, period, _next_deadline(period.start_date, _held_dates(period)))
        review.save()
        event_record(
            child=child,
            on=timezone.localdate(),
            kind="review",
            summary=f"Next review due by {review.due_date:%d/%m/%Y} ({review.sequence_rule})",
            by=by,
        )
        return review


def review_follow_care(child: Child) -> Review | None:
    """A period of care started or ended (the children app's care-change hook, in the same
    transaction): a child in care has its next review, a child who left care none open."""
    _close_after_care(child.reviews.all())
    return review_ensure_next(child)


def _close_after_care(reviews: QuerySet[Review]) -> None:
    for review in reviews.filter(
        status__in=workflow.OPEN_STATUSES, period__end_date__isnull=False
    ).select_related("child"):
        review.status = workflow.CANCELLED
        review.ended_reason = "The child is no longer looked after."
        review.save(update_fields=["status", "ended_reason", "updated_at"])


@transaction.atomic
def reviews_sync_next() -> int:
    """Create the missing next review of every child in care, set-based (a handful of
    queries whatever the number of children), and cancel the open reviews of children
    whose period of care has ended. Returns how many reviews were created."""
    periods = list(
        PeriodOfCare.objects.filter(end_date__isnull=True)
        .exclude(child__reviews__status__in=workflow.OPEN_STATUSES)
        .select_related("child")
    )
    held: dict[int, list[date]] = defaultdict(list)
    for period_id, held_date in Review.objects.filter(
        period__in=periods, status=workflow.HELD
    ).values_list("period_id", "held_date"):
        held[period_id].append(held_date)
    new = [_new_review(p.child, p, _next_deadline(p.start_date, held[p.pk])) for p in periods]
    created = bulk_create_with_history(new, Review, batch_size=500)
    today = timezone.localdate()
    ChildEvent.objects.bulk_create(
        [
            ChildEvent(
                child_id=review.child_id,
                occurred_on=today,
                kind="review",
                summary=f"Next review due by {review.due_date:%d/%m/%Y} ({review.sequence_rule})",
            )
            for review in created
        ],
        batch_size=500,
    )
    _close_after_care(Review.objects.all())
    logger.info("reviews_sync_next created %s reviews", len(created))
    return len(created)


def _resequence_next(review: Review) -> None:
    """A held date was corrected: the next statutory review's clock moves with it."""
    following = review.child.reviews.filter(
        status__in=workflow.OPEN_STATUSES, kind=Review.Kind.STATUTORY, period=review.period
    ).first()
    if following is None:
        return
    deadline = _next_deadline(review.period.start_date, _held_dates(review.period))
    following.sequence_rule, following.clock_start = deadline.rule_id, deadline.start
    following.original_due_date = following.due_date = deadline.due
    following.save(update_fields=["sequence_rule", "clock_start", "original_due_date", "due_date"])


# Helpers -----------------------------------------------------------------------------------


def _locked(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("child", "period")
        .get(pk=review.pk)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _event(review: Review, on: date, summary: str, by: User | None) -> None:
    event_record(child=review.child, on=on, kind="review", summary=summary, by=by)


def _not_in_future(day: date | None, field: str, what: str) -> date:
    if day is None:
        raise RuleViolation(f"Enter the date {what}.", field=field)
    if day > timezone.localdate():
        raise RuleViolation(f"The date {what} cannot be in the future.", field=field)
    return day


def _link(name: str, pk: int) -> str:
    base = getattr(settings, "IRO_SITE_URL", "") or (
        f"https://{settings.ALLOWED_HOSTS[0]}" if settings.ALLOWED_HOSTS else ""
    )
    return base + reverse(name, args=[pk])


# Scheduling --------------------------------------------------------------------------------


def _clashes(review: Review, on: date, by: User) -> list[Meeting]:
    """The IRO's other meetings that day: their reviews and, through the reminders meeting
    registry, whatever other apps hold (conferences they chair), without importing them."""
    chair = review.child.iro_id or review.chair_id
    if chair is None:
        return []
    meetings = meetings_chaired_on([(chair, on)], viewer=by).get((chair, on), [])
    return [meeting for meeting in meetings if meeting.uid != f"review-{review.pk}"]


def _clash_message(clashes: list[Meeting], on: date) -> str:
    listed = ", ".join(
        f"{meeting.reference} at {meeting.starts.astimezone(timezone.get_current_timezone()):%H:%M}"
        if meeting.time_known
        else f"{meeting.reference}, no time set"
        for meeting in clashes
    )
    count = len(clashes)
    return (
        f"The IRO already has {count} other meeting{'s' if count > 1 else ''} on "
        f"{on:%d/%m/%Y} ({listed}). Confirm the clash to book it anyway."
    )


@transaction.atomic
def review_schedule(
    *,
    review: Review,
    on: date,
    at: time | None,
    venue: str,
    online: bool,
    late_reason: str = "",
    late_reason_text: str = "",
    confirm_clash: bool = False,
    by: User,
) -> Review:
    """Book (or rebook) the meeting. A date after the original due date needs a reason for
    lateness; a clash with the IRO's other meetings that day must be confirmed. Rescheduling
    keeps the original due date and the history of earlier bookings."""
    review = _locked(review)
    _require(policies.can_schedule(by, review), "You cannot book this review.")
    target = workflow.next_state(review.status, "schedule")
    if on is None:
        raise RuleViolation("Enter the date of the review.", field="scheduled_date")
    if on < timezone.localdate():
        raise RuleViolation("The review date cannot be in the past.", field="scheduled_date")
    if not venue.strip() and not online:
        raise RuleViolation("Enter the venue, or say the review is online.", field="venue")
    if on > review.original_due_date:
        if late_reason not in Review.LateReason.values:
            raise RuleViolation(
                f"The date is after the review's due date "
                f"({review.original_due_date:%d/%m/%Y}): choose the reason it will be late.",
                field="late_reason",
            )
        if late_reason == Review.LateReason.OTHER and not late_reason_text.strip():
            raise RuleViolation("Say why the review will be late.", field="late_reason_text")
    else:
        late_reason, late_reason_text = "", ""
    clashes = _clashes(review, on, by)
    if clashes and not confirm_clash:
        raise ClashWarning(_clash_message(clashes, on), field="confirm_clash")
    previous = review.scheduled_date
    review.status, review.scheduled_date, review.scheduled_time = target, on, at
    review.venue, review.online = venue.strip(), online
    review.late_reason, review.late_reason_text = late_reason, late_reason_text.strip()
    review.chair_id = review.child.iro_id or review.chair_id
    review.save(
        update_fields=[
            "status",
            "scheduled_date",
            "scheduled_time",
            "venue",
            "online",
            "late_reason",
            "late_reason_text",
            "chair",
            "updated_at",
        ]
    )
    summary = (
        f"Review rescheduled from {previous:%d/%m/%Y} to {on:%d/%m/%Y}"
        if previous
        else f"Review booked for {on:%d/%m/%Y}"
    )
    _event(review, timezone.localdate(), summary, by)
    return review


@transaction.atomic
def invitation_add(
    *, review: Review, name: str, email: str, role: str, how: str, by: User
) -> Invitation:
    _require(policies.can_schedule(by, review), "You cannot invite people to this review.")
    if not review.is_open:
        raise InvalidTransition("Invitations are for a review still to be held.")
    if not name.strip():
        raise RuleViolation("Enter the name of the person invited.", field="name")
    if not role.strip():
        raise RuleViolation("Enter their role or relationship to the child.", field="role")
    if how not in Invitation.How.values:
        raise RuleViolation("Choose how they will be invited.", field="how")
    if how == Invitation.How.EMAIL and not email.strip():
        raise RuleViolation("Enter an email address to invite them by email.", field="email")
    return Invitation.objects.create(
        review=review, name=name.strip(), email=email.strip(), role=role.strip(), how=how
    )


def _email_invitations(review: Review, addresses: list[str]) -> None:
    """Through the reminders email gateway (claimed, retried, never sent twice), with an
    .ics file of the meeting's reference and time. Neither the email nor the file carries
    the place (it may be where the child lives) or the child's name (SECURITY.md T4)."""
    subject = f"Invitation to review {review.reference}"
    body = (
        f"You are invited to review {review.reference}.\n\n"
        f"Sign in to see the date, time and place: {_link('reviews:detail', review.pk)}\n"
    )
    _, ics, _ = ics_attachment(replace(review_meeting(review), place="", url=""))
    for address in addresses:
        email_queue(to=address, subject=subject, text=body, reference=review.reference, ics=ics)


@transaction.atomic
def invitations_send(*, review: Review, by: User) -> int:
    """Mark every unsent invitation sent now, and email those invited by email. The email
    carries a link and the review's reference only, never the child's name (SECURITY.md T4).
    """
    review = _locked(review)
    _require(policies.can_schedule(by, review), "You cannot send invitations for this review.")
    if review.status != workflow.SCHEDULED:
        raise InvalidTransition("Book the review before sending the invitations.")
    unsent = list(review.invitations.filter(sent_at__isnull=True))
    now = timezone.now()
    recipients = []
    for invitation in unsent:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
        if invitation.how == Invitation.How.EMAIL and invitation.email:
            recipients.append(invitation.email)
    if recipients:
        _email_invitations(review, recipients)
    if unsent:
        plural = "s" if len(unsent) != 1 else ""
        _event(review, timezone.localdate(), f"{len(unsent)} review invitation{plural} sent", by)
    return len(unsent)


# Before the review -------------------------------------------------------------------------


@transaction.atomic
def review_preparation_update(
    *, review: Review, sw_report_received_on: date | None, child_prepared: bool | None, by: User
) -> Review:
    _require(policies.can_edit_content(by, review), "Only the child's IRO can record this.")
    review.sw_report_received_on, review.child_prepared = sw_report_received_on, child_prepared
    review.save(update_fields=["sw_report_received_on", "child_prepared", "updated_at"])
    return review


@transaction.atomic
def contact_record(
    *, review: Review, on: date, how: str, seen_alone: bool, by: User
) -> ChildContact:
    """CLA-12: the IRO speaks to the child, in private where possible, before the review."""
    _require(policies.can_edit_content(by, review), "Only the child's IRO can record this.")
    _not_in_future(on, "on", "of the contact")
    if how not in ChildContact.How.values:
        raise RuleViolation("Choose how you were in touch with the child.", field="how")
    contact = ChildContact.objects.create(
        review=review, on=on, how=how, seen_alone=seen_alone, by=by
    )
    alone = "seen alone" if seen_alone else "not seen alone"
    _event(review, on, f"IRO contact with the child before the review ({alone})", by)
    return contact


@transaction.atomic
def consultation_record(
    *, review: Review, who: str, sent_on: date, returned_on: date | None, by: User
) -> ConsultationDocument:
    _require(
        policies.can_edit_content(by, review) or policies.can_schedule(by, review),
        "You cannot record consultation documents for this review.",
    )
    if who not in ConsultationDocument.Who.values:
        raise RuleViolation("Choose who the document is for.", field="who")
    _not_in_future(sent_on, "sent_on", "the document was sent")
    if returned_on is not None and returned_on < sent_on:
        raise RuleViolation("A document cannot come back before it was sent.", field="returned_on")
    return ConsultationDocument.objects.create(
        review=review, who=who, sent_on=sent_on, returned_on=returned_on
    )


# Recording ---------------------------------------------------------------------------------


def _apply_record_values(review: Review, values: Mapping[str, Any]) -> list[str]:
    """Validate and set the record's content; returns the fields set."""
    held = _not_in_future(values.get("held_date"), "held_date", "the review was held")
    if held < review.period.start_date:
        raise RuleViolation(
            "The review cannot be before the child became looked after.", field="held_date"
        )
    code = values.get("participation_code") or ""
    problems = check_participation_code(code, age_on_review=review.child.age_on(held))
    if problems:
        raise RuleViolation(problems[0].message, field="participation_code")
    schedule7 = values.get("schedule7") or {}
    known = {key for key, _ in SCHEDULE_7}
    review.schedule7 = {
        key: {"considered": bool(item.get("considered")), "notes": str(item.get("notes", ""))}
        for key, item in schedule7.items()
        if key in known
    }
    review.held_date, review.participation_code = held, code
    for name in ("attendees", "apologies", "wishes_and_feelings", "summary"):
        # T10: the record's text is stored without markup (iro_service.core.rich_text).
        setattr(review, name, plain_text(str(values.get(name) or "").strip()))
    review.permanence_plan_in_place = values.get("permanence_plan_in_place")
    # Endorsing the plan for permanence is a matter for the second review (CLA-2).
    review.permanence_plan_endorsed = (
        values.get("permanence_plan_endorsed") if review.sequence_rule == "CLA-2" else None
    )
    return list(RECORD_FIELDS)


def _check_version(review: Review, version: int | None) -> None:
    if version is not None and int(version) != review.version:
        raise EditConflict(
            "Someone else saved this review after you opened it, so your changes were not "
            "saved. Your text is still in the form below and in your draft: compare it with "
            "the saved record, then reload the page and save again."
        )


def _held_summary(review: Review) -> str:
    if review.in_timescale:
        return "Children in care review held in timescale"
    late = (review.held_date - review.original_due_date).days
    return f"Children in care review held late ({late} days after the due date)"


@transaction.atomic
def review_record(
    *, review: Review, values: Mapping[str, Any], version: int | None, by: User
) -> Review:
    """Record the review as held (or save changes to a held record not yet completed).

    PN0 if and only if the child is under 4 on the review date (CLA-9). On first recording
    the CLA-13 and CLA-14 due dates are stored and the next review is created, its clock
    starting on the date held (CLA-2, CLA-3). A stale ``version`` is refused (EditConflict).
    """
    review = _locked(review)
    _require(policies.can_edit_content(by, review), "Only the child's IRO can write this record.")
    _check_version(review, version)
    first_time = review.is_open
    if first_time:
        target = workflow.next_state(review.status, "record")
    elif review.status != workflow.HELD:
        raise InvalidTransition(f"This review was {review.status}: it has no record.")
    previous_held = review.held_date
    fields = _apply_record_values(review, values)
    if first_time or previous_held != review.held_date:
        review.decisions_due = due_date_for("CLA-13", review.held_date)
        review.record_due = due_date_for("CLA-14", review.held_date)
    if first_time:
        review.status, review.chair = target, by
    review.version += 1
    review.save(
        update_fields=[
            *fields,
            "status",
            "chair",
            "decisions_due",
            "record_due",
            "version",
            "updated_at",
        ]
    )
    ReviewDraft.objects.filter(review=review, author=by).delete()
    if first_time:
        _event(review, review.held_date, _held_summary(review), by)
        review_ensure_next(review.child, by=by)
    elif previous_held != review.held_date:
        _resequence_next(review)
    return review


@transaction.atomic
def review_draft_save(
    *, review: Review, data: Mapping[str, Any], version: int | None, by: User
) -> ReviewDraft:
    """Keep what the person has typed, whatever it is (no validation): a timeout or a lost
    connection never loses text."""
    _require(
        policies.can_edit_content(by, review) or policies.can_amend(by, review),
        "Only the child's IRO can write this record.",
    )
    draft, _ = ReviewDraft.objects.update_or_create(
        review=review,
        author=by,
        defaults={"data": dict(data), "based_on_version": version or review.version},
    )
    return draft


def _snapshot(review: Review) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(review, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


@transaction.atomic
def review_amend(
    *, review: Review, values: Mapping[str, Any], reason: str, version: int | None, by: User
) -> ReviewAmendment:
    """Change a completed record: the record as it was is kept with the reason."""
    review = _locked(review)
    _require(policies.can_amend(by, review), "Only the child's IRO can amend a completed record.")
    _check_version(review, version)
    if not reason.strip():
        raise RuleViolation("Say why the record is being amended.", field="reason")
    amendment = ReviewAmendment.objects.create(
        review=review, reason=reason.strip(), original=_snapshot(review), by=by
    )
    previous_held = review.held_date
    fields = _apply_record_values(review, values)
    review.version += 1
    review.save(update_fields=[*fields, "version", "updated_at"])
    ReviewDraft.objects.filter(review=review, author=by).delete()
    if previous_held != review.held_date:
        _resequence_next(review)
    _event(review, timezone.localdate(), "Review record amended", by)
    return amendment


@transaction.atomic
def review_request_extra(*, review: Review, reason: str, due_by: date, by: User) -> Review:
    """CLA-4: an early or extra review. The next review becomes the extra one, due by the
    date the IRO sets; once held it counts as the previous review and the sequence
    continues from it. The statutory original due date is kept."""
    review = _locked(review)
    _require(policies.can_chair_actions(by, review), "Only the child's IRO can ask for this.")
    if not review.is_open:
        raise InvalidTransition("Only the next review can be brought forward.")
    if reason not in Review.ExtraReason.values:
        raise RuleViolation("Choose why an early or extra review is needed.", field="reason")
    if due_by is None or due_by < timezone.localdate():
        raise RuleViolation("Enter a date from today onwards.", field="due_by")
    review.kind, review.extra_reason = Review.Kind.EXTRA, reason
    review.due_date = min(due_by, review.original_due_date)
    review.save(update_fields=["kind", "extra_reason", "due_date", "updated_at"])
    label = Review.ExtraReason(reason).label.lower()
    _event(review, timezone.localdate(), f"Early or extra review requested: {label}", by)
    return review


def _end(review: Review, action: str, reason: str, by: User) -> Review:
    review = _locked(review)
    _require(policies.can_chair_actions(by, review), f"Only the child's IRO can {action} it.")
    target = workflow.next_state(review.status, action)
    if not reason.strip():
        raise RuleViolation(f"Say why the review is {target}.", field="reason")
    review.status, review.ended_reason = target, reason.strip()
    review.save(update_fields=["status", "ended_reason", "updated_at"])
    _event(review, timezone.localdate(), f"Review {target}: it does not count as held", by)
    review_ensure_next(review.child, by=by)
    return review


@transaction.atomic
def review_adjourn(*, review: Review, reason: str, by: User) -> Review:
    """An adjourned review does not count as held; a new next review keeps the due date."""
    return _end(review, "adjourn", reason, by)


@transaction.atomic
def review_cancel(*, review: Review, reason: str, by: User) -> Review:
    """A cancelled review does not count as held (DOMAIN.md 2.3)."""
    return _end(review, "cancel", reason, by)


# After the review --------------------------------------------------------------------------


def _after_date(review: Review, on: date | None, field: str, what: str) -> date:
    day = _not_in_future(on, field, what)
    if day < review.held_date:
        raise RuleViolation(f"The date {what} cannot be before the review.", field=field)
    return day


@transaction.atomic
def review_circulate(*, review: Review, on: date, by: User) -> Review:
    """CLA-13: the decisions circulated within 5 WD of the review."""
    review = _locked(review)
    _require(policies.can_circulate(by, review), "You cannot circulate these decisions.")
    if review.status != workflow.HELD:
        raise InvalidTransition("Record the review as held before circulating its decisions.")
    if review.decisions_circulated_on is not None:
        raise InvalidTransition("The decisions have already been circulated.")
    if not review.decisions.exists():
        raise RuleViolation("Add the review's decisions before circulating them.", field="on")
    review.decisions_circulated_on = _after_date(review, on, "on", "the decisions were sent")
    review.save(update_fields=["decisions_circulated_on", "updated_at"])
    met = "on time" if review.decisions_circulated_on <= review.decisions_due else "late"
    _event(review, review.decisions_circulated_on, f"Review decisions circulated ({met})", by)
    return review


@transaction.atomic
def review_complete(*, review: Review, on: date, by: User) -> Review:
    """CLA-14: the full record completed within 20 WD of the review. After this the record
    changes only by amendment."""
    review = _locked(review)
    _require(policies.can_chair_actions(by, review), "Only the child's IRO can complete it.")
    if review.status != workflow.HELD:
        raise InvalidTransition("Record the review as held before completing its record.")
    if review.record_completed_on is not None:
        raise InvalidTransition("The record has already been completed.")
    review.record_completed_on = _after_date(review, on, "on", "the record was completed")
    review.save(update_fields=["record_completed_on", "updated_at"])
    met = "on time" if review.record_completed_on <= review.record_due else "late"
    _event(review, review.record_completed_on, f"Review record completed ({met})", by)
    return review


# Decisions and footprint -------------------------------------------------------------------


@transaction.atomic
def decision_add(
    *, review: Review, text: str, owner: User | None, owner_role: str, due_date: date, by: User
) -> Decision:
    _require(policies.can_edit_content(by, review), "Only the child's IRO can add decisions.")
    if review.status != workflow.HELD:
        raise InvalidTransition("Record the review as held before adding its decisions.")
    if not text.strip():
        raise RuleViolation("Enter the decision.", field="text")
    if owner is None and not owner_role.strip():
        raise RuleViolation("Say who is responsible for the decision.", field="owner")
    if due_date is None:
        raise RuleViolation("Enter the date the decision is due.", field="due_date")
    if due_date < review.held_date:
        raise RuleViolation("A decision cannot be due before the review.", field="due_date")
    return Decision.objects.create(
        review=review,
        text=text.strip(),
        owner=owner,
        owner_role=owner_role.strip(),
        due_date=due_date,
    )


@transaction.atomic
def decision_update(*, decision: Decision, status: str, note: str, by: User) -> Decision:
    """The owner or the IRO moves a decision on: done, not done, superseded (or reopened)."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("review__child")
        .get(pk=decision.pk)
    )
    _require(policies.can_update_decision(by, decision), "You cannot update this decision.")
    if status not in Decision.Status.values:
        raise RuleViolation("Choose the decision's status.", field="status")
    if status == Decision.Status.NOT_DONE and not note.strip():
        raise RuleViolation("Say why the decision was not done.", field="note")
    previous = decision.status
    decision.status, decision.status_note = status, note.strip()
    decision.save(update_fields=["status", "status_note", "updated_at"])
    if previous != status:
        label = Decision.Status(status).label.lower()
        _event(decision.review, timezone.localdate(), f"Review decision marked {label}", by)
    return decision


@transaction.atomic
def footprint_add(*, child: Child, kind: str, on: date, note: str, by: User) -> FootprintNote:
    """The IRO's footprint between reviews: oversight contacts and the midway check."""
    if not (policies.is_allocated_iro(by, Review(child=child))):
        raise NotPermitted("Only the child's IRO can add to their footprint.")
    if kind not in FootprintNote.Kind.values:
        raise RuleViolation("Choose the kind of note.", field="kind")
    _not_in_future(on, "on", "of the note")
    if not note.strip():
        raise RuleViolation("Enter the note.", field="note")
    footprint = FootprintNote.objects.create(
        child=child, kind=kind, on=on, note=note.strip(), by=by
    )
    event_record(child=child, on=on, kind="review", summary=FootprintNote.Kind(kind).label, by=by)
    return footprint
