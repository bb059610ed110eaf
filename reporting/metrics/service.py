"""The IRO service: caseloads and the Issues Resolution Process
(ANNUAL-REPORT-METRICS.md, "IRO service"; DR-1 .. DR-4, CLA-16).

Roles are not dated, so "staff holding the IRO role on D" are the active users who hold
the IRO or senior IRO role now (a service that starts from imported history has no staff
records for past years); their FTE is the one recorded in their history on D, or the
current FTE when no history row is that old.
"""

from collections import Counter
from datetime import date, datetime, time

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from challenges import workflow
from challenges.models import CafcassReferral, Challenge
from children.codes import LEGAL_STATUS
from children.models import Allocation, ChildProtectionPlan, Episode
from people.models import User
from people.roles import Role
from reporting.metrics.cla import SHORT_BREAKS
from reporting.metrics.periods import Period, open_on
from timescales.calendar import WorkingCalendar

IRO_ROLES = (Role.IRO, Role.SENIOR_IRO)
STAGES = workflow.STAGES
CHILD_STATUSES = ("cla", "cp", "both", "service_level")
CARE_LEGAL_STATUSES = sorted(set(LEGAL_STATUS) - set(SHORT_BREAKS))


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def iros_on(day: date) -> QuerySet[User]:
    """IROs on ``day``, each annotated with ``fte_on`` (their FTE as it stood that day)."""
    fte_then = (
        User.history.filter(id=OuterRef("pk"), history_date__lte=_end_of(day))
        .order_by("-history_date")
        .values("fte")[:1]
    )
    holds_role = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name__in=[role.value for role in IRO_ROLES]
    )
    return User.objects.filter(Exists(holds_role), is_active=True).annotate(
        fte_on=Coalesce(
            Subquery(fte_then), F("fte"), output_field=DecimalField(max_digits=3, decimal_places=2)
        )
    )


def _children_allocated(day: date) -> QuerySet[Allocation]:
    """IRO allocations open on ``day`` of children looked after or on a plan that day. The
    two sets of children are uncorrelated subqueries, which PostgreSQL hashes once."""
    in_care = (
        Episode.objects.exclude(ls__in=SHORT_BREAKS)
        .filter(open_on(day, "decom", "dec"))
        .values("period__child")
    )
    on_plan = ChildProtectionPlan.objects.filter(open_on(day)).values("child")
    return Allocation.objects.filter(
        open_on(day), Q(child__in=in_care) | Q(child__in=on_plan), kind=Allocation.Kind.IRO
    )


def caseloads(day: date) -> dict[str, object]:
    """``iro_fte``, ``iro_caseload_mean`` and ``iro_caseload_by_iro`` on ``day``.

    Each child counts once per IRO (CLA-16). The mean divides every allocated child by the
    IROs' total FTE; the table lists every IRO on ``day`` and anyone else still holding an
    allocation (their FTE then counts as 0 in the total, and their per-FTE figure is theirs).
    """
    counts = dict(
        _children_allocated(day)
        .values("user")
        .annotate(n=Count("child", distinct=True))
        .values_list("user", "n")
    )
    ftes = dict(iros_on(day).values_list("pk", "fte_on"))
    missing = set(counts) - set(ftes)
    if missing:
        ftes |= dict(User.objects.filter(pk__in=missing).values_list("pk", "fte"))
    total_fte = float(sum(fte for pk, fte in ftes.items() if pk not in missing))
    by_iro = {
        str(pk): {
            "children": counts.get(pk, 0),
            "fte": float(fte),
            "per_fte": round(counts.get(pk, 0) / float(fte), 1) if fte else None,
        }
        for pk, fte in sorted(ftes.items())
    }
    children = sum(counts.values())
    return {
        "iro_fte": round(total_fte, 2),
        "iro_caseload_mean": round(children / total_fte, 1) if total_fte else None,
        "iro_caseload_by_iro": by_iro,
    }


