"""Writes of challenge clinics (issue 6, "Challenge clinics"): schedule, change invitees,
send invitations, record the findings and actions, cancel, update an action.

Each step locks the clinic, checks the policy, asks ``clinic_workflow.next_status``, saves
with ``update_fields`` (history by django-simple-history) and writes a ``ClinicEvent``.
Scheduling, the findings and a cancellation add a line to the timeline of each child the
clinic covers (a finding: of each child its item is about).

Emails (invitations, cancellations to those invited, and one to someone taken off the list
after their invitation was sent) carry the clinic's reference, time and a link only, never
a child's name or what a challenge is about (SECURITY.md T4).
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from challenges import clinic_workflow, policies
from challenges.cohorts import COHORTS, cohort_children
from challenges.models import (
    Challenge,
    Clinic,
    ClinicAction,
    ClinicEvent,
    ClinicInvitee,
    ClinicItem,
)
from children.models import Child, ChildEvent
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from iro_service.core.rich_text import plain_text
from people.models import Team, User
from people.roles import Role
from reminders.calendars import Meeting, ics_attachment
from reminders.services import email_queue

logger = logging.getLogger(__name__)

TIMELINE_KIND = "challenge_clinic"
Invited = ClinicInvitee.Role


@dataclass(frozen=True)
class ClinicActionInput:
    """One action agreed at the clinic on one of its items."""

    item_id: int
    text: str
    owner: User
    due_date: date


# Shared steps --------------------------------------------------------------------------------


def _require_runner(user: User) -> None:
    if not policies.can_run_clinics(user):
        raise NotPermitted("Only the IRO service manager can run challenge clinics.")


def _required(value: str, message: str, field: str) -> str:
    cleaned = plain_text((value or "").strip()).strip()
    if not cleaned:
        raise RuleViolation(message, field=field)
    return cleaned


def _lock(clinic: Clinic, version: int | None) -> Clinic:
    locked = Clinic.objects.select_for_update(of=("self",)).get(pk=clinic.pk)
    if version is not None and locked.version != version:
        raise InvalidTransition(
            f"Someone else has just changed this clinic (it is now "
            f"{locked.get_status_display().lower()}). Check the latest before you try again."
        )
    return locked


def _save(clinic: Clinic, *fields: str) -> None:
    clinic.version += 1
    clinic.save(update_fields=["version", *fields])


def _event(
    clinic: Clinic, *, action: str, by: User, before: str, summary: str, why: str = ""
) -> None:
    ClinicEvent.objects.create(
        clinic=clinic,
        action=action,
        by=by,
        from_status=before,
        to_status=clinic.status,
        summary=summary,
        why=why,
    )


def _timeline(child_ids: Iterable[int], *, on: date, summary: str, by: User) -> None:
    """One line on each child's timeline, in one insert however many children."""
    text = summary if len(summary) <= 300 else summary[:299] + "…"
    ChildEvent.objects.bulk_create(
        [
            ChildEvent(child_id=pk, occurred_on=on, kind=TIMELINE_KIND, summary=text, by=by)
            for pk in dict.fromkeys(child_ids)
        ],
        batch_size=1000,
    )


def _clinic_day(clinic: Clinic) -> date:
    return timezone.localtime(clinic.starts_at).date()


# Schedule ------------------------------------------------------------------------------------


def _manager_above(team_id: int | None, teams: Mapping[int, Team]) -> int | None:
    """The manager of the child's team, or the next manager up when the team has none (the
    team manager chain, ``people.services.team_manager_chain``, read from one query)."""
    node = teams.get(team_id) if team_id else None
    while node is not None:
        if node.manager_id:
            return node.manager_id
        node = teams.get(node.parent_id) if node.parent_id else None
    return None


def default_invitees(children: Sequence[Child]) -> dict[int, str]:
    """{user id: role} for the children's current allocations: the IRO, the social worker,
    and the manager of the child's team. The first role found for a person is kept."""
    teams = {team.pk: team for team in Team.objects.only("pk", "parent_id", "manager_id")}
    found: dict[int, str] = {}
    for child in children:
        for user_id, role in (
            (child.iro_id, Invited.IRO),
            (child.social_worker_id, Invited.SOCIAL_WORKER),
            (_manager_above(child.team_id, teams), Invited.TEAM_MANAGER),
        ):
            if user_id:
                found.setdefault(user_id, role)
    return found


