"""Decisions on a challenge: the IRO service manager's approval of an escalation or a
Cafcass referral (nobody decides their own request), and referral to Cafcass at any stage
or alongside a formal stage (CA1989 s25B(3); DR-4)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from challenges import policies, steps, workflow
from challenges.models import Approval, CafcassReferral, Challenge
from iro_service.core.errors import InvalidTransition, NotPermitted
from people.models import User


@transaction.atomic
def challenge_request_approval(
    *,
    challenge: Challenge,
    target_stage: str,
    reason: str,
    skipped_reason: str = "",
    by: User,
    version: int | None = None,
    referral: CafcassReferral | None = None,
) -> Approval:
    """Ask the IRO service manager to approve escalation to ``target_stage`` (stage 3 or
    beyond and Cafcass by default; StageConfig.needs_approval)."""
    challenge = steps.lock(challenge, version)
    steps.require_iro(by, challenge)
    before = (challenge.status, challenge.stage)
    workflow.next_state(
        status=challenge.status,
        stage=challenge.stage,
        action=workflow.ESCALATE,
        target_stage=target_stage,
    )
    challenge.status, _ = workflow.next_state(
        status=challenge.status, stage=challenge.stage, action=workflow.REQUEST_APPROVAL
    )
    why = steps.required(reason, "Say why you are escalating.", "reason")
    skipped = steps.check_skip(challenge.stage, target_stage, skipped_reason)
    approval = Approval.objects.create(
        challenge=challenge,
        target_stage=target_stage,
        referral=referral,
        reason=why,
        skipped_reason=skipped,
        requested_by=by,
    )
    steps.save_version(challenge, "status")
    steps.record_event(
        challenge,
        action=workflow.REQUEST_APPROVAL,
        by=by,
        before=before,
        summary=f"Approval asked to escalate to {workflow.STAGE_LABELS[target_stage].lower()}",
        why=why,
    )
    return approval


def _lock_approval(approval: Approval, by: User) -> tuple[Approval, Challenge]:
    challenge = steps.lock(approval.challenge, None)
    approval = Approval.objects.select_for_update(of=("self",)).get(pk=approval.pk)
    if approval.decision != Approval.Decision.PENDING:
        raise InvalidTransition("This request has already been decided.")
    if approval.requested_by_id == by.pk:
        raise NotPermitted("You cannot decide your own request: another manager must.")
    if not policies.can_decide(by, approval):
        raise NotPermitted("Only the IRO service manager can decide this request.")
    return approval, challenge


def _decide(approval: Approval, decision: str, comment: str, by: User) -> None:
    approval.decision, approval.comment = decision, comment.strip()
    approval.decided_by, approval.decided_at = by, timezone.now()
    approval.save(update_fields=["decision", "comment", "decided_by", "decided_at"])


def _is_concurrent_referral(approval: Approval) -> bool:
    return approval.referral is not None and approval.referral.concurrent


@transaction.atomic
def approval_approve(*, approval: Approval, comment: str = "", by: User) -> Approval:
    """Approve: the challenge moves to the approved stage; an approved Cafcass referral is
    made (a concurrent one leaves the current stage running, DR-4)."""
    approval, challenge = _lock_approval(approval, by)
    before = (challenge.status, challenge.stage)
    _decide(approval, Approval.Decision.APPROVED, comment, by)
    if not _is_concurrent_referral(approval):
        challenge.status, target = workflow.next_state(
            status=challenge.status,
            stage=challenge.stage,
            action=workflow.APPROVE,
            target_stage=approval.target_stage,
        )
        steps.escalate_into(
            challenge,
            target=target,
            reason=approval.reason,
            skipped_reason=approval.skipped_reason,
            on=timezone.localdate(),
        )
    if approval.referral is not None:
        _referral_set_status(approval.referral, CafcassReferral.Status.REFERRED)
    steps.save_version(challenge, "status", "stage", "current", "formal_start", "formal_due")
    steps.record_event(
        challenge,
        action=workflow.APPROVE,
        by=by,
        before=before,
        summary=f"Escalation to {approval.get_target_stage_display().lower()} approved",
        why=approval.comment,
    )
    return approval


@transaction.atomic
def approval_decline(*, approval: Approval, comment: str, by: User) -> Approval:
    """Decline: the challenge returns to the IRO with the comment."""
    approval, challenge = _lock_approval(approval, by)
    before = (challenge.status, challenge.stage)
    text = steps.required(comment, "Say why you are declining, for the IRO.", "comment")
    if not _is_concurrent_referral(approval):
        challenge.status, _ = workflow.next_state(
            status=challenge.status, stage=challenge.stage, action=workflow.DECLINE
        )
    _decide(approval, Approval.Decision.DECLINED, text, by)
    if approval.referral is not None:
        _referral_set_status(approval.referral, CafcassReferral.Status.DECLINED)
    steps.save_version(challenge, "status")
    steps.record_event(
        challenge,
        action=workflow.DECLINE,
        by=by,
        before=before,
        summary=f"Escalation to {approval.get_target_stage_display().lower()} declined",
        why=text,
    )
    return approval


# Cafcass ---------------------------------------------------------------------------------


def _referral_set_status(referral: CafcassReferral, status: str) -> None:
    referral.status = status
    referral.save(update_fields=["status"])


@transaction.atomic
def challenge_refer_to_cafcass(
    *,
    challenge: Challenge,
    reason: str,
    what_was_sent: str,
    child_wishes: str,
    concurrent: bool,
    referred_on: date | None = None,
    by: User,
    version: int | None = None,
) -> CafcassReferral:
    """Refer to Cafcass (CA1989 s25B(3), DR-4): at any stage, either alongside the current
    formal stage (``concurrent``) or instead of it (the challenge moves to Cafcass). Needs
    the IRO service manager's approval where the Cafcass stage settings say so."""
    locked = steps.lock(challenge, version)
    steps.require_iro(by, locked)
    if not locked.is_open or locked.stage == workflow.CAFCASS:
        raise InvalidTransition("Only an open challenge not already with Cafcass can be referred.")
    if locked.status == workflow.AWAITING_APPROVAL and not concurrent:
        raise InvalidTransition("This challenge is already waiting for approval.")
    needs_approval = steps.stage_config(workflow.CAFCASS).needs_approval
    referral = CafcassReferral.objects.create(
        challenge=locked,
        concurrent=concurrent,
        referred_on=referred_on or timezone.localdate(),
        reason=steps.required(reason, "Say why you are referring to Cafcass.", "reason"),
        what_was_sent=steps.required(
            what_was_sent, "Say what was sent to Cafcass.", "what_was_sent"
        ),
        child_wishes=steps.required(
            child_wishes, "Record the child's wishes about the referral.", "child_wishes"
        ),
        status=(
            CafcassReferral.Status.AWAITING_APPROVAL
            if needs_approval
            else CafcassReferral.Status.REFERRED
        ),
        referred_by=by,
    )
    if needs_approval and not concurrent:
        challenge_request_approval(
            challenge=locked,
            target_stage=workflow.CAFCASS,
            reason=referral.reason,
            skipped_reason="Referred to Cafcass",
            referral=referral,
            by=by,
        )
        return referral
    before = (locked.status, locked.stage)
    if needs_approval:
        Approval.objects.create(
            challenge=locked,
            target_stage=workflow.CAFCASS,
            referral=referral,
            reason=referral.reason,
            requested_by=by,
        )
        summary = "Approval asked to refer to Cafcass alongside the current stage"
    elif concurrent:
        summary = "Referred to Cafcass alongside the current stage"
    else:
        locked.status, target = workflow.next_state(
            status=locked.status,
            stage=locked.stage,
            action=workflow.ESCALATE,
            target_stage=workflow.CAFCASS,
        )
        steps.escalate_into(
            locked,
            target=target,
            reason=referral.reason,
            skipped_reason="",
            on=referral.referred_on,
        )
        summary = "Referred to Cafcass"
    steps.save_version(locked, "status", "stage", "current", "formal_start", "formal_due")
    steps.record_event(
        locked,
        action="refer_to_cafcass",
        by=by,
        before=before,
        summary=summary,
        why=referral.reason,
    )
    return referral


