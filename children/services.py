"""Writes to child records. Every write path (pages, API, imports, tasks) comes here.

Each service checks the policy, applies the national rules of ``children.rules``, saves with
history (django-simple-history) and writes a ``ChildEvent`` for the child's timeline.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from children import codes, policies
from children.models import (
    Allocation,
    Child,
    ChildEvent,
    ChildProtectionPlan,
    Episode,
    PeriodOfCare,
    S47Enquiry,
    Visit,
)
from children.rules import (
    EpisodeValues,
    Problem,
    check_cp_categories,
    check_cp_plans,
    check_episode_codes,
    check_episode_dates,
    check_episode_sequence,
    check_upn,
)
from iro_service.core.errors import NotPermitted, RuleViolation
from people.models import Team, User
from people.roles import CHAIR_ROLES, TEAM_ROLES
from timescales.services import due_date_for

CHILD_FIELDS = [
    "la_child_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "ethnicity",
    "upn",
    "disability",
    "uasc",
    "address",
    "address_withheld",
    "restricted",
    "sibling_group",
]
EPISODE_EXTRAS = ("home_post", "pl_post", "urn")


# Called in the same transaction when a child's care changes (a period starts or ends), so
# that apps built on children's records (the reviews' sequence) follow without children
# importing them. Registered in those apps' AppConfig.ready.
CareChangeHook = Callable[[Child], object]
_CARE_CHANGE_HOOKS: list[CareChangeHook] = []


def register_care_change_hook(hook: CareChangeHook) -> None:
    if hook not in _CARE_CHANGE_HOOKS:
        _CARE_CHANGE_HOOKS.append(hook)


def _care_changed(child: Child) -> None:
    for hook in _CARE_CHANGE_HOOKS:
        hook(child)
    _record_changed(child)


# Called in the same transaction whenever a child's dates, care or protection record
# changes, so that what is derived from them (the retention schedule) follows without
# children importing the app that keeps it.
RecordChangeHook = Callable[[Child], object]
_RECORD_CHANGE_HOOKS: list[RecordChangeHook] = []


def register_record_change_hook(hook: RecordChangeHook) -> None:
    if hook not in _RECORD_CHANGE_HOOKS:
        _RECORD_CHANGE_HOOKS.append(hook)


def _record_changed(child: Child) -> None:
    for hook in _RECORD_CHANGE_HOOKS:
        hook(child)


def raise_first(problems: Sequence[Problem]) -> None:
    """Turn the first broken rule into an error a user can act on."""
    if problems:
        problem = problems[0]
        raise RuleViolation(problem.message, field=problem.field)


def event_record(*, child: Child, on: date, kind: str, summary: str, by: User | None) -> ChildEvent:
    """Add a line to the child's timeline. ``summary`` stays inside the application."""
    return ChildEvent.objects.create(child=child, occurred_on=on, kind=kind, summary=summary, by=by)


def _check_death(child: Child) -> None:
    if child.date_of_death is not None and child.date_of_death > timezone.localdate():
        raise RuleViolation("The date of death cannot be in the future.", field="date_of_death")


def _full_clean(instance: Any) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RuleViolation(messages[0], field=None if field == "__all__" else field) from error


@transaction.atomic
def child_create(*, by: User, **fields: Any) -> Child:
    """Record a new child. Needs a date of birth or an expected date of birth."""
    if not policies.can_create_child(by):
        raise NotPermitted("You cannot add children's records.")
    child = Child(**{name: value for name, value in fields.items() if name in CHILD_FIELDS})
    raise_first(check_upn(child.upn))
    _check_death(child)
    _full_clean(child)
    child.save()
    today = timezone.localdate()
    event_record(child=child, on=today, kind="record", summary="Record created", by=by)
    if by.has_role(*TEAM_ROLES) and by.team is not None:
        # A social worker's or team manager's new child belongs to their team, so that they
        # (and their team) go on seeing the record they made.
        team = by.team
        _allocate(
            child=child, kind=Allocation.Kind.TEAM, start_date=today, by=by, user=None, team=team
        )
    _record_changed(child)
    return child