def _check_when_and_where(starts_at: datetime, ends_at: datetime, venue: str, link: str) -> None:
    if timezone.localtime(starts_at).date() < timezone.localdate():
        raise RuleViolation(
            "A clinic cannot be scheduled in the past: choose today or a later date.", field="day"
        )
    if ends_at <= starts_at:
        raise RuleViolation("The clinic must end after it starts.", field="end")
    if not venue.strip() and not link.strip():
        raise RuleViolation("Enter the venue or an online meeting link.", field="venue")


def _check_panel(panel: Sequence[User]) -> list[User]:
    panel = list(dict.fromkeys(panel))
    if not panel:
        raise RuleViolation("Choose at least one head of service for the panel.", field="panel")
    for member in panel:
        if not member.is_active or not member.has_role(Role.HEAD_OF_SERVICE):
            raise RuleViolation(
                f"{member} is not a head of service: the panel is heads of service.",
                field="panel",
            )
    return panel


def _check_challenges(challenges: Sequence[Challenge]) -> list[Challenge]:
    challenges = list(dict.fromkeys(challenges))
    for challenge in challenges:
        if not challenge.is_open:
            raise RuleViolation(
                f"{challenge.reference} is {challenge.get_status_display().lower()}: a clinic "
                "considers open challenges.",
                field="challenges",
            )
    return challenges


@transaction.atomic
def clinic_schedule(
    *,
    starts_at: datetime,
    ends_at: datetime,
    venue: str = "",
    online_link: str = "",
    panel: Sequence[User],
    challenges: Sequence[Challenge] = (),
    cohort: str = "",
    by: User,
) -> Clinic:
    """Schedule a clinic chaired by ``by`` (the IRO service manager) on open challenges
    and/or a cohort (``challenges.cohorts``). The cohort's children are those ``by`` may
    see today, snapshotted now. Invites the panel and each child's IRO, social worker and
    team manager (``default_invitees``); invitations are sent separately."""
    _require_runner(by)
    _check_when_and_where(starts_at, ends_at, venue, online_link)
    panel = _check_panel(panel)
    challenges = _check_challenges(challenges)
    if cohort and cohort not in COHORTS:
        raise RuleViolation("Choose a cohort from the list.", field="cohort")
    if not challenges and not cohort:
        raise RuleViolation(
            "Choose the challenges or a cohort for the clinic to consider.", field="challenges"
        )
    cohort_kids = (
        list(cohort_children(user=by, key=cohort, today=timezone.localdate())) if cohort else []
    )
    if cohort and not cohort_kids:
        raise RuleViolation("No children you can see are in this cohort.", field="cohort")
    clinic = Clinic.objects.create(
        starts_at=starts_at,
        ends_at=ends_at,
        venue=plain_text(venue.strip()),
        online_link=online_link.strip(),
        chair=by,
        cohort=cohort,
        cohort_label=COHORTS[cohort].label if cohort else "",
        scheduled_by=by,
    )
    clinic.reference = f"CL-{clinic.pk:05d}"
    clinic.save(update_fields=["reference"])
    clinic.challenges.set(challenges)
    ClinicItem.objects.bulk_create(
        [ClinicItem(clinic=clinic, challenge=challenge) for challenge in challenges]
        + [ClinicItem(clinic=clinic, child=child) for child in cohort_kids]
    )
    covered = (
        list(Child.objects.filter(challenges__in=challenges).distinct().order_by("pk"))
        + cohort_kids
    )
    covered = list({child.pk: child for child in covered}.values())
    clinic.children.set(covered)
    # A head of service who is also a child's manager sits on the panel.
    _invite(clinic, default_invitees(covered) | {member.pk: Invited.PANEL for member in panel})
    _event(clinic, action="schedule", by=by, before="", summary="Clinic scheduled")
    when = timezone.localtime(starts_at)
    _timeline(
        (child.pk for child in covered),
        on=timezone.localdate(),
        summary=f"Challenge clinic {clinic.reference} booked for {when:%d/%m/%Y %H:%M}",
        by=by,
    )
    return clinic


def _invite(clinic: Clinic, people: Mapping[int, str]) -> None:
    active = set(User.objects.filter(pk__in=people, is_active=True).values_list("pk", flat=True))
    ClinicInvitee.objects.bulk_create(
        [
            ClinicInvitee(clinic=clinic, user_id=user_id, role=role)
            for user_id, role in people.items()
            if user_id in active
        ],
        ignore_conflicts=True,
    )


# Invitees and invitations --------------------------------------------------------------------