@transaction.atomic
def cafcass_response_record(
    *,
    referral: CafcassReferral,
    cafcass_response: str,
    outcome: str,
    responded_on: date | None = None,
    by: User,
) -> CafcassReferral:
    """Record Cafcass's response and outcome. A challenge that moved to Cafcass is then
    closed after Cafcass; a concurrent referral leaves the challenge where it is."""
    challenge = steps.lock(referral.challenge, None)
    steps.require_iro(by, challenge)
    referral = CafcassReferral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if referral.status != CafcassReferral.Status.REFERRED:
        raise InvalidTransition("Only a referral that has been made can have Cafcass's response.")
    referral.cafcass_response = steps.required(
        cafcass_response, "Enter Cafcass's response.", "cafcass_response"
    )
    referral.outcome = steps.required(outcome, "Enter the outcome.", "outcome")
    referral.responded_on = responded_on or timezone.localdate()
    referral.status = CafcassReferral.Status.CONCLUDED
    referral.save(update_fields=["cafcass_response", "outcome", "responded_on", "status"])
    before = (challenge.status, challenge.stage)
    summary = "Cafcass responded"
    if challenge.stage == workflow.CAFCASS and challenge.is_open:
        challenge.status, _ = workflow.next_state(
            status=challenge.status, stage=challenge.stage, action=workflow.CLOSE
        )
        challenge.outcome = referral.outcome
        challenge.finished_on = referral.responded_on
        steps.end_current_stage(challenge, challenge.finished_on)
        summary = "Cafcass responded; challenge closed after Cafcass"
    steps.save_version(challenge, "status", "outcome", "finished_on")
    steps.record_event(
        challenge,
        action="cafcass_response",
        by=by,
        before=before,
        summary=summary,
        why=referral.outcome,
    )
    return referral
