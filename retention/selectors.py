"""Reads for records retention.

The pages here show a child by its IDs only (the local authority child ID and the internal
id), never names or case content: the information governance officer has no case access
(SECURITY.md), and reaches any child by ID, as for the access log.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from children.models import Child, ChildProtectionPlan, Episode, PeriodOfCare, S47Enquiry
from retention.models import (
    ChildRetention,
    DestructionLogEntry,
    DestructionRequest,
    LegalHold,
    RetentionRule,
)
from retention.schedule import DEFAULT_RULES, Category, ChildFacts, RuleTerms

# SSDA903 REC codes: ceased to be looked after on an adoption order; died.
ADOPTION_CEASED = ("E11", "E12")
DIED = "E2"


def rules_in_force() -> dict[Category, RuleTerms]:
    """The schedule: the stored rules, and the default for any category without one."""
    stored = {Category(rule.category): rule.terms for rule in RetentionRule.objects.all()}
    return {**DEFAULT_RULES, **stored}


def _latest(queryset: QuerySet, field: str) -> Subquery:
    """The latest ``field`` among a child's rows (None if none has one)."""
    rows = queryset.filter(**{f"{field}__isnull": False}).order_by(F(field).desc())
    return Subquery(rows.values(field)[:1])


def _facts_rows(children: QuerySet[Child]) -> QuerySet:
    of_child = {"child": OuterRef("pk")}
    periods = PeriodOfCare.objects.filter(**of_child)
    plans = ChildProtectionPlan.objects.filter(**of_child)
    enquiries = S47Enquiry.objects.filter(**of_child)
    episodes = Episode.objects.filter(period__child=OuterRef("pk"))
    return children.annotate(
        looked_after=Exists(periods),
        care_open=Exists(periods.filter(end_date__isnull=True)),
        care_ended=_latest(periods, "end_date"),
        adoption_order=_latest(episodes.filter(rec__in=ADOPTION_CEASED), "dec"),
        died_in_care=_latest(episodes.filter(rec=DIED), "dec"),
        plan_open=Exists(plans.filter(end_date__isnull=True)),
        plan_ended=_latest(plans, "end_date"),
        enquiry_open=Exists(enquiries.filter(end_date__isnull=True)),
        enquiry_ended=_latest(enquiries, "end_date"),
        on_hold=Exists(LegalHold.objects.filter(child=OuterRef("pk"), lifted_at__isnull=True)),
    ).values(
        "pk",
        "date_of_birth",
        "expected_date_of_birth",
        "date_of_death",
        "looked_after",
        "care_open",
        "care_ended",
        "adoption_order",
        "died_in_care",
        "plan_open",
        "plan_ended",
        "enquiry_open",
        "enquiry_ended",
        "on_hold",
    )


def child_facts(children: QuerySet[Child]) -> dict[int, ChildFacts]:
    """What the schedule needs for each child, in one query for any number of children."""
    facts = {}
    for row in _facts_rows(children):
        ended = [day for day in (row["plan_ended"], row["enquiry_ended"]) if day is not None]
        facts[row["pk"]] = ChildFacts(
            born=row["date_of_birth"] or row["expected_date_of_birth"],
            died=row["date_of_death"] or row["died_in_care"],
            looked_after=row["looked_after"],
            care_ended=row["care_ended"],
            adoption_order=row["adoption_order"],
            protection_ended=max(ended, default=None),
            in_use=row["care_open"] or row["plan_open"] or row["enquiry_open"],
            on_hold=row["on_hold"],
        )
    return facts


def records_past_retention(*, today: date) -> QuerySet[ChildRetention]:
    """Every child whose retention ended on or before ``today``, longest past first.

    The stored end is empty for a held record; the hold is also checked here, so a held
    record never appears even if its stored end were stale.
    """
    holds = LegalHold.objects.filter(child=OuterRef("child"), lifted_at__isnull=True)
    waiting = DestructionRequest.objects.filter(
        child=OuterRef("child"), status=DestructionRequest.Status.PENDING
    )
    return (
        ChildRetention.objects.filter(ends_on__lte=today)
        .exclude(Exists(holds))
        .annotate(la_child_id=F("child__la_child_id"), request_waiting=Exists(waiting))
        .order_by("ends_on", "child_id")
    )


def child_for_retention(*, pk: int) -> Child:
    """A child by internal id, with only its IDs loaded: no case content reaches the page."""
    return get_object_or_404(Child.objects.only("pk", "la_child_id"), pk=pk)


def child_by_la_id(*, la_child_id: str) -> Child | None:
    return Child.objects.only("pk", "la_child_id").filter(la_child_id__iexact=la_child_id).first()


def retention_of(child: Child) -> ChildRetention | None:
    return ChildRetention.objects.filter(child=child).first()


def holds_of(child: Child) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(child=child).select_related("placed_by", "lifted_by")


def holds_in_place() -> QuerySet[LegalHold]:
    return (
        LegalHold.objects.filter(lifted_at__isnull=True)
        .select_related("placed_by")
        .annotate(la_child_id=F("child__la_child_id"))
    )


def requests_of(child: Child) -> QuerySet[DestructionRequest]:
    return DestructionRequest.objects.filter(child=child).select_related(
        "requested_by", "decided_by"
    )


def requests_waiting() -> QuerySet[DestructionRequest]:
    return (
        DestructionRequest.objects.filter(status=DestructionRequest.Status.PENDING)
        .select_related("requested_by")
        .annotate(
            la_child_id=F("child__la_child_id"),
            retention_ends_on=F("child__retention__ends_on"),
            retention_basis=F("child__retention__basis"),
        )
    )


def request_get(*, pk: int) -> DestructionRequest:
    """A request waiting for a decision (a decided one is gone or rejected: 404)."""
    return get_object_or_404(requests_waiting(), pk=pk)


def destruction_log() -> QuerySet[DestructionLogEntry]:
    return DestructionLogEntry.objects.select_related("requested_by", "approved_by")


def pending_requesters(request_ids: Iterable[int]) -> Mapping[int, int]:
    """Who asked for each waiting request (for the approval reminder's recipients)."""
    rows = DestructionRequest.objects.filter(pk__in=list(request_ids)).values_list(
        "pk", "requested_by_id"
    )
    return dict(rows)