@transaction.atomic
def clinic_invitee_add(*, clinic: Clinic, user: User, role: str, by: User) -> ClinicInvitee:
    """Invite someone else (editable invitees); a panel member must be a head of service."""
    clinic = _lock(clinic, None)
    _require_runner(by)
    clinic_workflow.next_status(status=clinic.status, action=clinic_workflow.INVITE)
    if role not in Invited.values:
        raise RuleViolation("Choose why they are invited.", field="role")
    if role == Invited.PANEL:
        _check_panel([user])
    if not user.is_active:
        raise RuleViolation(f"{user} no longer has an account.", field="user")
    if clinic.invitees.filter(user=user).exists():
        raise RuleViolation(f"{user} is already invited.", field="user")
    invitee = ClinicInvitee.objects.create(clinic=clinic, user=user, role=role)
    _save(clinic)
    _event(
        clinic,
        action=clinic_workflow.INVITE,
        by=by,
        before=clinic.status,
        summary=f"{user} invited ({invitee.get_role_display().lower()})",
    )
    return invitee


@transaction.atomic
def clinic_invitee_remove(*, invitee: ClinicInvitee, by: User) -> bool:
    """Take someone off the invitation list; the panel keeps at least one head of service.
    If they were sent an invitation, they are emailed that they are no longer invited, with
    a calendar file that takes the clinic out of their calendar (``uninvitation_email``);
    nobody else is emailed. Returns whether they were sent that email."""
    clinic = _lock(invitee.clinic, None)
    _require_runner(by)
    clinic_workflow.next_status(status=clinic.status, action=clinic_workflow.INVITE)
    # Read again under the clinic's lock: invitations may have gone out since it was shown.
    invitee = clinic.invitees.select_related("user").filter(pk=invitee.pk).first()
    if invitee is None:
        raise RuleViolation("They have already been taken off the invitation list.")
    panel = clinic.invitees.filter(role=Invited.PANEL)
    if invitee.role == Invited.PANEL and not panel.exclude(pk=invitee.pk).exists():
        raise RuleViolation(
            "The panel needs at least one head of service: add another before you remove this one.",
            field="invitees",
        )
    user, was_sent = invitee.user, invitee.sent_at is not None
    invitee.delete()
    _save(clinic)
    if was_sent:
        # After ``_save``: the new version is higher than the invitation's sequence.
        subject, text, ics = uninvitation_email(clinic)
        email_queue(to=user.email, subject=subject, text=text, reference=clinic.reference, ics=ics)
        logger.info("clinic %s: uninvitation queued", clinic.pk)
    _event(
        clinic,
        action=clinic_workflow.INVITE,
        by=by,
        before=clinic.status,
        summary=f"{user} uninvited" + (": sent a cancellation" if was_sent else ""),
    )
    return was_sent


def _link(clinic: Clinic) -> str:
    return settings.SITE_URL + reverse("challenges:clinic", args=[clinic.pk])


def _meeting(clinic: Clinic) -> Meeting:
    """The clinic as a calendar event: its reference and time only (the venue is on the
    clinic page, behind sign-in). One UID per clinic, so a later file replaces the event;
    the sequence is the clinic's version, which only grows, so a cancellation outranks
    every invitation sent before it."""
    return Meeting(
        uid=f"clinic-{clinic.pk}",
        reference=f"Challenge clinic {clinic.reference}",
        starts=timezone.localtime(clinic.starts_at),
        ends=clinic.ends_at,
        cancelled=clinic.status == Clinic.Status.CANCELLED,
        sequence=clinic.version,
    )


def invitation_email(clinic: Clinic) -> tuple[str, str, bytes]:
    """(subject, text, .ics) of an invitation: the reference, the time and a link only."""
    starts = timezone.localtime(clinic.starts_at)
    subject = f"Invitation to challenge clinic {clinic.reference}"
    text = (
        "You are invited to a challenge clinic.\n\n"
        f"Reference: {clinic.reference}\n"
        f"Date: {starts:%d/%m/%Y %H:%M}\n"
        f"Sign in to see the details: {_link(clinic)}\n"
    )
    _, ics, _ = ics_attachment(_meeting(clinic))
    return subject, text, ics


