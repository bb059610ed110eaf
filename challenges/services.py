"""Writes of the Issues Resolution Process (DOMAIN.md section 7; DR-1 .. DR-4): raise,
respond, accept, withdraw, escalate, reassign, recovery actions. Approvals and Cafcass are in
``challenges.decisions`` and re-exported here, so callers use one module.

Every transition locks the challenge row, checks the policy, asks ``workflow.next_state``,
moves the state, opens the next stage with its stored due date, writes a ``ChallengeEvent``
and a line on the timeline of every child the challenge covers (``challenges.steps``).

``version`` (optional on every transition) is the version of the challenge the user was
looking at: if someone else moved it meanwhile, the step is refused with a message rather
than acting on a state the user has not seen.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from challenges import policies, steps, workflow
from challenges.decisions import (
    approval_approve,
    approval_decline,
    cafcass_response_record,
    challenge_refer_to_cafcass,
    challenge_request_approval,
)
from challenges.models import Challenge, ChallengeDraft, ChallengeReason, RecoveryAction
from challenges.steps import ActionInput, responder_for, stage_config
from children.models import Child
from children.selectors import with_status
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from people.models import Team, User

__all__ = [
    "ActionInput",
    "approval_approve",
    "approval_decline",
    "cafcass_response_record",
    "challenge_accept",
    "challenge_amend",
    "challenge_escalate",
    "challenge_raise",
    "challenge_reassign",
    "challenge_refer_to_cafcass",
    "challenge_request_approval",
    "challenge_respond",
    "challenge_withdraw",
    "recovery_action_set_status",
    "responder_for",
    "stage_config",
]


# Raise -----------------------------------------------------------------------------------


def _category(scope: str, children: Sequence[Child]) -> str:
    if scope == Challenge.Scope.SERVICE:
        return Challenge.Category.SERVICE
    first = with_status(Child.objects.filter(pk=children[0].pk)).first()
    if first is not None and first.in_care:
        return Challenge.Category.CLA
    if first is not None and first.on_plan:
        return Challenge.Category.CP
    return Challenge.Category.OTHER


@transaction.atomic
def challenge_raise(
    *,
    children: Sequence[Child],
    reasons: Iterable[ChallengeReason],
    what_is_wrong: str,
    impact_on_child: str,
    what_must_happen: str,
    happen_by: date | None = None,
    child_view: str = "",
    scope: str = Challenge.Scope.CHILD,
    stage: str = workflow.INFORMAL,
    skipped_reason: str = "",
    team: Team | None = None,
    source: str = "",
    by: User,
) -> Challenge:
    """Raise a challenge about one child, a sibling group or a service-level cohort.

    It starts at the informal stage (IRO Handbook 6.1, DR-1) or, at the IRO's choice, at a
    formal stage with a reason for skipping (DR-4). ``source`` names what it was raised
    from ("review-decision:123", "audit-finding:9"); callers prefill the text and reasons.
    """
    if not policies.can_raise(by):
        raise NotPermitted("Only IROs and conference chairs can raise a challenge.")
    if scope not in Challenge.Scope.values:
        raise RuleViolation("Choose who the challenge is about.", field="scope")
    children = list(dict.fromkeys(children))
    if not children:
        raise RuleViolation("Choose the child or children this is about.", field="children")
    if scope == Challenge.Scope.CHILD and len(children) > 1:
        scope = Challenge.Scope.SIBLINGS
    reasons = list(reasons)
    if not reasons:
        raise RuleViolation("Choose at least one reason.", field="reasons")
    if stage not in workflow.STAGES or stage == workflow.CAFCASS:
        raise RuleViolation("Choose the stage to start at.", field="stage")
    if steps.stage_config(stage).needs_approval:
        raise RuleViolation(
            f"{workflow.STAGE_LABELS[stage]} needs the IRO service manager's approval: raise "
            "the challenge at an earlier stage, then ask for approval to escalate.",
            field="stage",
        )
    skipped = (
        steps.check_skip(workflow.INFORMAL, stage, skipped_reason)
        if stage != workflow.INFORMAL
        else ""
    )
    if stage != workflow.INFORMAL and not skipped:
        raise RuleViolation("Say why you are not starting informally.", field="skipped_reason")
    today = timezone.localdate()
    challenge = Challenge.objects.create(
        scope=scope,
        category=_category(scope, children),
        team=team or children[0].team,
        what_is_wrong=steps.required(what_is_wrong, "Say what is wrong.", "what_is_wrong"),
        impact_on_child=steps.required(
            impact_on_child, "Say what the impact is on the child.", "impact_on_child"
        ),
        what_must_happen=steps.required(
            what_must_happen, "Say what must happen.", "what_must_happen"
        ),
        happen_by=happen_by,
        child_view=child_view.strip(),
        source=source,
        raised_by=by,
        raised_on=today,
        stage=stage,
        status=workflow.AWAITING_RESPONSE,
    )
    challenge.reference = f"CH-{challenge.pk:05d}"
    challenge.children.set(children)
    challenge.reasons.set(reasons)
    steps.open_stage(challenge, stage=stage, on=today, skipped_reason=skipped)
    challenge.save(update_fields=["reference", "current", "stage", "formal_start", "formal_due"])
    steps.record_event(
        challenge,
        action="raise",
        by=by,
        before=("", ""),
        summary=f"Challenge raised at {challenge.stage_label.lower()}",
        why=skipped,
    )
    ChallengeDraft.objects.filter(author=by, child__in=children).delete()
    return challenge


# Respond, accept, withdraw ---------------------------------------------------------------


@transaction.atomic
def challenge_respond(
    *,
    challenge: Challenge,
    response: str,
    actions: Sequence[ActionInput] = (),
    by: User,
    version: int | None = None,
) -> Challenge:
    """The responder's answer at the current stage, with an optional recovery plan."""
    challenge = steps.lock(challenge, version)
    if not policies.can_respond(by, challenge):
        raise NotPermitted("Only the person this stage is with can respond to it.")
    before = (challenge.status, challenge.stage)
    challenge.status, _ = workflow.next_state(
        status=challenge.status, stage=challenge.stage, action=workflow.RESPOND
    )
    text = steps.required(response, "Enter your response.", "response")
    stage = challenge.current
    assert stage is not None
    stage.response, stage.responded_at = text, timezone.now()
    stage.responded_on, stage.responded_by = timezone.localdate(), by
    stage.save(update_fields=["response", "responded_at", "responded_on", "responded_by"])
    for item in actions:
        RecoveryAction.objects.create(
            challenge=challenge,
            stage=stage,
            text=steps.required(item.text, "Describe each action.", "actions"),
            owner=item.owner,
            due_date=item.due_date,
        )
    steps.save_version(challenge, "status")
    plan = f" with a recovery plan of {len(actions)} action{'s' if len(actions) != 1 else ''}"
    steps.record_event(
        challenge,
        action=workflow.RESPOND,
        by=by,
        before=before,
        summary=f"Response at {stage.label.lower()}{plan if actions else ''}",
    )
    ChallengeDraft.objects.filter(author=by, challenge=challenge).delete()
    return challenge


