"""Writes to child records. Every write path (pages, API, imports, tasks) comes here.

Each service checks the policy, applies the national rules of ``children.rules``, saves with
history (django-simple-history) and writes a ``ChildEvent`` for the child's timeline.
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from children import codes, policies
from children.deadlines import HEALTH_CLOCK, PEP_CLOCK, CareClock, care_clock_deadline
from children.models import (
    Allocation,
    CareCheck,
    Child,
    ChildEvent,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    PeriodOfCare,
    PersonalEducationPlan,
    S47Enquiry,
    Visit,
)
from children.rules import (
    EpisodeValues,
    Problem,
    check_birth,
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
from timescales.calendar import WorkingCalendar
from timescales.rules import RuleBook
from timescales.sequences import Deadline, next_health_assessment, next_pep
from timescales.services import due_date_for, due_dates_recompute, rule_books, working_calendar

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


# Called in the same transaction whenever children's dates, care or protection records
# change, with their ids, so that what is derived from them (the retention schedule) follows
# without children importing the app that keeps it.
RecordChangeHook = Callable[[Collection[int]], object]
_RECORD_CHANGE_HOOKS: list[RecordChangeHook] = []


def register_record_change_hook(hook: RecordChangeHook) -> None:
    if hook not in _RECORD_CHANGE_HOOKS:
        _RECORD_CHANGE_HOOKS.append(hook)


def records_changed(*, child_ids: Collection[int]) -> None:
    """Tell the apps built on children's records that these children's dates, care or
    protection records changed, inside the caller's transaction: each service here for its
    one child, the bulk writers (national return imports) for all theirs at once, so that
    a hook works set-based. No children, no work."""
    if not child_ids:
        return
    for hook in _RECORD_CHANGE_HOOKS:
        hook(child_ids)


def _record_changed(child: Child) -> None:
    records_changed(child_ids=[child.pk])


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
    if child.is_unborn and fields.get("date_of_birth"):
        raise RuleViolation(
            "Record an unborn child's birth with “Record the birth”, so that the deadlines "
            "that depend on it are worked out again.",
            field="date_of_birth",
        )
    born_before = child.date_of_birth
    for name in changed:
        setattr(child, name, fields[name])
    raise_first(check_upn(child.upn))
    _check_death(child)
    _full_clean(child)
    child.save(update_fields=changed)
    event_record(
        child=child, on=timezone.localdate(), kind="record", summary="Details changed", by=by
    )
    if child.date_of_birth != born_before:
        birth_deadlines_refresh(child_ids=[child.pk], cause="Date of birth corrected", by=by)
    _record_changed(child)
    return child


@transaction.atomic
def birth_deadlines_refresh(*, child_ids: Collection[int], cause: str, by: User | None) -> int:
    """Work out again what depends on these children's dates of birth, which were just set
    or changed (a birth recorded, a correction, an import), inside the caller's transaction.

    The care clocks of their open periods of care are refreshed (H-2's interval depends on
    the child's age at the last assessment; E-1 on the E-1-FROM-AGE and E-1-END-AGE
    birthdays), then every stored due date of their open items is recomputed, each move
    recorded as a ``DueDateChange`` with ``cause`` (CP-8: a plan made before birth).
    Returns how many due dates the recompute moved; no children, no work."""
    if not child_ids:
        return 0
    open_periods = PeriodOfCare.objects.filter(child_id__in=child_ids, end_date__isnull=True)
    for period in open_periods.select_related("child"):
        care_clocks_refresh(period=period, child=period.child)
    return due_dates_recompute(cause=cause, by=by, child_ids=child_ids)


@transaction.atomic
def record_birth(*, child: Child, date_of_birth: date, by: User) -> Child:
    """Record the birth of a child known before birth (expected date of birth only).

    The date of birth must not be in the future and must fall near the expected date
    (20 weeks before to 6 weeks after). Every stored due date of the child's open items is
    then worked out again through the clock's one recompute (``due_dates_recompute``, each
    move recorded as a ``DueDateChange``): for a plan made before birth, the first review
    conference becomes due by the sooner of ICPC + 3 months and birth + 10 WD (CP-8,
    DOMAIN.md section 11; LOCAL Liverpool/Tees). Deadlines already met or missed keep their
    original due dates: lateness is judged against those."""
    if not policies.can_edit_child(by, child):
        raise NotPermitted("You cannot change this child's details.")
    child = Child.objects.select_for_update().get(pk=child.pk)
    if not child.is_unborn:
        raise RuleViolation(
            f"This child's birth is already recorded: born {child.date_of_birth:%-d %B %Y}.",
            field="date_of_birth",
        )
    raise_first(
        check_birth(
            date_of_birth, expected=child.expected_date_of_birth, today=timezone.localdate()
        )
    )
    child.date_of_birth = date_of_birth
    child.save(update_fields=["date_of_birth"])
    # E-1 needs a date of birth (E-1-FROM-AGE): a child in care before birth gains the clock.
    moved = birth_deadlines_refresh(
        child_ids=[child.pk], cause=f"Birth recorded: {date_of_birth:%d/%m/%Y}", by=by
    )
    summary = "Born"
    if moved:
        summary = f"Born: {moved} deadline{'' if moved == 1 else 's'} moved with the birth"
    event_record(child=child, on=date_of_birth, kind="record", summary=summary, by=by)
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
            **new_period_clocks(
                start=episode.decom,
                date_of_birth=child.date_of_birth,
                rules=rule_books()(episode.decom),
                calendar=working_calendar(),
            ),
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


# Health assessments (H-1, H-2) and personal education plans (E-1) ------------------------


def new_period_clocks(
    *, start: date, date_of_birth: date | None, rules: RuleBook, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The clock fields of a period of care that starts on ``start`` with nothing recorded
    yet: H-1 from the day the child became looked after; E-1 from then too, or from the
    E-1-FROM-AGE birthday of a younger child, and none without a date of birth or from the
    E-1-END-AGE birthday (``next_pep``). For services and the bulk writers (imports,
    generated data) that create periods."""
    health = next_health_assessment(
        period_start=start, assessments=[], date_of_birth=None, rules=rules, calendar=calendar
    )
    pep = next_pep(
        period_start=start, peps=[], date_of_birth=date_of_birth, rules=rules, calendar=calendar
    )
    return _clock_fields(HEALTH_CLOCK.prefix, health) | _clock_fields(PEP_CLOCK.prefix, pep)


