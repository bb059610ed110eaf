"""The steps every Issues Resolution transition shares: find the stage's responder, lock
the challenge, open a stage with its stored due dates (DR-1, DR-2, DR-3), and record the event
on the challenge and on the timeline of every child it covers."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from challenges import policies, workflow
from challenges.deadlines import formal_due_compute, stage_due_compute, stage_rule
from challenges.models import Challenge, ChallengeEvent, ChallengeStage, StageConfig
from children.models import Child, ChildEvent
from children.services import event_record
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from people.models import Team, User
from timescales.services import rule_books, working_calendar


@dataclass(frozen=True)
class ActionInput:
    """One recovery plan action as entered by the responder."""

    text: str
    owner: User | None
    due_date: date


TIMELINE_KIND = "challenge"
_LEVEL_ORDER = {Team.Level.TEAM: 0, Team.Level.SERVICE: 1, Team.Level.DIRECTORATE: 2}
_OWNER_LEVEL = {
    StageConfig.OwnerLevel.TEAM_MANAGER: Team.Level.TEAM,
    StageConfig.OwnerLevel.HEAD_OF_SERVICE: Team.Level.SERVICE,
    StageConfig.OwnerLevel.DIRECTOR: Team.Level.DIRECTORATE,
}


def required(value: str, message: str, field: str) -> str:
    if not (value or "").strip():
        raise RuleViolation(message, field=field)
    return value.strip()


def stage_config(stage: str) -> StageConfig:
    config = StageConfig.objects.select_related("owner_user").filter(stage=stage).first()
    if config is None:  # the data migration seeds every stage; a deleted row falls back
        return StageConfig(stage=stage, owner_level=StageConfig.OwnerLevel.NONE)
    return config


def responder_for(*, stage: str, team: Team | None) -> User | None:
    """The person who answers at ``stage`` for a child of ``team``: a named person, or the
    manager at the stage's level of the team's chain; where that level has no manager, the
    next manager up. It walks the same parent links as ``people.services.team_manager_chain``
    but keeps each node's level, which the chain of users alone does not say."""
    config = stage_config(stage)
    if config.owner_level == StageConfig.OwnerLevel.NAMED_USER:
        return config.owner_user
    level = _OWNER_LEVEL.get(config.owner_level)
    if level is None or team is None:
        return None
    node: Team | None = team
    while node is not None:
        at_or_above = _LEVEL_ORDER.get(node.level, 0) >= _LEVEL_ORDER[level]
        if at_or_above and node.manager is not None:
            return node.manager
        node = node.parent
    return None


def lock(challenge: Challenge, version: int | None) -> Challenge:
    locked = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("current", "team")
        .get(pk=challenge.pk)
    )
    if version is not None and locked.version != version:
        raise InvalidTransition(
            "Someone else has just changed this challenge (it is now at "
            f"{locked.stage_label.lower()}, {locked.get_status_display().lower()}). "
            "Check the latest before you try again."
        )
    return locked


def timeline(challenge: Challenge, *, on: date, summary: str, by: User) -> None:
    """A line on the timeline of every child the challenge covers: one row for one child,
    one bulk insert for a service-level cohort."""
    text = f"{challenge.reference}: {summary}"[:300]
    child_ids = list(challenge.children.values_list("pk", flat=True))
    if len(child_ids) == 1:
        event_record(child=Child(pk=child_ids[0]), on=on, kind=TIMELINE_KIND, summary=text, by=by)
        return
    ChildEvent.objects.bulk_create(
        [
            ChildEvent(child_id=pk, occurred_on=on, kind=TIMELINE_KIND, summary=text, by=by)
            for pk in child_ids
        ],
        batch_size=1000,
    )


def record_event(
    challenge: Challenge,
    *,
    action: str,
    by: User,
    before: tuple[str, str],
    summary: str,
    why: str = "",
) -> None:
    ChallengeEvent.objects.create(
        challenge=challenge,
        action=action,
        by=by,
        from_status=before[0],
        from_stage=before[1],
        to_status=challenge.status,
        to_stage=challenge.stage,
        summary=summary,
        why=why,
    )
    timeline(challenge, on=timezone.localdate(), summary=summary, by=by)


def open_stage(
    challenge: Challenge, *, stage: str, on: date, reason: str = "", skipped_reason: str = ""
) -> ChallengeStage:
    """Start ``stage``: find the responder, store the response due date (DR-1/DR-2) and,
    at the first formal stage, the whole-process due date (DR-3)."""
    config = stage_config(stage)
    rule = stage_rule(stage=stage, override_days=config.response_days)
    books, calendar = rule_books(), working_calendar()
    due = stage_due_compute(rule, on, books(on), calendar) if rule else None
    row = ChallengeStage.objects.create(
        challenge=challenge,
        stage=stage,
        responder=responder_for(stage=stage, team=challenge.team),
        raised_on=on,
        response_rule=rule,
        response_due=due,
        escalation_reason=reason,
        skipped_reason=skipped_reason,
    )
    challenge.current = row
    challenge.stage = stage
    if stage in workflow.FORMAL_STAGES and challenge.formal_start is None:
        challenge.formal_start = on
        challenge.formal_due = formal_due_compute(on, books(on), calendar)
    return row


def end_current_stage(challenge: Challenge, on: date) -> None:
    current = challenge.current
    if current is not None and current.responded_on is None and current.ended_on is None:
        current.ended_on = on
        current.save(update_fields=["ended_on"])


def save_version(challenge: Challenge, *fields: str) -> None:
    challenge.version += 1
    challenge.save(update_fields=["version", *fields])


def check_skip(current: str, target: str, skipped_reason: str) -> str:
    """DR-4: the IRO may skip stages, saying why."""
    skipped = workflow.skipped_stages(current, target)
    skipped = [stage for stage in skipped if stage != workflow.CAFCASS]
    if skipped and not (skipped_reason or "").strip():
        labels = ", ".join(workflow.STAGE_LABELS[stage].lower() for stage in skipped)
        raise RuleViolation(f"Say why you are skipping {labels}.", field="skipped_reason")
    return (skipped_reason or "").strip()


def require_iro(user: User, challenge: Challenge) -> None:
    if not policies.can_act_for_iro(user, challenge):
        raise NotPermitted("Only the IRO who raised this challenge, or their manager, can do this.")


def escalate_into(
    challenge: Challenge, *, target: str, reason: str, skipped_reason: str, on: date
) -> None:
    end_current_stage(challenge, on)
    open_stage(challenge, stage=target, on=on, reason=reason, skipped_reason=skipped_reason)