@transaction.atomic
def challenge_draft_save(
    *,
    data: Mapping[str, list[str]],
    child: Child | None = None,
    challenge: Challenge | None = None,
    by: User,
) -> ChallengeDraft:
    """Keep what the person has typed, unvalidated, so a session that ends never loses it:
    the raise form about ``child`` (someone who may raise challenges), or the response form
    to ``challenge`` (the person its current stage is with). Exactly one of the two."""
    if challenge is not None and not policies.can_respond(by, challenge):
        raise NotPermitted("Only the person this stage is with can respond to it.")
    if child is not None and not policies.can_raise(by):
        raise NotPermitted("Only IROs and conference chairs can raise a challenge.")
    draft, _ = ChallengeDraft.objects.update_or_create(
        author=by, child=child, challenge=challenge, defaults={"data": dict(data)}
    )
    return draft


@transaction.atomic
def challenge_accept(
    *, challenge: Challenge, outcome: str, what_changed: str, by: User, version: int | None = None
) -> Challenge:
    """The IRO accepts: resolved at the current stage, with the outcome and what changed for
    the child (DR-4: record the outcome)."""
    challenge = steps.lock(challenge, version)
    steps.require_iro(by, challenge)
    before = (challenge.status, challenge.stage)
    challenge.status, _ = workflow.next_state(
        status=challenge.status, stage=challenge.stage, action=workflow.ACCEPT
    )
    challenge.outcome = steps.required(outcome, "Enter the outcome.", "outcome")
    challenge.what_changed = steps.required(
        what_changed, "Say what changed for the child.", "what_changed"
    )
    challenge.finished_on = timezone.localdate()
    steps.end_current_stage(challenge, challenge.finished_on)
    steps.save_version(challenge, "status", "outcome", "what_changed", "finished_on")
    steps.record_event(
        challenge,
        action=workflow.ACCEPT,
        by=by,
        before=before,
        summary=f"Challenge resolved at {challenge.stage_label.lower()}",
        why=challenge.outcome,
    )
    return challenge


@transaction.atomic
def challenge_withdraw(
    *, challenge: Challenge, reason: str, by: User, version: int | None = None
) -> Challenge:
    challenge = steps.lock(challenge, version)
    steps.require_iro(by, challenge)
    before = (challenge.status, challenge.stage)
    challenge.status, _ = workflow.next_state(
        status=challenge.status, stage=challenge.stage, action=workflow.WITHDRAW
    )
    challenge.withdrawn_reason = steps.required(reason, "Say why it is withdrawn.", "reason")
    challenge.finished_on = timezone.localdate()
    steps.end_current_stage(challenge, challenge.finished_on)
    steps.save_version(challenge, "status", "withdrawn_reason", "finished_on")
    steps.record_event(
        challenge,
        action=workflow.WITHDRAW,
        by=by,
        before=before,
        summary="Challenge withdrawn",
        why=challenge.withdrawn_reason,
    )
    return challenge