def _clock_fields(prefix: str, deadline: Deadline | None) -> dict[str, Any]:
    """A period's fields for one clock; all blank when nothing is due."""
    return {
        f"{prefix}_rule": deadline.rule_id if deadline else "",
        f"{prefix}_clock_start": deadline.start if deadline else None,
        f"{prefix}_due": deadline.due if deadline else None,
    }


def _answered(deadline: Deadline | None) -> dict[str, Any]:
    """The deadline a record met or missed: none for a PEP recorded when none was due."""
    return {
        "rule_id": deadline.rule_id if deadline else "",
        "due_date": deadline.due if deadline else None,
    }


def care_clocks_refresh(*, period: PeriodOfCare, child: Child) -> None:
    """Renumber the period's health assessments and PEPs (the first of each is the initial
    one; each carries the deadline it met or missed) and store the next due dates on the
    period (H-1/H-2, E-1 from E-1-FROM-AGE until E-1-END-AGE). Called whenever one is
    recorded, a period starts or the child's date of birth changes; saves only what moved,
    with history."""
    books, calendar = rule_books(), working_calendar()
    period_fields: dict[str, Any] = {}
    for clock in (HEALTH_CLOCK, PEP_CLOCK):
        done: list[date] = []
        records: list[CareCheck] = list(getattr(period, clock.related).order_by("completed_on"))
        for record in records:
            deadline = care_clock_deadline(clock, period, child, done, books, calendar)
            kind = CareCheck.Kind.REVIEW if done else CareCheck.Kind.INITIAL
            wanted = {"kind": kind, **_answered(deadline)}
            moved = [name for name, value in wanted.items() if getattr(record, name) != value]
            for name in moved:
                setattr(record, name, wanted[name])
            if moved:
                record.save(update_fields=moved)
            done.append(record.completed_on)
        deadline = care_clock_deadline(clock, period, child, done, books, calendar)
        period_fields |= _clock_fields(clock.prefix, deadline)
    moved = [name for name, value in period_fields.items() if getattr(period, name) != value]
    for name in moved:
        setattr(period, name, period_fields[name])
    if moved:
        period.save(update_fields=moved)


