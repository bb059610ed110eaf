"""Challenges of the Issues Resolution Process at every stage (DR-1 .. DR-4): raised by the
child's IRO, answered by the stage's owner (team manager, head of service, director; nobody
in the authority for Cafcass), escalated, resolved, withdrawn or still open.

Each stage stores its rule and response due date (``stage_rule`` and ``stage_due_compute``:
DR-1 informal, DR-2 formal, or the stage setting's own number of days) and the first formal
stage sets the whole-process due date (DR-3, ``formal_due_compute``).
"""

from datetime import date, timedelta

from challenges import workflow
from challenges.deadlines import formal_due_compute, stage_due_compute, stage_rule
from challenges.models import (
    Approval,
    CafcassReferral,
    Challenge,
    ChallengeEvent,
    ChallengeReason,
    ChallengeStage,
    StageConfig,
)
from reporting.synthetic.care import event_add
from reporting.synthetic.context import Context

# How far challenges get (the stage they end at), heaviest first.
FINAL_STAGES = (
    (workflow.INFORMAL, 55),
    (workflow.STAGE_1, 20),
    (workflow.STAGE_2, 11),
    (workflow.STAGE_3, 7),
    (workflow.STAGE_4, 5),
    (workflow.CAFCASS, 2),
)
CHALLENGES_PER_CHILD_PER_YEAR = 0.08