# Escalation ------------------------------------------------------------------------------


@transaction.atomic
def challenge_escalate(
    *,
    challenge: Challenge,
    target_stage: str,
    reason: str,
    skipped_reason: str = "",
    by: User,
    version: int | None = None,
) -> Challenge:
    """The IRO escalates to the next or a later stage (DR-2; skipping with a reason, DR-4).
    A stage that needs approval is refused here: ask for approval instead."""
    challenge = steps.lock(challenge, version)
    steps.require_iro(by, challenge)
    before = (challenge.status, challenge.stage)
    status, target = workflow.next_state(
        status=challenge.status,
        stage=challenge.stage,
        action=workflow.ESCALATE,
        target_stage=target_stage,
    )
    if steps.stage_config(target).needs_approval:
        raise InvalidTransition(
            f"Escalation to {workflow.STAGE_LABELS[target].lower()} needs the IRO service "
            "manager's approval: ask for approval instead."
        )
    if target == workflow.CAFCASS:
        raise InvalidTransition("Refer the challenge to Cafcass with the referral form.")
    why = steps.required(reason, "Say why you are escalating.", "reason")
    skipped = steps.check_skip(challenge.stage, target, skipped_reason)
    challenge.status = status
    steps.escalate_into(
        challenge, target=target, reason=why, skipped_reason=skipped, on=timezone.localdate()
    )
    steps.save_version(challenge, "status", "stage", "current", "formal_start", "formal_due")
    steps.record_event(
        challenge,
        action=workflow.ESCALATE,
        by=by,
        before=before,
        summary=f"Escalated to {challenge.stage_label.lower()}",
        why=why,
    )
    return challenge


# Reassignment and recovery actions ------------------------------------------------------


@transaction.atomic
def challenge_reassign(
    *, challenge: Challenge, responder: User, reason: str, by: User, version: int | None = None
) -> Challenge:
    """Give the current stage to someone else, saying why; the due date does not move."""
    challenge = steps.lock(challenge, version)
    if not policies.can_reassign(by, challenge):
        raise NotPermitted("Only the IRO or the person the stage is with can reassign it.")
    current = challenge.current
    if not challenge.is_open or current is None or current.responded_on or current.ended_on:
        raise InvalidTransition("Only a stage still waiting for a response can be reassigned.")
    current.responder = responder
    current.reassigned_reason = steps.required(reason, "Say why it is being reassigned.", "reason")
    current.save(update_fields=["responder", "reassigned_reason"])
    before = (challenge.status, challenge.stage)
    steps.save_version(challenge)
    steps.record_event(
        challenge,
        action="reassign",
        by=by,
        before=before,
        summary=f"{current.label} reassigned",
        why=current.reassigned_reason,
    )
    return challenge


@transaction.atomic
def recovery_action_set_status(*, action: RecoveryAction, status: str, by: User) -> RecoveryAction:
    challenge = steps.lock(action.challenge, None)
    if not (policies.can_act_for_iro(by, challenge) or action.owner_id == by.pk):
        raise NotPermitted("Only the IRO or the action's owner can update it.")
    if status not in RecoveryAction.Status.values:
        raise RuleViolation("Choose a status.", field="status")
    action.status = status
    action.save(update_fields=["status"])
    return action


@transaction.atomic
def challenge_amend(
    *, challenge: Challenge, outcome: str, what_changed: str, reason: str, by: User
) -> Challenge:
    """A resolved, withdrawn or closed challenge is read-only except for this: the IRO may
    amend the outcome and what changed for the child, saying why. The original is kept in
    the history and in the event, with the reason."""
    challenge = steps.lock(challenge, None)
    steps.require_iro(by, challenge)
    if challenge.is_open:
        raise InvalidTransition(
            "An open challenge changes through its stages: it cannot be amended."
        )
    why = steps.required(reason, "Say why you are amending it.", "reason")
    original = (
        f"Outcome was: {challenge.outcome or 'none'}. "
        f"What changed was: {challenge.what_changed or 'none'}."
    )
    challenge.outcome = steps.required(outcome, "Enter the outcome.", "outcome")
    challenge.what_changed = what_changed.strip()
    steps.save_version(challenge, "outcome", "what_changed")
    steps.record_event(
        challenge,
        action="amend",
        by=by,
        before=(challenge.status, challenge.stage),
        summary="Outcome amended",
        why=f"{why}\n{original}",
    )
    return challenge