def _period_on(child: Child, day: date, what: str) -> PeriodOfCare:
    period = (
        child.periods_of_care.filter(start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .first()
    )
    if period is None:
        raise RuleViolation(
            f"The child was not looked after on {day:%d %B %Y}. A {what} is recorded for a "
            "period of care: check the date, or record the period of care first.",
            field="completed_on",
        )
    return period


def _care_check_record(
    *, clock: CareClock, model: type[CareCheck], child: Child, completed_on: date, by: User
) -> CareCheck:
    if not policies.can_edit_child(by, child):
        raise NotPermitted(f"You cannot record a {clock.label} for this child.")
    Child.objects.select_for_update().filter(pk=child.pk).get()
    if completed_on > timezone.localdate():
        raise RuleViolation(
            f"The date cannot be in the future: record the {clock.label} once it is done.",
            field="completed_on",
        )
    period = _period_on(child, completed_on, clock.label)
    if model.objects.filter(child=child, completed_on=completed_on).exists():
        raise RuleViolation(
            f"A {clock.label} on {completed_on:%d %B %Y} is already recorded.",
            field="completed_on",
        )
    earlier = list(
        getattr(period, clock.related)
        .filter(completed_on__lt=completed_on)
        .values_list("completed_on", flat=True)
    )
    deadline = care_clock_deadline(clock, period, child, earlier, rule_books(), working_calendar())
    record = model.objects.create(
        child=child,
        period=period,
        completed_on=completed_on,
        kind=CareCheck.Kind.REVIEW if earlier else CareCheck.Kind.INITIAL,
        recorded_by=by,
        **_answered(deadline),
    )
    # A date before later records renumbers those; the period's next due date moves on.
    care_clocks_refresh(period=period, child=child)
    return record


@transaction.atomic
def health_assessment_record(*, child: Child, completed_on: date, by: User) -> HealthAssessment:
    """Record a health assessment of a child in care (H-1, H-2): the first of a period of
    care is the initial assessment, later ones reviews. The next one falls due by H-2 from
    it, stored on the period; the timeline says which it was."""
    record = _care_check_record(
        clock=HEALTH_CLOCK, model=HealthAssessment, child=child, completed_on=completed_on, by=by
    )
    summary = f"{record.get_kind_display()} health assessment"
    event_record(child=child, on=completed_on, kind="health", summary=summary, by=by)
    return record  # type: ignore[return-value]


@transaction.atomic
def pep_record(*, child: Child, completed_on: date, by: User) -> PersonalEducationPlan:
    """Record a personal education plan or its review (E-1): the first of a period of care
    is the PEP, later ones its termly reviews (E-1-REVIEW), the next due stored on the
    period."""
    record = _care_check_record(
        clock=PEP_CLOCK, model=PersonalEducationPlan, child=child, completed_on=completed_on, by=by
    )
    summary = "Personal education plan" if record.kind == CareCheck.Kind.INITIAL else "PEP review"
    event_record(child=child, on=completed_on, kind="education", summary=summary, by=by)
    return record  # type: ignore[return-value]