def challenges_raised_in(period: Period) -> QuerySet[Challenge]:
    return Challenge.objects.filter(raised_on__gte=period.start, raised_on__lte=period.end)


def challenge_counts(period: Period) -> dict[str, object]:
    """``challenges_raised``, ``challenges_by_reason``, ``challenges_by_highest_stage``
    and ``challenges_cla_vs_cp``. A challenge is one row however many children it is
    about (service-level ones count once). Stages only move forward (challenges.workflow),
    so the stage a challenge is at is the highest it reached. CLA/CP is the status on the
    day it was raised of any of its children; a service-level challenge is
    ``service_level``; a challenge whose children were neither is not in that split."""
    raised = challenges_raised_in(period)
    reasons = (
        raised.filter(reasons__isnull=False)
        .values("reasons__code")
        .annotate(n=Count("pk", distinct=True))
        .order_by("reasons__code")
    )
    stages = dict(raised.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    # Driven from the challenge's own children (a few rows each), then by index to their
    # episodes and plans on the day it was raised.
    about = Challenge.children.through.objects.filter(challenge=OuterRef("pk"))
    raised_on = OuterRef("raised_on")
    in_care = about.filter(
        Q(child__periods_of_care__episodes__dec__isnull=True)
        | Q(child__periods_of_care__episodes__dec__gt=raised_on),
        child__periods_of_care__episodes__decom__lte=raised_on,
        # Positively, in the same filter() as the dates: one episode must meet all three.
        child__periods_of_care__episodes__ls__in=CARE_LEGAL_STATUSES,
    )
    on_plan = about.filter(
        Q(child__cp_plans__end_date__isnull=True) | Q(child__cp_plans__end_date__gt=raised_on),
        child__cp_plans__start_date__lte=raised_on,
    )
    service = Q(scope=Challenge.Scope.SERVICE)
    status = raised.annotate(was_cla=Exists(in_care), was_cp=Exists(on_plan)).aggregate(
        total=Count("pk"),
        service_level=Count("pk", filter=service),
        both=Count("pk", filter=~service & Q(was_cla=True, was_cp=True)),
        cla=Count("pk", filter=~service & Q(was_cla=True, was_cp=False)),
        cp=Count("pk", filter=~service & Q(was_cla=False, was_cp=True)),
    )
    return {
        "challenges_raised": status["total"],
        "challenges_by_reason": {row["reasons__code"]: row["n"] for row in reasons},
        "challenges_by_highest_stage": {stage: stages.get(stage, 0) for stage in STAGES},
        "challenges_cla_vs_cp": {key: status[key] for key in CHILD_STATUSES},
    }


def challenges_resolved_median_wd(period: Period, calendar: WorkingCalendar) -> float | None:
    """``challenges_resolved_median_wd``: over challenges resolved (status resolved) with
    their resolution date in the period, the median of the working days from raising to
    resolution (day 0 = the day raised, so the count of working days in (raised, resolved]).
    One query grouped by (raised, resolved) pair; the median of an even count is the mean
    of the middle two. ``None`` when none was resolved."""
    pairs = (
        Challenge.objects.filter(
            status=workflow.RESOLVED,
            finished_on__gte=period.start,
            finished_on__lte=period.end,
        )
        .values_list("raised_on", "finished_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    days: Counter[int] = Counter()
    for raised_on, finished_on, n in pairs:
        days[calendar.working_days_between(raised_on, finished_on)] += n
    return _median(days)


def _median(counts: Counter[int]) -> float | None:
    values = sorted(counts.elements())
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2


def cafcass_referrals(period: Period) -> int:
    """``cafcass_referrals``: referrals made in the period (DR-4). A request the IRO service
    manager has not approved, or declined, is not a referral."""
    made = (CafcassReferral.Status.REFERRED, CafcassReferral.Status.CONCLUDED)
    return CafcassReferral.objects.filter(
        referred_on__gte=period.start, referred_on__lte=period.end, status__in=made
    ).count()
