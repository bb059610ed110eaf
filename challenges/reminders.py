"""The Issues Resolution Process's reminder rules, registered with the reminders app in
``ChallengesConfig.ready``. Wording and references carry the challenge's reference only,
never a child's name or what the challenge is about (SECURITY.md T4).

- DR-DUE: the current stage's response coming up and due (the responder; DR-1/DR-2).
- DR-OVERDUE: the response overdue (the responder and the responder's manager).
- DR-ESCALATE: the response overdue, with the offer to escalate (the IRO who raised it;
  issue 6 "Overdue", IRO Handbook 6.2).
- DR-APPROVAL: an escalation or Cafcass referral waiting for the IRO service manager.
- DR-ACTION: a recovery-plan action past its due date and still open (its owner, the IRO).
- DR-CLINIC-ACTION: an action agreed at a challenge clinic past its due date and still open
  (its owner, and the IRO service manager who chaired the clinic).

A challenge may cover many children, so its reminders are not tied to one child: instead
each recipient must be able to see at least one child the challenge covers, as on the
challenge pages (``challenges_visible_to``).
"""

from collections.abc import Iterable, Mapping

from django.db.models import F
from django.db.models.functions import TruncDate
from django.urls import reverse

from challenges import workflow
from challenges.models import Approval, ChallengeStage, Clinic, ClinicAction, RecoveryAction
from challenges.selectors import challenges_visible_pairs, clinic_children_seen_pairs
from people.models import Team, User
from people.roles import Role
from people.selectors import users_with_roles
from reminders.models import Group
from reminders.registry import ReminderRule, Threshold, register

ESCALATIONS = Group.ESCALATIONS


def only_visible(
    people: Mapping[int, Iterable[int]], challenge_of: Mapping[int, int]
) -> dict[int, list[int]]:
    """Drop each recipient who cannot see the subject's challenge: asked once for every
    recipient and challenge together (``challenges_visible_pairs``), never per recipient."""
    seen = challenges_visible_pairs(
        (user, challenge_of[subject]) for subject, users in people.items() for user in users if user
    )
    return {
        subject: [user for user in users if (user, challenge_of[subject]) in seen]
        for subject, users in people.items()
    }


def manager_of(user: User | None, teams: Mapping[int, Team]) -> int | None:
    """The person above ``user`` in the team tree: the manager of their team, or of the
    team above when they manage their own team themselves."""
    if user is None or user.team_id is None:
        return None
    node = teams.get(user.team_id)
    while node is not None:
        if node.manager_id and node.manager_id != user.pk:
            return node.manager_id
        node = teams.get(node.parent_id) if node.parent_id else None
    return None


def _stages(stage_ids: list[int]) -> list[ChallengeStage]:
    return list(
        ChallengeStage.objects.filter(pk__any=stage_ids).select_related("responder", "challenge")
    )


def _responders(stage_ids: list[int]) -> Mapping[int, Iterable[int]]:
    stages = _stages(stage_ids)
    people = {stage.pk: [stage.responder_id] if stage.responder_id else [] for stage in stages}
    return only_visible(people, {stage.pk: stage.challenge_id for stage in stages})


def _responders_and_managers(stage_ids: list[int]) -> Mapping[int, Iterable[int]]:
    stages = _stages(stage_ids)
    teams = {team.pk: team for team in Team.objects.only("pk", "parent_id", "manager_id")}
    people = {
        stage.pk: [
            user
            for user in (stage.responder_id, manager_of(stage.responder, teams))
            if user is not None
        ]
        for stage in stages
    }
    return only_visible(people, {stage.pk: stage.challenge_id for stage in stages})


def _raisers(stage_ids: list[int]) -> Mapping[int, Iterable[int]]:
    stages = _stages(stage_ids)
    people = {stage.pk: [stage.challenge.raised_by_id] for stage in stages}
    return only_visible(people, {stage.pk: stage.challenge_id for stage in stages})


def _approvers(approval_ids: list[int]) -> Mapping[int, Iterable[int]]:
    """IRO service managers, never the person who asked (nobody approves their own)."""
    managers = list(users_with_roles([Role.IRO_MANAGER]).values_list("pk", flat=True))
    rows = Approval.objects.filter(pk__any=approval_ids).values_list(
        "pk", "challenge_id", "requested_by_id"
    )
    people, challenge_of = {}, {}
    for pk, challenge_id, requester in rows:
        people[pk] = [manager for manager in managers if manager != requester]
        challenge_of[pk] = challenge_id
    return only_visible(people, challenge_of)


def _action_people(action_ids: list[int]) -> Mapping[int, Iterable[int]]:
    rows = RecoveryAction.objects.filter(pk__any=action_ids).values_list(
        "pk", "challenge_id", "owner_id", "challenge__raised_by_id"
    )
    people, challenge_of = {}, {}
    for pk, challenge_id, owner, iro in rows:
        people[pk] = [user for user in (owner, iro) if user]
        challenge_of[pk] = challenge_id
    return only_visible(people, challenge_of)