@transaction.atomic
def child_update(*, child: Child, by: User, **fields: Any) -> Child:
    """Change the child's details; only the named fields are written."""
    if not policies.can_edit_child(by, child):
        raise NotPermitted("You cannot change this child's details.")
    changed = [name for name in fields if name in CHILD_FIELDS]
    for name in changed:
        setattr(child, name, fields[name])
    raise_first(check_upn(child.upn))
    _check_death(child)
    _full_clean(child)
    child.save(update_fields=changed)
    event_record(
        child=child, on=timezone.localdate(), kind="record", summary="Details changed", by=by
    )
    _record_changed(child)
    return child


def _episode_values(episode: Episode) -> EpisodeValues:
    return EpisodeValues(
        decom=episode.decom,
        rne=episode.rne,
        ls=episode.ls,
        cin=episode.cin,
        place=episode.place,
        place_provider=episode.place_provider,
        dec=episode.dec,
        rec=episode.rec,
        reason_place_change=episode.reason_place_change,
    )


def _locked_episodes(child: Child) -> list[Episode]:
    Child.objects.select_for_update().filter(pk=child.pk).get()
    return list(
        Episode.objects.filter(period__child=child).select_related("period").order_by("decom")
    )


@transaction.atomic
def episode_add(*, child: Child, episode: EpisodeValues, by: User, **extras: str) -> Episode:
    """Record a new episode of care (903 Episodes).

    With RNE = S it starts a new period of care (CLA-5: the review sequence restarts).
    With a change reason (L, P, T, B, U) it continues the current period, and the open
    episode is ended the same day with REC = X1, as the return requires (rules 388, 433).
    """
    if not policies.can_edit_child(by, child):
        raise NotPermitted("You cannot change this child's care record.")
    existing = _locked_episodes(child)
    previous = existing[-1] if existing else None
    closes_previous = episode.rne != "S" and previous is not None and previous.dec is None
    values = [_episode_values(e) for e in existing]
    if closes_previous:
        values[-1] = replace(values[-1], dec=episode.decom, rec="X1")
    raise_first(check_episode_codes(episode) + check_episode_dates(episode, child.date_of_birth))
    raise_first(check_episode_sequence(sorted([*values, episode], key=lambda e: e.decom)))
    if closes_previous and previous is not None:
        previous.dec, previous.rec = episode.decom, "X1"
        previous.save(update_fields=["dec", "rec"])
    if episode.rne == "S":
        period = PeriodOfCare.objects.create(
            child=child,
            start_date=episode.decom,
            iro_allocation_due=due_date_for("CLA-11", episode.decom),
            iro_allocated_on=episode.decom if child.iro_id else None,
        )
    else:
        period = previous.period  # type: ignore[union-attr]  # the sequence check guarantees one
    fields = asdict(episode) | {name: extras.get(name, "") for name in EPISODE_EXTRAS}
    saved = Episode.objects.create(period=period, **fields)
    summary = (
        "Became looked after"
        if episode.rne == "S"
        else f"New episode: {codes.RNE[episode.rne].lower()}"
    )
    event_record(child=child, on=episode.decom, kind="care", summary=summary, by=by)
    if episode.rne == "S":
        _care_changed(child)
    return saved


@transaction.atomic
def episode_cease(*, child: Child, dec: date, rec: str, by: User) -> Episode:
    """End the child's open episode and so the period of care (REC other than X1)."""
    if not policies.can_edit_child(by, child):
        raise NotPermitted("You cannot change this child's care record.")
    existing = _locked_episodes(child)
    if not existing or existing[-1].dec is not None:
        raise RuleViolation("The child is not looked after: there is no open episode to end.")
    if rec == "X1":
        raise RuleViolation(
            "To change placement or legal status, add the new episode instead.", field="rec"
        )
    current = existing[-1]
    ended = replace(_episode_values(current), dec=dec, rec=rec)
    raise_first(check_episode_codes(ended) + check_episode_dates(ended, child.date_of_birth))
    current.dec, current.rec = dec, rec
    current.save(update_fields=["dec", "rec"])
    current.period.end_date = dec
    current.period.save(update_fields=["end_date"])
    reason = codes.REASON_CEASED[rec]
    event_record(
        child=child, on=dec, kind="care", summary=f"Ceased to be looked after: {reason}", by=by
    )
    _care_changed(child)
    return current


