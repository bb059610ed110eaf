"""Writes to audits. Every write path (pages, API) comes here.

Each service checks the policy, locks the audit where it moves it on, validates, saves with
``update_fields`` (history by django-simple-history, ``bulk_update_with_history`` for
answers) and writes an ``AuditEvent``. Ratings follow ``audits.rating`` (DOMAIN.md
"Decided defaults", audit rating).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audits import policies
from audits.models import (
    Answer,
    Audit,
    AuditAnswer,
    AuditEvent,
    AuditQuestion,
    AuditRecommendation,
    AuditTemplate,
    AuditTemplateVersion,
    Rag,
)
from audits.prefill import PrefillContext, suggest
from audits.rating import suggest_rating
from children.models import Child
from children.services import event_record
from conferences.models import Conference
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from people.models import User
from reviews.models import Review


@dataclass(frozen=True)
class AnswerInput:
    answer: str
    comment: str = ""


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _event(audit: Audit, kind: str, by: User, note: str = "") -> None:
    AuditEvent.objects.create(audit=audit, kind=kind, by=by, note=note[:300])


def current_version(template: AuditTemplate) -> AuditTemplateVersion:
    """The latest published version: what a new audit is answered against."""
    version = template.versions.filter(published_at__isnull=False).order_by("-number").first()
    if version is None:
        raise RuleViolation(f"The {template.name} has no published version.")
    return version


def template_for(kind: str) -> AuditTemplate:
    template = AuditTemplate.objects.filter(kind=kind, active=True).order_by("pk").first()
    if template is None:
        raise RuleViolation("There is no active audit template for this kind of meeting.")
    return template


# Audits ------------------------------------------------------------------------------------


@transaction.atomic
def audit_start(
    *,
    child: Child,
    review: Review | None = None,
    conference: Conference | None = None,
    by: User,
    today: date | None = None,
) -> Audit:
    """Start (or return the existing) audit of a review or conference: answers are
    prefilled with the suggestions the record supports (issue 7 "Prefill")."""
    meeting = review or conference
    if meeting is None or (review is not None and conference is not None):
        raise RuleViolation("Choose one review or one conference to audit.")
    if meeting.child_id != child.pk:
        raise RuleViolation("The meeting is not this child's.")
    _require(
        policies.can_audit_meeting(by, child=child, meeting=meeting),
        "Only the child's IRO or the chair carries out this audit.",
    )
    # Lock the meeting so two starts at once make one audit (one_audit_per_review/conference).
    type(meeting).objects.select_for_update().filter(pk=meeting.pk).first()
    existing = (
        Audit.objects.filter(review=review)
        if review
        else Audit.objects.filter(conference=conference)
    )
    found = existing.first()
    if found is not None:
        return found
    template = template_for(AuditTemplate.Kind.CLA if review else AuditTemplate.Kind.CP)
    version = current_version(template)
    audit = Audit.objects.create(
        version=version, child=child, review=review, conference=conference, auditor=by
    )
    ctx = PrefillContext(
        child=child, review=review, conference=conference, today=today or timezone.localdate()
    )
    answers = []
    for question in version.questions.all():
        suggestion = suggest(question.prefill, ctx)
        answer = suggestion.answer if suggestion else ""
        if answer == Answer.NA and not question.allow_na:
            answer = ""
        answers.append(
            AuditAnswer(
                audit=audit,
                question=question,
                answer=answer,
                rag=question.rag_for(answer),
                suggested_answer=answer,
                evidence=suggestion.evidence[:400] if suggestion else "",
            )
        )
    bulk_create_with_history(answers, AuditAnswer)
    _refresh_suggested(audit)
    _event(audit, AuditEvent.Kind.STARTED, by)
    return audit


def _refresh_suggested(audit: Audit) -> None:
    rows = audit.answers.values_list("rag", "question__is_key")
    audit.suggested_rating = suggest_rating(rows)
    audit.save(update_fields=["suggested_rating", "updated_at"])


def _locked(audit: Audit) -> Audit:
    return Audit.objects.select_for_update().select_related("version").get(pk=audit.pk)


def _apply_answers(audit: Audit, answers: Mapping[int, AnswerInput]) -> list[AuditAnswer]:
    """Set the posted answers; unknown questions are ignored. Returns every answer."""
    rows = list(audit.answers.select_related("question"))
    changed = []
    for row in rows:
        posted = answers.get(row.question_id)
        if posted is None:
            continue
        if posted.answer and posted.answer not in Answer.values:
            raise RuleViolation("Choose an answer.", field=f"q{row.question_id}")
        if posted.answer == Answer.NA and not row.question.allow_na:
            raise RuleViolation(
                f"“{row.question.text}” cannot be not applicable.", field=f"q{row.question_id}"
            )
        row.answer, row.comment = posted.answer, posted.comment.strip()
        row.rag = row.question.rag_for(row.answer)
        row.changed_from_suggestion = bool(
            row.suggested_answer and row.answer and row.answer != row.suggested_answer
        )
        changed.append(row)
    if changed:
        bulk_update_with_history(
            changed, AuditAnswer, ["answer", "comment", "rag", "changed_from_suggestion"]
        )
    return rows


@transaction.atomic
def audit_save_draft(
    *, audit: Audit, answers: Mapping[int, AnswerInput], summary: str, by: User
) -> Audit:
    """Keep what the IRO has chosen so far and the rating it suggests."""
    audit = _locked(audit)
    _require(policies.can_edit(by, audit), "Only the auditor can change a draft audit.")
    rows = _apply_answers(audit, answers)
    audit.summary = summary.strip()
    audit.suggested_rating = suggest_rating((row.rag, row.question.is_key) for row in rows)
    audit.save(update_fields=["summary", "suggested_rating", "updated_at"])
    return audit


@transaction.atomic
def audit_complete(
    *,
    audit: Audit,
    answers: Mapping[int, AnswerInput],
    summary: str,
    rating: str,
    override_reason: str,
    by: User,
) -> Audit:
    """Complete the audit: every question answered; the final rating is the suggested one
    unless the IRO chose another and said why (DOMAIN.md audit rating)."""
    audit = _locked(audit)
    _require(policies.can_edit(by, audit), "Only the auditor can complete a draft audit.")
    rows = _apply_answers(audit, answers)
    unanswered = [row for row in rows if not row.answer]
    if unanswered:
        first = unanswered[0]
        raise RuleViolation(f"Answer “{first.question.text}”.", field=f"q{first.question_id}")
    suggested = suggest_rating((row.rag, row.question.is_key) for row in rows)
    final = rating or suggested
    if final not in Rag.values:
        raise RuleViolation("Choose a rating.", field="rating")
    reason = override_reason.strip()
    if final != suggested and not reason:
        raise RuleViolation(
            "Say why the rating differs from the suggested one.", field="override_reason"
        )
    audit.summary = summary.strip()
    audit.suggested_rating, audit.rating = suggested, final
    audit.override_reason = reason if final != suggested else ""
    audit.status, audit.completed_on = Audit.Status.COMPLETED, timezone.localdate()
    audit.save(
        update_fields=[
            "summary",
            "suggested_rating",
            "rating",
            "override_reason",
            "status",
            "completed_on",
            "updated_at",
        ]
    )
    _event(audit, AuditEvent.Kind.COMPLETED, by, f"Rated {final}")
    if final != suggested:
        _event(audit, AuditEvent.Kind.RATING_OVERRIDDEN, by, f"{suggested} to {final}: {reason}")
    event_record(
        child=audit.child,
        on=audit.completed_on,
        kind="audit_completed",
        summary=f"Audit {audit.reference} completed: rated {final}",
        by=by,
    )
    return audit


# Recommendations ---------------------------------------------------------------------------


def _owner(audit: Audit, owner_role: str) -> User:
    child = audit.child
    if owner_role == AuditRecommendation.OwnerRole.SOCIAL_WORKER:
        owner = child.social_worker
        missing = "The child has no allocated social worker."
    elif owner_role == AuditRecommendation.OwnerRole.TEAM_MANAGER:
        owner = child.team.manager if child.team_id else None
        missing = "The child's team has no team manager."
    else:
        raise RuleViolation("Choose who the recommendation is for.", field="owner_role")
    if owner is None:
        raise RuleViolation(missing, field="owner_role")
    return owner


@transaction.atomic
def recommendation_add(
    *,
    audit: Audit,
    text: str,
    owner_role: str,
    due_date: date | None,
    question: AuditQuestion | None = None,
    by: User,
) -> AuditRecommendation:
    """A recommendation to the child's social worker or their team manager, due by a date;
    the owner is prompted by the AUD-REC reminder rule (``audits.reminders``)."""
    audit = _locked(audit)
    _require(policies.can_recommend(by, audit), "Only the auditor adds recommendations.")
    if not text.strip():
        raise RuleViolation("Enter the recommendation.", field="text")
    if due_date is None:
        raise RuleViolation("Enter the date it is due.", field="due_date")
    if due_date < timezone.localdate():
        raise RuleViolation("The due date cannot be in the past.", field="due_date")
    if question is not None and question.version_id != audit.version_id:
        raise RuleViolation("That question is not part of this audit.")
    recommendation = AuditRecommendation(
        audit=audit,
        question=question,
        text=text.strip(),
        owner=_owner(audit, owner_role),
        owner_role=owner_role,
        due_date=due_date,
        created_by=by,
    )
    recommendation.full_clean()
    recommendation.save()
    _event(audit, AuditEvent.Kind.RECOMMENDATION_ADDED, by, f"Due {due_date:%d/%m/%Y}")
    return recommendation


@transaction.atomic
def recommendation_mark_done(
    *, recommendation: AuditRecommendation, note: str, by: User
) -> AuditRecommendation:
    recommendation = (
        AuditRecommendation.objects.select_for_update(of=("self",))
        .select_related("audit")
        .get(pk=recommendation.pk)
    )
    _require(
        policies.can_close_recommendation(by, recommendation),
        "Only the owner, the auditor or an IRO manager can record this as done.",
    )
    if recommendation.status == AuditRecommendation.Status.DONE:
        raise InvalidTransition("This recommendation is already done.")
    recommendation.status = AuditRecommendation.Status.DONE
    recommendation.done_on = timezone.localdate()
    recommendation.done_note = note.strip()[:300]
    recommendation.save(update_fields=["status", "done_on", "done_note"])
    _event(recommendation.audit, AuditEvent.Kind.RECOMMENDATION_DONE, by)
    return recommendation