def _clinic_action_people(action_ids: list[int]) -> Mapping[int, Iterable[int]]:
    """The owner and the chair, each only if they can still see a child the clinic covers
    (both are involved in it, so that is all ``clinics_visible_to`` asks of them)."""
    rows = list(
        ClinicAction.objects.filter(pk__any=action_ids).values_list(
            "pk", "clinic_id", "owner_id", "clinic__chair_id"
        )
    )
    seen = clinic_children_seen_pairs(
        (user, clinic) for _, clinic, owner, chair in rows for user in (owner, chair) if user
    )
    return {
        pk: [user for user in dict.fromkeys((owner, chair)) if (user, clinic) in seen]
        for pk, clinic, owner, chair in rows
    }


def _open_stages():  # type: ignore[no-untyped-def]
    """The stage each challenge awaits a response at: its current, unanswered stage."""
    return ChallengeStage.objects.filter(
        responded_on__isnull=True,
        ended_on__isnull=True,
        response_due__isnull=False,
        challenge__status=workflow.AWAITING_RESPONSE,
        challenge__current=F("pk"),
    )


def _reference(row: Mapping[str, object]) -> str:
    return str(row["challenge__reference"] or f"CH-{row['challenge_id']:05d}")


def _link(row: Mapping[str, object]) -> str:
    return reverse("challenges:detail", args=[row["challenge_id"]])


_ROW = ("challenge_id", "challenge__reference")
_OVERDUE = (Threshold.after(1), Threshold.weekly_while_overdue())

RULES = (
    ReminderRule(
        code="DR-DUE",
        title="Challenge response due",
        group=Group.DEADLINES,
        open_items=_open_stages,
        due_field="response_due",
        child_field="",
        values=_ROW,
        thresholds=(Threshold.before(2), Threshold.on_the_day()),
        recipients=_responders,
        wording="Challenge {reference}: your response {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_link,
    ),
    ReminderRule(
        code="DR-OVERDUE",
        title="Challenge response overdue",
        group=ESCALATIONS,
        open_items=_open_stages,
        due_field="response_due",
        child_field="",
        values=_ROW,
        thresholds=_OVERDUE,
        recipients=_responders_and_managers,
        wording="Challenge {reference}: the response {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_link,
    ),
    ReminderRule(
        code="DR-ESCALATE",
        title="Challenge response overdue: escalate?",
        group=ESCALATIONS,
        open_items=_open_stages,
        due_field="response_due",
        child_field="",
        values=_ROW,
        thresholds=_OVERDUE,
        recipients=_raisers,
        wording="Challenge {reference}: the response {when} ({due:%d %B %Y}). "
        "You can escalate it to the next stage.",
        reference=_reference,
        link=_link,
    ),
    ReminderRule(
        code="DR-APPROVAL",
        title="Approval waiting for a decision",
        group=ESCALATIONS,
        # The London day it was asked for (TruncDate uses the current time zone).
        open_items=lambda: Approval.objects.filter(decision=Approval.Decision.PENDING).annotate(
            requested_on=TruncDate("requested_at")
        ),
        due_field="requested_on",
        child_field="",
        values=_ROW,
        thresholds=(Threshold.on_the_day(), Threshold.after(2), Threshold.weekly_while_overdue()),
        recipients=_approvers,
        wording="Challenge {reference}: a request waits for your decision (asked {due:%d %B %Y})",
        reference=_reference,
        link=lambda row: reverse("challenges:decide", args=[row["id"]]),
    ),
    ReminderRule(
        code="DR-ACTION",
        title="Recovery plan action overdue",
        group=Group.DEADLINES,
        # A resolved challenge's recovery plan is still being carried out.
        open_items=lambda: RecoveryAction.objects.filter(status=RecoveryAction.Status.OPEN).exclude(
            challenge__status=workflow.WITHDRAWN
        ),
        due_field="due_date",
        child_field="",
        values=_ROW,
        thresholds=(Threshold.on_the_day(), Threshold.after(1), Threshold.weekly_while_overdue()),
        recipients=_action_people,
        wording="An action agreed on challenge {reference} {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_link,
    ),
    ReminderRule(
        code="DR-CLINIC-ACTION",
        title="Challenge clinic action overdue",
        group=Group.DEADLINES,
        open_items=lambda: ClinicAction.objects.filter(
            status=ClinicAction.Status.OPEN, clinic__status=Clinic.Status.HELD
        ),
        due_field="due_date",
        child_field="",
        values=("clinic_id", "clinic__reference"),
        thresholds=(Threshold.on_the_day(), Threshold.after(1), Threshold.weekly_while_overdue()),
        recipients=_clinic_action_people,
        wording="An action agreed at challenge clinic {reference} {when} ({due:%d %B %Y})",
        reference=lambda row: str(row["clinic__reference"]),
        link=lambda row: reverse("challenges:clinic", args=[row["clinic_id"]]),
    ),
)


def register_all() -> None:
    for rule in RULES:
        register(rule)
