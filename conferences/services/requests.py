"""Requests for conferences: initial (CP-1), pre-birth and transfer-in (CP-9)."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from children.models import Child, ChildProtectionPlan, S47Enquiry
from children.services import event_record
from conferences import policies
from conferences.models import Conference
from conferences.services._common import OPEN, books_on
from iro_service.core.errors import NotPermitted, RuleViolation
from people.models import User
from timescales.sequences import Deadline, icpc_due, transfer_in_due
from timescales.services import working_calendar

logger = logging.getLogger(__name__)

# Requests --------------------------------------------------------------------------------


def request_create(
    *,
    child: Child,
    conference_type: str,
    deadline: Deadline,
    by: User | None,
    s47_enquiry: S47Enquiry | None = None,
    cp_plan: ChildProtectionPlan | None = None,
) -> Conference:
    conference = Conference.objects.create(
        child=child,
        conference_type=conference_type,
        s47_enquiry=s47_enquiry,
        cp_plan=cp_plan,
        rule_id=deadline.rule_id,
        clock_start=deadline.start,
        original_due_date=deadline.due,
        requested_by=by,
    )
    label = conference.get_conference_type_display()
    event_record(
        child=child,
        on=timezone.localdate(),
        kind="conference",
        summary=f"{label} requested: due {deadline.due:%d/%m/%Y} ({deadline.rule_id})",
        by=by,
    )
    logger.info("conference %s requested (%s)", conference.pk, deadline.rule_id)
    return conference


@transaction.atomic
def conference_request_icpc(
    *, enquiry: S47Enquiry, by: User, pre_birth: bool = False
) -> Conference:
    """Request the initial conference after a strategy discussion. CP-1: due within 15 WD
    of the strategy discussion at which the s47 enquiry started; both the strategy
    discussion date and the s47 start date are needed (CP-2 measures from the latter).
    A pre-birth initial conference is for an unborn child (CP-8 then sets its first RCPC)."""
    child = Child.objects.select_for_update(of=("self",)).get(pk=enquiry.child_id)
    if not policies.can_request(by, child):
        raise NotPermitted("You cannot request conferences for this child.")
    if enquiry.strategy_discussion_date is None or enquiry.start_date is None:
        raise RuleViolation(
            "Record the strategy discussion date and the section 47 start date first.",
            field="strategy_discussion_date",
        )
    if enquiry.icpc_date is not None or enquiry.icpc_not_required:
        raise RuleViolation("This enquiry's initial conference has already been settled.")
    if enquiry.conferences.exclude(status=Conference.Status.CANCELLED).exists():
        raise RuleViolation("An initial conference has already been requested for this enquiry.")
    if pre_birth and not child.is_unborn:
        raise RuleViolation(
            "A pre-birth conference is for an unborn child: this child has a date of birth."
        )
    start = enquiry.strategy_discussion_date
    deadline = icpc_due(
        strategy_discussion=start, rules=books_on(start), calendar=working_calendar()
    )
    kind = Conference.Type.PRE_BIRTH if pre_birth else Conference.Type.ICPC
    return request_create(
        child=child, conference_type=kind, deadline=deadline, by=by, s47_enquiry=enquiry
    )


@transaction.atomic
def conference_request_transfer_in(*, child: Child, notified_on: date, by: User) -> Conference:
    """Request a transfer-in conference for a child on another authority's plan who has
    moved here permanently. CP-9: within 15 WD of notification of the move."""
    child = Child.objects.select_for_update(of=("self",)).get(pk=child.pk)
    if not policies.can_request(by, child):
        raise NotPermitted("You cannot request conferences for this child.")
    if notified_on > timezone.localdate():
        raise RuleViolation("The notification date cannot be in the future.", field="notified_on")
    pending = child.conferences.filter(conference_type=Conference.Type.TRANSFER_IN, status__in=OPEN)
    if pending.exists():
        raise RuleViolation("A transfer-in conference is already waiting for this child.")
    deadline = transfer_in_due(
        notified=notified_on, rules=books_on(notified_on), calendar=working_calendar()
    )
    return request_create(
        child=child, conference_type=Conference.Type.TRANSFER_IN, deadline=deadline, by=by
    )
