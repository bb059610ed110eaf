"""Audit test set-ups: meetings in a known state made as rows (held reviews and
conferences with their stored due dates), and audits made through the services."""

from datetime import date

from audits import services
from audits.models import Audit, AuditTemplate
from audits.services import AnswerInput
from children.models import Child, PeriodOfCare
from conferences.models import Conference
from people.models import User
from reviews.models import Review


def period(child: Child, start: date = date(2025, 1, 6)) -> PeriodOfCare:
    found = child.periods_of_care.filter(start_date=start).first()
    return found or PeriodOfCare.objects.create(
        child=child, start_date=start, iro_allocation_due=start
    )


def held_review(
    child: Child, *, due: date, held: date | None, rule: str = "CLA-2", **fields
) -> Review:
    """A review of ``child`` due by ``due``: held on ``held``, or still due when None."""
    return Review.objects.create(
        child=child,
        period=period(child),
        sequence_rule=rule,
        clock_start=date(2025, 1, 6),
        original_due_date=due,
        due_date=due,
        status="held" if held else "due",
        held_date=held,
        chair=child.iro,
        **fields,
    )


def held_conference(
    child: Child, *, due: date, held: date | None, chair: User, kind: str = "rcpc"
) -> Conference:
    return Conference.objects.create(
        child=child,
        conference_type=kind,
        rule_id="CP-6",
        clock_start=date(2025, 1, 6),
        original_due_date=due,
        status="held" if held else "requested",
        held_on=held,
        chair=chair,
    )


def answer_all(audit: Audit, answer: str = "yes", **by_code: str) -> dict[int, AnswerInput]:
    """Every question answered ``answer`` except those named by code."""
    return {
        row.question_id: AnswerInput(by_code.get(row.question.code, answer))
        for row in audit.answers.select_related("question")
    }


def completed_audit(
    auditor: User,
    *,
    review: Review | None = None,
    conference: Conference | None = None,
    answer: str = "yes",
    rating: str = "",
    reason: str = "",
    **by_code: str,
) -> Audit:
    meeting = review or conference
    audit = services.audit_start(
        child=meeting.child, review=review, conference=conference, by=auditor
    )
    return services.audit_complete(
        audit=audit,
        answers=answer_all(audit, answer, **by_code),
        summary="",
        rating=rating,
        override_reason=reason,
        by=auditor,
    )


def template(code: str) -> AuditTemplate:
    return AuditTemplate.objects.get(code=code)
