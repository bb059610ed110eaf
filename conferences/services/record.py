"""The chair's record and its decisions (CP-3, CP-6/7/8, CP-12), circulation (CP-OUTCOME,
CP-MINUTES) and core groups (CP-4, CP-5)."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from children import codes as child_codes
from children.models import ChildProtectionPlan, S47Enquiry
from children.rules import check_cp_categories
from children.services import cp_plan_end, cp_plan_start, event_record, raise_first
from conferences import codes, policies, workflow
from conferences.models import Conference, CoreGroup
from conferences.quoracy import is_quorate, other_agencies_needed
from conferences.services._common import OPEN, books_on, check_version
from conferences.services.requests import request_create
from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.rich_text import plain_text
from people.models import User
from timescales.sequences import conference_record_deadlines, next_core_group, next_rcpc
from timescales.services import working_calendar

RECORD_FIELDS = (
    "child_participation",
    "child_views",
    "parents_participation",
    "parents_views",
    "decision",
    "categories",
    "end_reason",
    "outline_plan",
    "core_group_members",
    "minutes",
    "not_quorate_reason",
)


# The record ------------------------------------------------------------------------------


def _lock_for_record(conference: Conference, by: User) -> Conference:
    conference = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("child", "cp_plan", "s47_enquiry")
        .get(pk=conference.pk)
    )
    if not policies.can_record(by, conference):
        raise NotPermitted("Only the chair of this conference can record it.")
    return conference


def _apply_record(
    conference: Conference, fields: Mapping[str, Any], attendance: Mapping[int, str]
) -> list[str]:
    changed = []
    for name in RECORD_FIELDS:
        if name in fields:
            value = fields[name]
            if name == "categories":
                value = [code for code in value or [] if code]
            if name == "minutes":
                value = plain_text(value or "")  # T10: no markup is stored in the minutes
            setattr(conference, name, value if value is not None else "")
            changed.append(name)
    invitations = {invitation.pk: invitation for invitation in conference.invitations.all()}
    for invitation_id, value in attendance.items():
        invitation = invitations.get(int(invitation_id))
        if invitation is None or (value and value not in codes.ATTENDANCE):
            continue
        if invitation.attendance != value:
            invitation.attendance = value
            invitation.save(update_fields=["attendance"])
    return changed


@transaction.atomic
def conference_record_draft(
    *,
    conference: Conference,
    by: User,
    attendance: Mapping[int, str] | None = None,
    **fields: Any,
) -> Conference:
    """Save the chair's record as it stands, without checks or decisions: drafts are saved
    as the chair types (htmx) and by the "Save draft" button, so nothing is lost."""
    conference = _lock_for_record(conference, by)
    if conference.status != Conference.Status.SCHEDULED:
        raise RuleViolation("This conference's record is closed.")
    changed = _apply_record(conference, fields, attendance or {})
    conference.draft_saved_at = timezone.now()
    conference.save(update_fields=[*changed, "draft_saved_at"])
    return conference


def _check_record(conference: Conference, other_needed: int) -> None:
    """Quoracy, participation and a decision that fits the type of conference."""
    attending = [
        invitation.agency
        for invitation in conference.invitations.all()
        if invitation.attendance == "attended"
    ]
    conference.quorate = is_quorate(attending, other_needed=other_needed)
    if not conference.quorate and not conference.not_quorate_reason.strip():
        raise RuleViolation(
            f"The conference was not quorate (children's social care and {other_needed} "
            "other agencies): record why it went ahead.",
            field="not_quorate_reason",
        )
    if not conference.child_participation:
        raise RuleViolation("Record how the child took part.", field="child_participation")
    allowed = (
        {Conference.Decision.PLAN, Conference.Decision.NO_PLAN}
        if conference.is_initial
        else {Conference.Decision.CONTINUE, Conference.Decision.END}
    )
    if conference.decision not in allowed:
        raise RuleViolation("Record the conference's decision.", field="decision")
    if conference.decision in (Conference.Decision.PLAN, Conference.Decision.CONTINUE):
        raise_first(check_cp_categories(conference.categories))
    else:
        conference.categories = []
    if conference.decision == Conference.Decision.END:
        if conference.end_reason not in child_codes.CP_PLAN_END_REASON:
            raise RuleViolation("Choose why the plan is ending.", field="end_reason")
    else:
        conference.end_reason = ""


def s47_icpc_date_set(*, enquiry: S47Enquiry, held_on: date) -> S47Enquiry:
    """An initial conference that decided on no plan still dates the enquiry's ICPC
    (CIN DateOfInitialCPC)."""
    enquiry.icpc_date = held_on
    enquiry.save(update_fields=["icpc_date"])
    return enquiry


def plan_latest_categories_set(
    *, plan: ChildProtectionPlan, categories: Sequence[str]
) -> ChildProtectionPlan:
    """A review conference reconsiders the categories: they become the plan's latest
    (CIN LatestCategoryOfAbuse; MUL when several)."""
    plan.latest_categories = list(categories)
    plan.save(update_fields=["latest_categories"])
    return plan


def _apply_decision(conference: Conference, by: User) -> ChildProtectionPlan | None:
    """Start, continue or end the plan; returns the plan that continues, if any.

    CP-3 and CIN rule 2885: a plan starts on the ICPC date."""
    held_on = conference.held_on
    assert held_on is not None
    match conference.decision:
        case Conference.Decision.PLAN:
            plan = cp_plan_start(
                child=conference.child, start_date=held_on, categories=conference.categories, by=by
            )
            conference.cp_plan = plan
            return plan
        case Conference.Decision.NO_PLAN:
            if conference.s47_enquiry is not None:
                s47_icpc_date_set(enquiry=conference.s47_enquiry, held_on=held_on)
            return None
        case Conference.Decision.CONTINUE:
            plan = _open_plan(conference)
            return plan_latest_categories_set(plan=plan, categories=conference.categories)
        case _:
            plan = _open_plan(conference)
            cp_plan_end(plan=plan, end_date=held_on, reason=conference.end_reason, by=by)
            return None


def _open_plan(conference: Conference) -> ChildProtectionPlan:
    plan = conference.cp_plan
    if plan is None or plan.end_date is not None:
        raise RuleViolation("The child has no open plan for this review conference to review.")
    return plan


def _request_next_rcpc(plan: ChildProtectionPlan, held_on: date, by: User) -> Conference | None:
    """CP-6 (first RCPC 3 months after the ICPC), CP-7 (6 months after the previous) or,
    for a plan made before birth, CP-8 (the sooner of ICPC + 3 months and birth + N WD)."""
    if plan.conferences.filter(conference_type=Conference.Type.RCPC, status__in=OPEN).exists():
        return None
    plan_conferences = plan.conferences.filter(status=Conference.Status.HELD)
    held = list(
        plan_conferences.filter(conference_type=Conference.Type.RCPC).values_list(
            "held_on", flat=True
        )
    )
    deadline = next_rcpc(
        icpc=plan.start_date,
        rcpcs_held=held,
        birth=plan.child.date_of_birth,
        pre_birth=plan.made_before_birth,
        rules=books_on(held_on),
        calendar=working_calendar(),
    )
    return request_create(
        child=plan.child,
        conference_type=Conference.Type.RCPC,
        deadline=deadline,
        by=by,
        cp_plan=plan,
    )


@transaction.atomic
def conference_record_outcome(
    *,
    conference: Conference,
    by: User,
    attendance: Mapping[int, str] | None = None,
    version: int | None = None,
    **fields: Any,
) -> Conference:
    """Record the conference as held: attendance, quoracy (a reason when not quorate),
    participation and views, and the decision.

    An initial conference deciding on a plan starts it on the conference date (CP-3, CIN
    2885); one deciding on no plan dates the enquiry's ICPC. A review continues the plan
    (latest categories) or ends it with a CP-12 reason. A continuing plan gets its next
    review conference as a request (CP-6/CP-7/CP-8). The outcome and minutes deadlines
    (CP-OUTCOME, CP-MINUTES) are stored. A ``version`` older than the record's is refused (T8)."""
    conference = _lock_for_record(conference, by)
    new_status = workflow.next_state(conference.status, "record")
    check_version(conference, version)
    held_on = conference.scheduled_date
    assert held_on is not None
    if held_on > timezone.localdate():
        raise RuleViolation("Record the outcome on or after the day of the conference.")
    changed = _apply_record(conference, fields, attendance or {})
    _check_record(conference, other_agencies_needed())
    conference.held_on, conference.status = held_on, new_status
    continuing = _apply_decision(conference, by)
    books, calendar = books_on(held_on), working_calendar()
    outcome, minutes = conference_record_deadlines(
        conference_held=held_on, rules=books, calendar=calendar
    )
    conference.outcome_due, conference.minutes_due = outcome.due, minutes.due
    conference.version += 1
    conference.save(
        update_fields=sorted(
            {
                *changed,
                "version",
                "categories",
                "end_reason",
                "quorate",
                "held_on",
                "status",
                "cp_plan",
                "outcome_due",
                "minutes_due",
            }
        )
    )
    if continuing is not None:
        _request_next_rcpc(continuing, held_on, by)
    event_record(
        child=conference.child,
        on=held_on,
        kind="conference",
        summary=f"{conference.get_conference_type_display()} held: "
        f"{conference.get_decision_display().lower()}",
        by=by,
    )
    return conference