@transaction.atomic
def s47_record(
    *, child: Child, start_date: date, strategy_discussion_date: date | None, by: User
) -> S47Enquiry:
    """Record a section 47 enquiry. The strategy discussion date starts the ICPC clock (CP-1);
    the s47 start date is the national measure's start (CP-2). A new enquiry cannot start
    while another is open (CIN rule 8890)."""
    if not policies.can_edit_child(by, child):
        raise NotPermitted("You cannot change this child's record.")
    Child.objects.select_for_update().filter(pk=child.pk).get()
    if strategy_discussion_date and strategy_discussion_date > start_date:
        raise RuleViolation(
            "The strategy discussion must be on or before the section 47 start date.",
            field="strategy_discussion_date",
        )
    if child.s47_enquiries.filter(end_date__isnull=True).exists():
        raise RuleViolation(
            "End the open section 47 enquiry before recording a new one.", field="start_date"
        )
    enquiry = S47Enquiry(
        child=child, start_date=start_date, strategy_discussion_date=strategy_discussion_date
    )
    enquiry.icpc_due = due_date_for("CP-1", enquiry.icpc_clock_start)
    enquiry.save()
    event_record(
        child=child, on=start_date, kind="s47", summary="Section 47 enquiry started", by=by
    )
    _record_changed(child)
    return enquiry


@transaction.atomic
def cp_plan_start(
    *, child: Child, start_date: date, categories: Sequence[str], by: User
) -> ChildProtectionPlan:
    """Start a child protection plan on the ICPC date (CP-3). Several categories may be
    recorded; the census receives MUL. ``previous_plans`` counts the child's earlier plans
    (CP-13), so a repeat plan is one with ``previous_plans > 0``."""
    if not policies.can_change_cp_plan(by, child):
        raise NotPermitted("You cannot change this child's record.")
    Child.objects.select_for_update().filter(pk=child.pk).get()
    raise_first(check_cp_categories(categories))
    existing = list(child.cp_plans.order_by("start_date").values_list("start_date", "end_date"))
    raise_first(check_cp_plans(sorted([*existing, (start_date, None)], key=lambda p: p[0])))
    plan = ChildProtectionPlan.objects.create(
        child=child,
        start_date=start_date,
        initial_categories=list(categories),
        latest_categories=list(categories),
        previous_plans=sum(1 for start, _ in existing if start < start_date),
    )
    _record_icpc_held(child, start_date)
    event_record(
        child=child, on=start_date, kind="cp", summary="Child protection plan started", by=by
    )
    _record_changed(child)
    return plan


@transaction.atomic
def cp_plan_end(
    *, plan: ChildProtectionPlan, end_date: date, reason: str, by: User
) -> ChildProtectionPlan:
    """End a plan with a CP-12 reason; it must end after the day it started."""
    if not policies.can_change_cp_plan(by, plan.child):
        raise NotPermitted("You cannot change this child's record.")
    if plan.end_date is not None:
        raise RuleViolation("This plan has already ended.")
    if reason not in codes.CP_PLAN_END_REASON:
        raise RuleViolation("Choose why the plan is ending.", field="end_reason")
    raise_first(check_cp_plans([(plan.start_date, end_date)]))
    plan.end_date, plan.end_reason = end_date, reason
    plan.save(update_fields=["end_date", "end_reason"])
    event_record(
        child=plan.child, on=end_date, kind="cp", summary="Child protection plan ended", by=by
    )
    _record_changed(plan.child)
    return plan


def _record_icpc_held(child: Child, held: date) -> None:
    """A plan starts on the ICPC date (CP-3), so it dates the ICPC of the enquiry that led
    to it: the latest enquiry started on or before that day still awaiting its conference."""
    enquiry = (
        child.s47_enquiries.filter(icpc_date__isnull=True, start_date__lte=held)
        .order_by("-start_date")
        .first()
    )
    if enquiry is not None:
        enquiry.icpc_date = held
        enquiry.save(update_fields=["icpc_date"])


def _check_iro_independent(child: Child, iro: User) -> None:
    """An IRO must not manage the case (CPPCR Part 8): not its social worker nor the
    manager of its team."""
    if not iro.has_role(*CHAIR_ROLES):
        raise RuleViolation(f"{iro} is not an IRO.", field="user")
    managers = {child.team.manager_id} if child.team_id and child.team else set()
    if iro.pk == child.social_worker_id or iro.pk in managers:
        raise RuleViolation(
            "An IRO must be independent of the case: choose someone who is not its social "
            "worker or team manager.",
            field="user",
        )