def cancellation_email(clinic: Clinic) -> tuple[str, str, bytes]:
    """(subject, text, .ics) telling an invitee a cancelled clinic is off: the reference,
    the time and a link only. The reason stays on the clinic page, behind sign-in: it is
    free text and may name a child (SECURITY.md T4). The .ics (METHOD:CANCEL, the
    invitation's UID, a higher sequence) takes the clinic out of their calendar."""
    starts = timezone.localtime(clinic.starts_at)
    subject = f"Cancelled: challenge clinic {clinic.reference}"
    text = (
        "A challenge clinic you were invited to has been cancelled.\n\n"
        f"Reference: {clinic.reference}\n"
        f"Date: {starts:%d/%m/%Y %H:%M}\n"
        f"Sign in to see why: {_link(clinic)}\n\n"
        "The attached calendar file removes it from your calendar.\n"
    )
    _, ics, _ = ics_attachment(_meeting(clinic))
    return subject, text, ics


def uninvitation_email(clinic: Clinic) -> tuple[str, str, bytes]:
    """(subject, text, .ics) telling someone taken off the invitation list of a clinic that
    still goes ahead that they no longer need to attend: the reference, the time and a
    link only (SECURITY.md T4). The link is to their clinics: the clinic itself is no
    longer theirs to open. The .ics cancels the event for them alone (METHOD:CANCEL, the
    invitation's UID, a higher sequence)."""
    starts = timezone.localtime(clinic.starts_at)
    subject = f"No longer invited: challenge clinic {clinic.reference}"
    text = (
        "You have been taken off the invitation list of a challenge clinic, so you no "
        "longer need to attend.\n\n"
        f"Reference: {clinic.reference}\n"
        f"Date: {starts:%d/%m/%Y %H:%M}\n"
        f"Sign in to see your clinics: {settings.SITE_URL}{reverse('challenges:clinics')}\n\n"
        "The attached calendar file removes it from your calendar.\n"
    )
    _, ics, _ = ics_attachment(replace(_meeting(clinic), cancelled=True))
    return subject, text, ics


@transaction.atomic
def clinic_invitations_send(*, clinic: Clinic, by: User) -> int:
    """Record every unsent invitation as sent now and email each person through the
    reminders email gateway (claimed, retried, never sent twice). Returns how many."""
    clinic = _lock(clinic, None)
    _require_runner(by)
    clinic_workflow.next_status(status=clinic.status, action=clinic_workflow.SEND_INVITATIONS)
    unsent = list(clinic.invitees.filter(sent_at__isnull=True).select_related("user"))
    if not unsent:
        return 0
    now = timezone.now()
    subject, text, ics = invitation_email(clinic)
    for invitee in unsent:
        invitee.sent_at = now
        invitee.save(update_fields=["sent_at"])
        email_queue(
            to=invitee.user.email, subject=subject, text=text, reference=clinic.reference, ics=ics
        )
    logger.info("clinic %s: %s invitations queued", clinic.pk, len(unsent))
    _save(clinic)
    plural = "s" if len(unsent) != 1 else ""
    _event(
        clinic,
        action=clinic_workflow.SEND_INVITATIONS,
        by=by,
        before=clinic.status,
        summary=f"{len(unsent)} invitation{plural} sent",
    )
    return len(unsent)


# Record and cancel ---------------------------------------------------------------------------


def _children_of(items: Iterable[ClinicItem]) -> dict[int, list[int]]:
    """{item id: ids of the children it is about}, from one query for the challenges."""
    items = list(items)
    through = Challenge.children.through.objects.filter(
        challenge_id__in=[item.challenge_id for item in items if item.challenge_id]
    ).values_list("challenge_id", "child_id")
    by_challenge: dict[int, list[int]] = {}
    for challenge_id, child_id in through:
        by_challenge.setdefault(challenge_id, []).append(child_id)
    return {
        item.pk: [item.child_id] if item.child_id else by_challenge.get(item.challenge_id, [])
        for item in items
    }


def _record_findings(
    clinic: Clinic, items: dict[int, ClinicItem], findings: Mapping[int, str], by: User
) -> None:
    written = []
    for item_id, text in findings.items():
        finding = plain_text((text or "").strip()).strip()
        if not finding:
            continue
        item = items.get(item_id)
        if item is None:
            raise RuleViolation("A finding is about something this clinic does not consider.")
        item.finding = finding
        item.save(update_fields=["finding"])
        written.append(item)
    children = _children_of(written)
    for item in written:
        about = f" on {item.challenge.reference}" if item.challenge_id else ""
        _timeline(
            children[item.pk],
            on=clinic.held_on,
            summary=f"Challenge clinic {clinic.reference} finding{about}: {item.finding}",
            by=by,
        )