class ChallengeMaker:
    """Reads the stage settings and reasons once, then writes challenges."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.configs = {c.stage: c for c in StageConfig.objects.all()}
        self.reasons = list(
            ChallengeReason.objects.filter(active=True).values_list("pk", flat=True)
        )
        self.stages = [stage for stage, _ in FINAL_STAGES]
        self.weights = [weight for _, weight in FINAL_STAGES]

    def _responder(self, stage: str, child: dict) -> int | None:
        config = self.configs.get(stage)
        level = config.owner_level if config else StageConfig.OwnerLevel.TEAM_MANAGER
        team = child["team"]
        return {
            StageConfig.OwnerLevel.TEAM_MANAGER: team.manager_id,
            StageConfig.OwnerLevel.HEAD_OF_SERVICE: team.head_id,
            StageConfig.OwnerLevel.DIRECTOR: self.ctx.staff.director_id,
            StageConfig.OwnerLevel.NAMED_USER: config.owner_user_id if config else None,
        }.get(level)

    def _event(self, challenge: dict, action: str, at: date, by: int | None, **states: str) -> None:
        stage = states.get("to_stage") or challenge["stage"]
        self.ctx.writer.add(
            ChallengeEvent,
            {
                "id": self.ctx.writer.new_id(ChallengeEvent),
                "challenge_id": challenge["id"],
                "action": action,
                "by_id": by,
                "at": self.ctx.at(at, 11),
                "summary": f"{action.capitalize()} ({workflow.STAGE_LABELS[stage]})",
                **states,
            },
        )

    def add(self, child: dict, raised: date) -> None:
        """One challenge about ``child`` raised on ``raised``."""
        ctx, rng, writer = self.ctx, self.ctx.rng, self.ctx.writer
        final = rng.choices(self.stages, self.weights)[0]
        path = self.stages[: self.stages.index(final) + 1]
        iro = child["iro_id"]
        challenge = {
            "id": writer.new_id(Challenge),
            "scope": Challenge.Scope.CHILD,
            "category": child["category"],
            "team_id": child["team"].id,
            "what_is_wrong": ctx.text(2),
            "impact_on_child": ctx.text(1),
            "what_must_happen": ctx.text(1),
            "happen_by": raised + timedelta(days=28),
            "raised_by_id": iro,
            "raised_on": raised,
            "stage": workflow.INFORMAL,
        }
        challenge["reference"] = f"CH-{challenge['id']:05d}"
        on, stage_ids = raised, []
        status = workflow.AWAITING_RESPONSE
        for index, stage in enumerate(path):
            last = index == len(path) - 1
            rule = stage_rule(
                stage=stage, override_days=getattr(self.configs.get(stage), "response_days", None)
            )
            due = stage_due_compute(rule, on, ctx.books(on), ctx.calendar) if rule else None
            responder = self._responder(stage, child)
            answered = on + ctx.days(2, 12)
            stage_row = {
                "id": writer.new_id(ChallengeStage),
                "challenge_id": challenge["id"],
                "stage": stage,
                "responder_id": responder,
                "raised_on": on,
                "response_rule": rule,
                "response_due": due,
            }
            if stage in workflow.FORMAL_STAGES and "formal_start" not in challenge:
                challenge["formal_start"] = on
                challenge["formal_due"] = formal_due_compute(on, ctx.books(on), ctx.calendar)
            if index:
                stage_row["escalation_reason"] = "The response did not resolve the issue."
                self._event(
                    challenge,
                    "escalate",
                    on,
                    iro,
                    from_stage=path[index - 1],
                    to_stage=stage,
                    from_status=workflow.AWAITING_IRO,
                    to_status=workflow.AWAITING_RESPONSE,
                )
                if getattr(self.configs.get(stage), "needs_approval", False):
                    self._approval(challenge, stage, on, iro)
            else:
                self._event(challenge, "raise", on, iro, to_stage=stage, to_status=status)
            if stage == workflow.CAFCASS:
                self._referral(challenge, on, iro, answered)
            if answered <= ctx.today and stage != workflow.CAFCASS:
                stage_row.update(
                    response=ctx.text(1),
                    responded_at=ctx.at(answered, 15),
                    responded_on=answered,
                    responded_by_id=responder,
                )
                status = workflow.AWAITING_IRO
                self._event(
                    challenge, "respond", answered, responder, to_stage=stage, to_status=status
                )
            challenge["stage"] = stage
            stage_ids.append(stage_row)
            if not last:
                on = min(answered + ctx.days(1, 5), ctx.today)
                stage_row["ended_on"] = on
        finished = stage_ids[-1].get("responded_on")
        if finished and (ctx.today - finished).days > 5:
            outcome = rng.choices((workflow.RESOLVED, workflow.WITHDRAWN), (85, 15))[0]
            end = finished + ctx.days(1, 5)
            challenge.update(
                status=outcome,
                finished_on=end,
                outcome=ctx.text(1) if outcome == workflow.RESOLVED else "",
                what_changed=ctx.text(1) if outcome == workflow.RESOLVED else "",
                withdrawn_reason="" if outcome == workflow.RESOLVED else "No longer needed.",
            )
            stage_ids[-1]["ended_on"] = end
            self._event(challenge, outcome, end, iro, to_stage=final, to_status=outcome)
        elif final == workflow.CAFCASS and (ctx.today - on).days > 30:
            challenge.update(status=workflow.CLOSED, finished_on=on + timedelta(days=30))
            stage_ids[-1]["ended_on"] = challenge["finished_on"]
        else:
            challenge["status"] = status
        challenge["current_id"] = stage_ids[-1]["id"]
        writer.add(Challenge, challenge)
        writer.add_many(ChallengeStage, stage_ids)
        writer.add(
            Challenge.children.through, {"challenge_id": challenge["id"], "child_id": child["id"]}
        )
        for reason in rng.sample(self.reasons, min(2, len(self.reasons))):
            writer.add(
                Challenge.reasons.through,
                {"challenge_id": challenge["id"], "challengereason_id": reason},
            )
        event_add(ctx, child["id"], raised, "challenge", "Challenge raised", iro)

    def _approval(self, challenge: dict, stage: str, on: date, iro: int) -> None:
        manager = self.ctx.rng.choice(self.ctx.staff.iro_managers)
        self.ctx.writer.add(
            Approval,
            {
                "id": self.ctx.writer.new_id(Approval),
                "challenge_id": challenge["id"],
                "target_stage": stage,
                "reason": "Escalation needed.",
                "requested_by_id": iro,
                "requested_at": self.ctx.at(on, 9),
                "decision": Approval.Decision.APPROVED,
                "decided_by_id": manager,
                "decided_at": self.ctx.at(on, 10),
            },
        )

    def _referral(self, challenge: dict, on: date, iro: int, answered: date) -> None:
        done = answered + timedelta(days=20)
        self.ctx.writer.add(
            CafcassReferral,
            {
                "id": self.ctx.writer.new_id(CafcassReferral),
                "challenge_id": challenge["id"],
                "concurrent": False,
                "referred_on": on,
                "reason": "The local authority has not resolved the issue.",
                "what_was_sent": "The care plan and the stage responses.",
                "child_wishes": "The child agreed to the referral.",
                "status": CafcassReferral.Status.CONCLUDED
                if done <= self.ctx.today
                else CafcassReferral.Status.REFERRED,
                "responded_on": done if done <= self.ctx.today else None,
                "referred_by_id": iro,
            },
        )
