"""Audits of reviews and conferences (ANNUAL-REPORT-METRICS.md, "IRO service": audits;
DOMAIN.md "audit rating")."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from audits.models import Answer, Audit, AuditAnswer, Rag
from conferences.models import Conference
from reporting.metrics.cla import cla_reviews_held
from reporting.metrics.periods import Period, pct

RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN)


def audits_completed_in(period: Period) -> QuerySet[Audit]:
    return Audit.objects.filter(
        status=Audit.Status.COMPLETED,
        completed_on__gte=period.start,
        completed_on__lte=period.end,
    )


def audit_counts(period: Period) -> dict[str, object]:
    """``audits_completed`` and ``audit_rag`` (the overall rating, after any override)."""
    totals = audits_completed_in(period).aggregate(
        all=Count("pk"), **{rag.value: Count("pk", filter=Q(rating=rag)) for rag in RAGS}
    )
    return {
        "audits_completed": totals["all"],
        "audit_rag": {rag.value: totals[rag.value] for rag in RAGS},
    }


def audit_completion_pct(period: Period) -> float | None:
    """``audit_completion_pct``: of CLA reviews held in the period (as ``cla_reviews_held``)
    and CP conferences of every type held in it, the % with a completed audit linked to
    them, whenever that audit was completed."""
    completed = Audit.objects.filter(status=Audit.Status.COMPLETED)
    reviews = cla_reviews_held(period).aggregate(
        all=Count("pk"), audited=Count("pk", filter=Exists(completed.filter(review=OuterRef("pk"))))
    )
    conferences = Conference.objects.filter(
        status=Conference.Status.HELD, held_on__gte=period.start, held_on__lte=period.end
    ).aggregate(
        all=Count("pk"),
        audited=Count("pk", filter=Exists(completed.filter(conference=OuterRef("pk")))),
    )
    return pct(reviews["audited"] + conferences["audited"], reviews["all"] + conferences["all"])


def audit_question_yes_pct(period: Period) -> dict[str, float | None]:
    """``audit_question_yes_pct``: per question code, of answers given in audits completed
    in the period other than "not applicable" (and not left blank), the % "yes"; a code
    answered only "not applicable" is ``None``. Versions
    of a template share codes, so a code gathers its answers across versions."""
    counted = ~Q(answer__in=[Answer.NA, ""])
    rows = (
        AuditAnswer.objects.filter(audit__in=audits_completed_in(period))
        .values("question__code")
        .annotate(
            all=Count("pk", filter=counted),
            yes=Count("pk", filter=counted & Q(answer=Answer.YES)),
        )
        .order_by("question__code")
    )
    return {row["question__code"]: pct(row["yes"], row["all"]) for row in rows}