def _record_actions(
    clinic: Clinic, items: dict[int, ClinicItem], actions: Sequence[ClinicActionInput]
) -> None:
    for action in actions:
        if action.item_id not in items:
            raise RuleViolation("An action is about something this clinic does not consider.")
        if action.due_date < clinic.held_on:
            raise RuleViolation(
                "An action cannot be due before the clinic: enter a later due date.",
                field="actions",
            )
        ClinicAction.objects.create(
            clinic=clinic,
            item=items[action.item_id],
            text=_required(action.text, "Describe each action.", "actions"),
            owner=action.owner,
            due_date=action.due_date,
        )


@transaction.atomic
def clinic_record(
    *,
    clinic: Clinic,
    summary: str,
    findings: Mapping[int, str],
    actions: Sequence[ClinicActionInput] = (),
    by: User,
    version: int | None = None,
) -> Clinic:
    """Record the clinic as held: the overall summary, a finding per item (``{item id:
    text}``; markup removed, SECURITY.md T10) and actions with owners and due dates. Each
    finding goes on the timeline of every child its item is about."""
    clinic = _lock(clinic, version)
    _require_runner(by)
    before = clinic.status
    clinic.status = clinic_workflow.next_status(status=clinic.status, action=clinic_workflow.RECORD)
    day = _clinic_day(clinic)
    if day > timezone.localdate():
        raise InvalidTransition(f"The clinic is on {day:%d %B %Y}: record it on or after that day.")
    clinic.summary = _required(summary, "Enter the clinic's overall summary.", "summary")
    clinic.held_on = day
    items = {item.pk: item for item in clinic.items.select_related("challenge")}
    _record_findings(clinic, items, findings, by)
    _record_actions(clinic, items, actions)
    _save(clinic, "status", "summary", "held_on")
    plural = "s" if len(actions) != 1 else ""
    _event(
        clinic,
        action=clinic_workflow.RECORD,
        by=by,
        before=before,
        summary=f"Clinic held: findings and {len(actions)} action{plural} recorded",
    )
    return clinic


def _email_cancellations(clinic: Clinic) -> int:
    """Email a cancellation to each invitee who was sent an invitation, through the same
    gateway as the invitations (sent after the commit, never twice). Returns how many."""
    addresses = list(
        clinic.invitees.filter(sent_at__isnull=False)
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    if not addresses:
        return 0
    subject, text, ics = cancellation_email(clinic)
    for address in addresses:
        email_queue(to=address, subject=subject, text=text, reference=clinic.reference, ics=ics)
    logger.info("clinic %s: %s cancellations queued", clinic.pk, len(addresses))
    return len(addresses)


@transaction.atomic
def clinic_cancel(*, clinic: Clinic, reason: str, by: User, version: int | None = None) -> int:
    """Cancel a scheduled clinic, saying why; its children's timelines say so. Everyone who
    was sent an invitation is emailed a cancellation that takes the clinic out of their
    calendar (nobody, if no invitation went out). Returns how many people were told."""
    clinic = _lock(clinic, version)
    _require_runner(by)
    before = clinic.status
    clinic.status = clinic_workflow.next_status(status=clinic.status, action=clinic_workflow.CANCEL)
    clinic.cancelled_reason = _required(reason, "Say why the clinic is cancelled.", "reason")
    _save(clinic, "status", "cancelled_reason")
    told = _email_cancellations(clinic)
    summary = "Clinic cancelled"
    if told:
        summary += f": {told} invitee{'s' if told != 1 else ''} sent a cancellation"
    _event(
        clinic,
        action=clinic_workflow.CANCEL,
        by=by,
        before=before,
        summary=summary,
        why=clinic.cancelled_reason,
    )
    _timeline(
        clinic.children.values_list("pk", flat=True),
        on=timezone.localdate(),
        summary=f"Challenge clinic {clinic.reference} cancelled",
        by=by,
    )
    return told


@transaction.atomic
def clinic_action_set_status(*, action: ClinicAction, status: str, by: User) -> ClinicAction:
    """The owner (or the IRO service manager) marks a clinic action done or not done."""
    action = ClinicAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not policies.can_update_clinic_action(by, action):
        raise NotPermitted("Only the action's owner or the IRO service manager can update it.")
    if status not in (ClinicAction.Status.DONE, ClinicAction.Status.NOT_DONE):
        raise RuleViolation("Choose done or not done.", field="status")
    action.status = status
    action.save(update_fields=["status"])
    return action
