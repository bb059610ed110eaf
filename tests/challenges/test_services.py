"""Raising, responding, escalating, approving and closing challenges (DOMAIN.md section 7,
DR-1 .. DR-4), through the services."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from challenges import services
from challenges import workflow as wf
from challenges.models import (
    Approval,
    CafcassReferral,
    Challenge,
    ChallengeEvent,
    ChallengeReason,
    RecoveryAction,
    StageConfig,
)
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from tests.factories import UserFactory

LONDON = ZoneInfo("Europe/London")
# Thursday before Easter 2026: Good Friday 3 April and Easter Monday 6 April are not
# working days, nor is the early May bank holiday (4 May).
THURSDAY_2_APRIL = datetime(2026, 4, 2, 10, tzinfo=LONDON)


def escalate(challenge, target, by, **extra):
    return services.challenge_escalate(
        challenge=challenge, target_stage=target, reason="No progress", by=by, **extra
    )


def configure(stage: str, **fields: object) -> None:
    config = StageConfig.objects.get(stage=stage)
    for name, value in fields.items():
        setattr(config, name, value)
    config.save(update_fields=list(fields))


def refreshed(challenge: Challenge) -> Challenge:
    return Challenge.objects.select_related("current").get(pk=challenge.pk)


# Raising ---------------------------------------------------------------------------------


def test_a_challenge_starts_informally_with_the_team_manager(raise_challenge, people, child):
    challenge = raise_challenge()
    assert challenge.reference == f"CH-{challenge.pk:05d}"
    assert (challenge.stage, challenge.status) == (wf.INFORMAL, wf.AWAITING_RESPONSE)
    assert challenge.current.responder == people["terry"]
    assert list(challenge.children.all()) == [child]
    event = ChallengeEvent.objects.get(challenge=challenge)
    assert (event.action, event.by, event.to_stage) == ("raise", people["alice"], wf.INFORMAL)
    assert child.events.filter(kind="challenge", summary__contains=challenge.reference).exists()


def test_the_default_reasons_are_seeded_drift_and_delay_first(db):
    labels = list(ChallengeReason.objects.values_list("label", flat=True))
    assert len(labels) == 14
    assert labels[0].startswith("Drift and delay")


def test_a_social_worker_cannot_raise_a_challenge(raise_challenge, people):
    with pytest.raises(NotPermitted):
        raise_challenge(by=people["sarah"])


def test_raising_without_a_reason_is_refused(raise_challenge):
    with pytest.raises(RuleViolation, match="at least one reason"):
        raise_challenge(reasons=[])


def test_raising_at_a_formal_stage_needs_a_reason_for_skipping(raise_challenge):
    with pytest.raises(RuleViolation, match="informal"):
        raise_challenge(stage=wf.STAGE_1)


def test_raising_directly_at_stage_2_records_the_skip(raise_challenge, people):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Risk of harm")
    assert challenge.stage == wf.STAGE_2
    assert challenge.current.skipped_reason == "Risk of harm"
    assert challenge.current.responder == people["helen"]


def test_raising_directly_at_a_stage_needing_approval_is_refused(raise_challenge):
    with pytest.raises(RuleViolation, match="approval"):
        raise_challenge(stage=wf.STAGE_3, skipped_reason="Urgent")


def test_prefill_source_is_kept(raise_challenge):
    challenge = raise_challenge(source="review-decision:123")
    assert challenge.source == "review-decision:123"


# Responder resolution ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "who"),
    [
        (wf.INFORMAL, "terry"),
        (wf.STAGE_1, "terry"),
        (wf.STAGE_2, "helen"),
        (wf.STAGE_3, "helen"),
        (wf.STAGE_4, "dora"),
    ],
)
def test_the_responder_comes_from_the_childs_team_chain(people, org, stage, who):
    assert services.responder_for(stage=stage, team=org["team"]) == people[who]


def test_a_level_without_a_manager_falls_to_the_next_manager_up(people, org):
    org["service"].manager = None
    org["service"].save(update_fields=["manager"])
    assert services.responder_for(stage=wf.STAGE_2, team=org["team"]) == people["dora"]


def test_a_stage_can_name_its_responder(people, org):
    named = UserFactory()
    configure(wf.STAGE_4, owner_level=StageConfig.OwnerLevel.NAMED_USER, owner_user=named)
    assert services.responder_for(stage=wf.STAGE_4, team=org["team"]) == named


def test_cafcass_has_no_local_authority_responder(org, people):
    assert services.responder_for(stage=wf.CAFCASS, team=org["team"]) is None


def test_reassigning_needs_a_reason_and_keeps_the_due_date(raise_challenge, people):
    challenge = raise_challenge()
    due = challenge.current.response_due
    with pytest.raises(RuleViolation):
        services.challenge_reassign(
            challenge=challenge, responder=people["helen"], reason=" ", by=people["alice"]
        )
    services.challenge_reassign(
        challenge=challenge, responder=people["helen"], reason="Terry on leave", by=people["terry"]
    )
    challenge = refreshed(challenge)
    assert challenge.current.responder == people["helen"]
    assert challenge.current.reassigned_reason == "Terry on leave"
    assert challenge.current.response_due == due


def test_another_iro_cannot_reassign(raise_challenge, people):
    challenge = raise_challenge()
    with pytest.raises(NotPermitted):
        services.challenge_reassign(
            challenge=challenge, responder=people["helen"], reason="x", by=people["bob"]
        )


# Responding and accepting -----------------------------------------------------------------


def test_the_responder_answers_with_a_recovery_plan(raise_challenge, people):
    challenge = raise_challenge()
    services.challenge_respond(
        challenge=challenge,
        response="Permanence planning meeting booked.",
        actions=[
            services.ActionInput("Book the meeting", people["sarah"], date(2030, 1, 10)),
            services.ActionInput("Present the plan", people["terry"], date(2030, 2, 1)),
        ],
        by=people["terry"],
    )
    challenge = refreshed(challenge)
    assert challenge.status == wf.AWAITING_IRO
    assert challenge.current.response == "Permanence planning meeting booked."
    assert challenge.current.responded_by == people["terry"]
    actions = RecoveryAction.objects.filter(challenge=challenge)
    assert [a.owner for a in actions] == [people["sarah"], people["terry"]]
    assert all(a.status == RecoveryAction.Status.OPEN for a in actions)


def test_only_the_stage_responder_can_respond(raise_challenge, people):
    challenge = raise_challenge()
    for who in ("helen", "alice", "sarah"):
        with pytest.raises(NotPermitted):
            services.challenge_respond(challenge=challenge, response="x", by=people[who])


def test_responding_twice_is_refused(raise_challenge, people):
    challenge = raise_challenge()
    services.challenge_respond(challenge=challenge, response="Done", by=people["terry"])
    with pytest.raises(InvalidTransition):
        services.challenge_respond(challenge=challenge, response="Again", by=people["terry"])


def test_accepting_resolves_with_the_outcome_and_what_changed(raise_challenge, people):
    challenge = raise_challenge()
    services.challenge_respond(challenge=challenge, response="Done", by=people["terry"])
    with pytest.raises(RuleViolation, match="what changed"):
        services.challenge_accept(
            challenge=challenge, outcome="Plan agreed", what_changed="", by=people["alice"]
        )
    services.challenge_accept(
        challenge=challenge,
        outcome="Plan agreed",
        what_changed="A permanent home was found",
        by=people["alice"],
    )
    challenge = refreshed(challenge)
    assert challenge.status == wf.RESOLVED
    assert challenge.finished_on is not None
    assert challenge.what_changed == "A permanent home was found"


def test_another_iro_cannot_accept(raise_challenge, people):
    challenge = raise_challenge()
    with pytest.raises(NotPermitted):
        services.challenge_accept(
            challenge=challenge, outcome="x", what_changed="y", by=people["bob"]
        )


def test_a_resolved_challenge_is_read_only(raise_challenge, people):
    challenge = raise_challenge()
    services.challenge_accept(
        challenge=challenge, outcome="x", what_changed="y", by=people["alice"]
    )
    with pytest.raises(InvalidTransition):
        escalate(challenge, wf.STAGE_1, people["alice"])
    with pytest.raises(InvalidTransition):
        services.challenge_withdraw(challenge=challenge, reason="x", by=people["alice"])


def test_withdrawing_records_the_reason(raise_challenge, people):
    challenge = raise_challenge()
    services.challenge_withdraw(challenge=challenge, reason="Plan changed", by=people["alice"])
    challenge = refreshed(challenge)
    assert (challenge.status, challenge.withdrawn_reason) == (wf.WITHDRAWN, "Plan changed")
    assert challenge.current.ended_on is not None


# Escalation, skipping, approval ---------------------------------------------------------


def test_escalation_to_the_next_stage_goes_to_the_next_manager(raise_challenge, people):
    challenge = raise_challenge()
    escalate(challenge, wf.STAGE_1, people["alice"])
    escalate(challenge, wf.STAGE_2, people["alice"])
    challenge = refreshed(challenge)
    assert challenge.stage == wf.STAGE_2
    assert challenge.current.responder == people["helen"]
    assert challenge.stages.count() == 3
    assert challenge.stages.get(stage=wf.STAGE_1).ended_on is not None


def test_skipping_a_stage_needs_a_reason(raise_challenge, people):
    challenge = raise_challenge()
    with pytest.raises(RuleViolation, match="stage 1"):
        escalate(challenge, wf.STAGE_2, people["alice"])
    escalate(challenge, wf.STAGE_2, people["alice"], skipped_reason="Team manager is the issue")
    challenge = refreshed(challenge)
    assert challenge.current.skipped_reason == "Team manager is the issue"


def test_escalation_to_stage_3_needs_approval(raise_challenge, people):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    with pytest.raises(InvalidTransition, match="approval"):
        escalate(challenge, wf.STAGE_3, people["alice"])


def test_approved_escalation_moves_to_stage_3_with_the_head_of_service(raise_challenge, people):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    approval = services.challenge_request_approval(
        challenge=challenge, target_stage=wf.STAGE_3, reason="No reply", by=people["alice"]
    )
    assert refreshed(challenge).status == wf.AWAITING_APPROVAL
    services.approval_approve(approval=approval, comment="Agreed", by=people["mandy"])
    challenge = refreshed(challenge)
    assert (challenge.stage, challenge.status) == (wf.STAGE_3, wf.AWAITING_RESPONSE)
    assert challenge.current.responder == people["helen"]
    approval.refresh_from_db()
    assert (approval.decision, approval.decided_by) == (Approval.Decision.APPROVED, people["mandy"])
    assert approval.decided_at is not None


def test_nobody_approves_their_own_request(raise_challenge, people):
    challenge = raise_challenge(by=people["mandy"], stage=wf.STAGE_2, skipped_reason="Urgent")
    approval = services.challenge_request_approval(
        challenge=challenge, target_stage=wf.STAGE_3, reason="No reply", by=people["mandy"]
    )
    with pytest.raises(NotPermitted, match="your own request"):
        services.approval_approve(approval=approval, by=people["mandy"])
    approval.refresh_from_db()
    assert approval.decision == Approval.Decision.PENDING


def test_only_the_iro_service_manager_approves(raise_challenge, people):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    approval = services.challenge_request_approval(
        challenge=challenge, target_stage=wf.STAGE_3, reason="No reply", by=people["alice"]
    )
    for who in ("bob", "helen", "dora"):
        with pytest.raises(NotPermitted):
            services.approval_approve(approval=approval, by=people[who])


def test_a_declined_escalation_returns_to_the_iro_with_the_comment(raise_challenge, people):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    approval = services.challenge_request_approval(
        challenge=challenge, target_stage=wf.STAGE_3, reason="No reply", by=people["alice"]
    )
    with pytest.raises(RuleViolation, match="declining"):
        services.approval_decline(approval=approval, comment="", by=people["mandy"])
    services.approval_decline(
        approval=approval, comment="Give it two more days", by=people["mandy"]
    )
    challenge = refreshed(challenge)
    assert (challenge.stage, challenge.status) == (wf.STAGE_2, wf.AWAITING_IRO)
    approval.refresh_from_db()
    assert approval.comment == "Give it two more days"
    assert challenge.events.last().why == "Give it two more days"


def test_a_decided_request_cannot_be_decided_again(raise_challenge, people):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    approval = services.challenge_request_approval(
        challenge=challenge, target_stage=wf.STAGE_3, reason="No reply", by=people["alice"]
    )
    services.approval_approve(approval=approval, by=people["mandy"])
    with pytest.raises(InvalidTransition, match="already been decided"):
        services.approval_decline(approval=approval, comment="No", by=people["mandy"])


def test_approval_need_is_configurable_per_stage(raise_challenge, people):
    configure(wf.STAGE_3, needs_approval=False)
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    escalate(challenge, wf.STAGE_3, people["alice"])
    assert refreshed(challenge).stage == wf.STAGE_3


def test_a_stale_version_is_refused_with_a_message(raise_challenge, people):
    challenge = raise_challenge()
    seen = challenge.version
    services.challenge_respond(challenge=challenge, response="Done", by=people["terry"])
    with pytest.raises(InvalidTransition, match="Someone else has just changed"):
        escalate(challenge, wf.STAGE_1, people["alice"], version=seen)


# Deadlines --------------------------------------------------------------------------------


def test_informal_response_is_due_in_10_working_days(raise_challenge):
    with time_machine.travel(THURSDAY_2_APRIL, tick=False):
        challenge = raise_challenge()
    assert challenge.current.response_rule == "DR-1"
    assert challenge.current.response_due == date(2026, 4, 20)
    assert challenge.formal_start is None and challenge.formal_due is None


def test_each_formal_stage_is_due_in_5_working_days_and_the_whole_in_20(raise_challenge, people):
    with time_machine.travel(THURSDAY_2_APRIL, tick=False):
        challenge = raise_challenge(stage=wf.STAGE_1, skipped_reason="Serious")
    assert challenge.current.response_rule == "DR-2"
    assert challenge.current.response_due == date(2026, 4, 13)
    assert (challenge.formal_start, challenge.formal_due) == (date(2026, 4, 2), date(2026, 5, 5))
    with time_machine.travel(datetime(2026, 4, 14, 9, tzinfo=LONDON), tick=False):
        escalate(challenge, wf.STAGE_2, people["alice"])
    challenge = refreshed(challenge)
    assert challenge.current.response_due == date(2026, 4, 21)
    assert challenge.formal_due == date(2026, 5, 5)  # DR-3 runs from the first formal stage


def test_a_stage_may_set_its_own_number_of_days(raise_challenge):
    configure(wf.INFORMAL, response_days=5)
    with time_machine.travel(THURSDAY_2_APRIL, tick=False):
        challenge = raise_challenge()
    assert challenge.current.response_rule == "DR-1:5"
    assert challenge.current.response_due == date(2026, 4, 13)


def test_a_new_bank_holiday_moves_open_stage_deadlines_only(raise_challenge, people):
    from timescales.services import extra_non_working_day_add

    with time_machine.travel(THURSDAY_2_APRIL, tick=False):
        open_one = raise_challenge()
        answered = raise_challenge()
        services.challenge_respond(challenge=answered, response="Done", by=people["terry"])
    extra_non_working_day_add(day=date(2026, 4, 8), description="One-off", by=people["mandy"])
    assert refreshed(open_one).current.response_due == date(2026, 4, 21)
    assert refreshed(answered).current.response_due == date(2026, 4, 20)


# Cafcass ---------------------------------------------------------------------------------


def refer(challenge, by, concurrent=True):
    return services.challenge_refer_to_cafcass(
        challenge=challenge,
        concurrent=concurrent,
        reason="Human rights at stake",
        what_was_sent="Care plan and chronology",
        child_wishes="Wants to stay with her foster carer",
        by=by,
    )


def test_cafcass_referral_can_run_alongside_a_formal_stage(raise_challenge, people):
    challenge = raise_challenge(stage=wf.STAGE_2, skipped_reason="Urgent")
    referral = refer(challenge, people["alice"], concurrent=True)
    assert referral.status == CafcassReferral.Status.AWAITING_APPROVAL
    assert refreshed(challenge).status == wf.AWAITING_RESPONSE  # the stage carries on
    approval = Approval.objects.get(referral=referral)
    services.approval_approve(approval=approval, by=people["mandy"])
    referral.refresh_from_db()
    assert referral.status == CafcassReferral.Status.REFERRED
    challenge = refreshed(challenge)
    assert (challenge.stage, challenge.status) == (wf.STAGE_2, wf.AWAITING_RESPONSE)
    services.challenge_respond(challenge=challenge, response="Agreed", by=people["helen"])
    assert refreshed(challenge).status == wf.AWAITING_IRO


def test_the_childs_wishes_must_be_recorded(raise_challenge, people):
    challenge = raise_challenge()
    with pytest.raises(RuleViolation, match="wishes"):
        services.challenge_refer_to_cafcass(
            challenge=challenge,
            concurrent=True,
            reason="x",
            what_was_sent="y",
            child_wishes="",
            by=people["alice"],
        )


def test_referral_instead_of_the_stages_moves_to_cafcass_then_closes(raise_challenge, people):
    challenge = raise_challenge()
    referral = refer(challenge, people["alice"], concurrent=False)
    assert refreshed(challenge).status == wf.AWAITING_APPROVAL
    services.approval_approve(approval=Approval.objects.get(referral=referral), by=people["mandy"])
    challenge = refreshed(challenge)
    assert (challenge.stage, challenge.status) == (wf.CAFCASS, wf.AWAITING_RESPONSE)
    assert challenge.current.responder is None and challenge.current.response_due is None
    services.cafcass_response_record(
        referral=referral,
        cafcass_response="Legal advice sought",
        outcome="Care plan revised",
        by=people["alice"],
    )
    challenge = refreshed(challenge)
    assert challenge.status == wf.CLOSED
    assert challenge.outcome == "Care plan revised"


def test_without_approval_needed_a_referral_is_made_at_once(raise_challenge, people):
    configure(wf.CAFCASS, needs_approval=False)
    challenge = raise_challenge()
    referral = refer(challenge, people["alice"], concurrent=False)
    assert referral.status == CafcassReferral.Status.REFERRED
    assert refreshed(challenge).stage == wf.CAFCASS


def test_a_declined_referral_leaves_the_challenge_with_the_iro(raise_challenge, people):
    challenge = raise_challenge()
    referral = refer(challenge, people["alice"], concurrent=False)
    services.approval_decline(
        approval=Approval.objects.get(referral=referral), comment="Not yet", by=people["mandy"]
    )
    referral.refresh_from_db()
    assert referral.status == CafcassReferral.Status.DECLINED
    challenge = refreshed(challenge)
    assert (challenge.stage, challenge.status) == (wf.INFORMAL, wf.AWAITING_IRO)


# Service-level challenges -----------------------------------------------------------------


def test_a_service_level_challenge_appears_on_each_childs_timeline(raise_challenge, people, org):
    from tests.factories import ChildFactory

    cohort = ChildFactory.create_batch(30, team=org["team"])
    challenge = raise_challenge(children=cohort, scope=Challenge.Scope.SERVICE)
    assert challenge.category == Challenge.Category.SERVICE
    escalate(challenge, wf.STAGE_1, people["alice"])
    for member in cohort:
        summaries = list(member.events.filter(kind="challenge").values_list("summary", flat=True))
        assert len(summaries) == 2
        assert all(challenge.reference in text for text in summaries)


def test_a_sibling_challenge_covers_each_sibling(raise_challenge, people, org, child):
    from tests.factories import ChildFactory

    sister = ChildFactory(team=org["team"])
    challenge = raise_challenge(children=[child, sister])
    assert challenge.scope == Challenge.Scope.SIBLINGS
    assert sister.events.filter(kind="challenge").count() == 1


def test_a_new_bank_holiday_moves_the_whole_process_due_date_of_open_challenges(
    raise_challenge, people
):
    from timescales.services import extra_non_working_day_add

    with time_machine.travel(THURSDAY_2_APRIL, tick=False):
        open_one = raise_challenge(stage=wf.STAGE_1, skipped_reason="Serious")
        closed = raise_challenge(stage=wf.STAGE_1, skipped_reason="Serious")
        services.challenge_withdraw(challenge=closed, reason="Sorted", by=people["alice"])
    extra_non_working_day_add(day=date(2026, 4, 8), description="One-off", by=people["mandy"])
    assert refreshed(open_one).formal_due == date(2026, 5, 6)
    assert refreshed(closed).formal_due == date(2026, 5, 5)


def test_a_closed_challenge_can_only_be_amended_with_a_reason_keeping_the_original(
    raise_challenge, people
):
    challenge = raise_challenge()
    with pytest.raises(InvalidTransition, match="cannot be amended"):
        services.challenge_amend(
            challenge=challenge, outcome="x", what_changed="", reason="y", by=people["alice"]
        )
    services.challenge_accept(
        challenge=challenge, outcome="Plan agreed", what_changed="Stays", by=people["alice"]
    )
    with pytest.raises(RuleViolation, match="why"):
        services.challenge_amend(
            challenge=challenge, outcome="New", what_changed="", reason="", by=people["alice"]
        )
    with pytest.raises(NotPermitted):
        services.challenge_amend(
            challenge=challenge, outcome="New", what_changed="", reason="r", by=people["bob"]
        )
    services.challenge_amend(
        challenge=challenge,
        outcome="Plan agreed at panel",
        what_changed="Stays with carers",
        reason="Panel date corrected",
        by=people["alice"],
    )
    challenge = refreshed(challenge)
    assert challenge.status == wf.RESOLVED
    assert challenge.outcome == "Plan agreed at panel"
    event = challenge.events.last()
    assert event.action == "amend"
    assert "Panel date corrected" in event.why and "Outcome was: Plan agreed." in event.why
    assert challenge.history.filter(outcome="Plan agreed").exists()