@transaction.atomic
def conference_circulate(
    *,
    conference: Conference,
    by: User,
    outcome_sent_on: date | None = None,
    minutes_completed_on: date | None = None,
) -> Conference:
    """Record the outcome sent to attendees (CP-OUTCOME) and the minutes completed
    (CP-MINUTES); each is met or late against the due date stored when it was held."""
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    if not policies.can_circulate(by, conference):
        raise NotPermitted("Only business support or the chair can record this.")
    if conference.status != Conference.Status.HELD:
        raise RuleViolation("Record the conference's outcome first.")
    today = timezone.localdate()
    changed = []
    for name, value in (
        ("outcome_sent_on", outcome_sent_on),
        ("minutes_completed_on", minutes_completed_on),
    ):
        if value is None:
            continue
        if value > today or value < conference.held_on:
            raise RuleViolation("Enter a date between the conference and today.", field=name)
        setattr(conference, name, value)
        changed.append(name)
    if not changed:
        raise RuleViolation("Enter the date the outcome was sent or the minutes completed.")
    conference.save(update_fields=changed)
    return conference


# Core groups -----------------------------------------------------------------------------


@transaction.atomic
def core_group_record(
    *, plan: ChildProtectionPlan, held_on: date, attendance: str, by: User
) -> CoreGroup:
    """Record a core group meeting. It answers CP-4 (the first, within 10 WD of the ICPC)
    or CP-5 (later ones, 4 weeks after the previous); the rule and due date are kept."""
    plan = (
        ChildProtectionPlan.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=plan.pk)
    )
    if not policies.can_record_core_group(by, plan.child):
        raise NotPermitted("You cannot record core groups for this child.")
    if held_on < plan.start_date or (plan.end_date and held_on > plan.end_date):
        raise RuleViolation("The core group must fall within the plan.", field="held_on")
    if held_on > timezone.localdate():
        raise RuleViolation("The date cannot be in the future.", field="held_on")
    if plan.core_groups.filter(held_on=held_on).exists():
        raise RuleViolation("A core group is already recorded that day.", field="held_on")
    earlier = list(plan.core_groups.filter(held_on__lt=held_on).values_list("held_on", flat=True))
    deadline = next_core_group(
        icpc=plan.start_date,
        core_groups_held=earlier,
        rules=books_on(plan.start_date),
        calendar=working_calendar(),
    )
    group = CoreGroup.objects.create(
        cp_plan=plan,
        child=plan.child,
        held_on=held_on,
        rule_id=deadline.rule_id,
        due_date=deadline.due,
        attendance=attendance,
        recorded_by=by,
    )
    event_record(child=plan.child, on=held_on, kind="cp", summary="Core group held", by=by)
    return group