@transaction.atomic
def allocation_start(
    *,
    child: Child,
    kind: str,
    start_date: date,
    by: User,
    user: User | None = None,
    team: Team | None = None,
) -> Allocation:
    """Allocate the child's IRO, social worker or team from ``start_date``. The current
    allocation of that kind ends the day before."""
    if not policies.can_allocate(by, child, kind):
        raise NotPermitted("You cannot change this allocation.")
    return _allocate(child=child, kind=kind, start_date=start_date, by=by, user=user, team=team)


def _allocate(
    *, child: Child, kind: str, start_date: date, by: User, user: User | None, team: Team | None
) -> Allocation:
    child = Child.objects.select_for_update(of=("self",)).select_related("team").get(pk=child.pk)
    if kind == Allocation.Kind.IRO and user is not None:
        _check_iro_independent(child, user)
    current = child.allocations.filter(kind=kind, end_date__isnull=True).first()
    if current is not None:
        if start_date <= current.start_date:
            raise RuleViolation(
                f"The new allocation must start after {current.start_date:%d/%m/%Y}, "
                "when the current one began.",
                field="start_date",
            )
        current.end_date = start_date - timedelta(days=1)
        current.save(update_fields=["end_date"])
    allocation = Allocation(child=child, kind=kind, user=user, team=team, start_date=start_date)
    _full_clean(allocation)
    allocation.save()
    setattr(child, kind, team if kind == Allocation.Kind.TEAM else user)
    child.save(update_fields=[kind])
    if kind == Allocation.Kind.IRO:
        _record_iro_allocated(child, start_date)
    holder = team if kind == Allocation.Kind.TEAM else user
    summary = f"{allocation.get_kind_display()} allocated: {holder}"
    event_record(child=child, on=start_date, kind="allocation", summary=summary, by=by)
    return allocation


def _record_iro_allocated(child: Child, on: date) -> None:
    """CLA-11 is met when an IRO is allocated for the open period of care."""
    period = child.periods_of_care.filter(
        end_date__isnull=True, iro_allocated_on__isnull=True
    ).first()
    if period is not None:
        period.iro_allocated_on = max(on, period.start_date)
        period.save(update_fields=["iro_allocated_on"])


@transaction.atomic
def visit_record(
    *,
    child: Child,
    kind: str,
    visit_date: date,
    by: User,
    seen: bool = True,
    seen_alone: bool = False,
    bedroom_seen: bool = False,
) -> Visit:
    """Record a statutory visit (V-1..V-7 for a child in care, CP-11 on a plan)."""
    if not policies.can_edit_child(by, child):
        raise NotPermitted("You cannot record visits for this child.")
    if visit_date > timezone.localdate():
        raise RuleViolation("A visit cannot be recorded before it happens.", field="visit_date")
    if seen_alone and not seen:
        raise RuleViolation("A child seen alone must also be recorded as seen.", field="seen")
    visit = Visit(
        child=child,
        kind=kind,
        visit_date=visit_date,
        seen=seen,
        seen_alone=seen_alone,
        bedroom_seen=bedroom_seen,
        recorded_by=by,
    )
    _full_clean(visit)
    visit.save()
    event_record(child=child, on=visit_date, kind="visit", summary=visit.get_kind_display(), by=by)
    return visit


@transaction.atomic
def child_set_restriction(
    *, child: Child, restricted: bool, allowed: Iterable[User], by: User
) -> Child:
    """Restrict a child to an allow-list, or lift the restriction (SECURITY.md: restricted
    children are invisible to everyone else, whatever their role). The IRO service manager
    who restricts a child stays on its list, so the record never becomes unreachable."""
    if not policies.can_restrict(by):
        raise NotPermitted("Only the IRO service manager can restrict a child's record.")
    child.restricted = restricted
    child.save(update_fields=["restricted"])
    child.allowed_users.set({*allowed, by} if restricted else set())
    summary = "Access restricted to a named list" if restricted else "Access restriction lifted"
    event_record(child=child, on=timezone.localdate(), kind="record", summary=summary, by=by)
    return child
