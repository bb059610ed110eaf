"""Writing a validated CIN census: merge on natural keys, then bulk writes with history.

Natural keys (DATA-FORMATS.md 5.1.5): child = LAchildID; s47 = (child, S47ActualStartDate);
ICPC = (child, DateOfInitialCPC); CP plan = (child, CPPstartDate); CP review = (plan,
CPPreviewDate). Re-importing a file finds every row and changes nothing; a corrected or later
file updates the matched rows in place and adds the rest. Nothing is deleted: an imported
ICPC whose date was corrected moves, and an imported review of this census year that a
corrected file no longer lists is cancelled (it stops counting; its history stays). Rows
entered in the service are never removed.

Conferences from the census are ``Conference`` rows marked ``source = imported`` (they have
no record behind them), held, with their rule, clock start and due date from the clock
engine exactly as a recorded one gets them (CP-1 for an ICPC, CP-6/CP-7 for a review), so
they count in the annual metrics. Conferences recorded in the service are never changed.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from children import codes
from children.models import Child, ChildEvent, ChildProtectionPlan, S47Enquiry
from children.rules import (
    UPN_PATTERN,
    Problem,
    check_birth,
    check_born_before_death,
    check_cp_plans,
)
from children.services import birth_deadlines_refresh, records_changed
from conferences.models import Conference
from iro_service.core.models import RecordSource
from people.models import User
from reporting.imports.base import HELD_UNBORN, Progress, Summary
from reporting.imports.cin_read import Census, ChildRow, PlanRow, Reader
from timescales.sequences import Deadline, icpc_due, next_rcpc
from timescales.services import rule_books, working_calendar

CHILD_FIELDS = ["date_of_birth", "expected_date_of_birth", "sex", "ethnicity", "upn", "disability"]
S47_FIELDS = ["icpc_date", "icpc_not_required", "icpc_due", "end_date"]
PLAN_FIELDS = ["end_date", "initial_categories", "latest_categories", "previous_plans"]
CONFERENCE_FIELDS = [
    "held_on", "status", "rule_id", "clock_start", "original_due_date", "s47_enquiry",
    "cp_plan", "decision", "categories",
]  # fmt: skip
# A census child has no name: "Child <LAchildID>" stands in until one is entered (as 903).
NEW_CHILD_FIRST_NAME = "Child"


@dataclass
class Batch:
    """New and changed rows of one model, written in bulk with a history row each."""

    model: type[Model]
    fields: list[str]
    new: list[Any] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)

    def save(self, by: User | None, reason: str) -> None:
        if self.new:
            bulk_create_with_history(
                self.new, self.model, batch_size=1000, default_user=by, default_change_reason=reason
            )
        if self.changed:
            bulk_update_with_history(
                self.changed,
                self.model,
                self.fields,
                batch_size=1000,
                default_user=by,
                default_change_reason=reason,
            )

    def counts(self) -> dict[str, int]:
        return {"added": len(self.new), "updated": len(self.changed)}


def assign(instance: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _child_values(row: ChildRow) -> dict[str, Any]:
    values: dict[str, Any] = {
        "date_of_birth": row.date_of_birth,
        "expected_date_of_birth": row.expected_date_of_birth if not row.date_of_birth else None,
        "sex": row.sex,
        "ethnicity": row.ethnicity or "NOBT",
    }
    # UN6/UN7 exist only in the census; the child's record keeps the 903 UN1-UN5 or a UPN.
    if row.upn in codes.UPN_UNKNOWN or UPN_PATTERN.match(row.upn):
        values["upn"] = row.upn
    if row.disabilities is not None:
        values["disability"] = any(code != "NONE" for code in row.disabilities)
    return values


class CensusWriter:
    """One census merged into the database inside the caller's transaction."""

    def __init__(self, census: Census, reader: Reader, by: User | None) -> None:
        self.census, self.reader, self.by = census, reader, by
        self.reason = f"CIN census {census.year}-{(census.year + 1) % 100:02d} import"
        self.books, self.calendar = rule_books(), working_calendar()
        self.children = Batch(Child, CHILD_FIELDS)
        self.s47s = Batch(S47Enquiry, S47_FIELDS)
        self.plans = Batch(ChildProtectionPlan, PLAN_FIELDS)
        self.icpcs = Batch(Conference, CONFERENCE_FIELDS)
        self.rcpcs = Batch(Conference, CONFERENCE_FIELDS)
        self.withdrawn: list[Conference] = []
        self.touched: set[int] = set()
        # Children already held whose date of birth the census set or changed.
        self.births: set[int] = set()

    # Children ----------------------------------------------------------------------------

    def write_children(self) -> dict[str, Child]:
        """Create the census's new children and update those held, each date of birth it
        sets or changes checked first as by hand (``_birth_problems``): a child whose date
        fails is reported and left as held (the import then writes nothing)."""
        ids = [row.la_child_id for row in self.census.children]
        found = {
            child.la_child_id: child
            for child in Child.objects.select_for_update().filter(la_child_id__in=ids)
        }
        for row in self.census.children:
            child = found.get(row.la_child_id)
            if child is None:
                child = Child(
                    la_child_id=row.la_child_id,
                    first_name=NEW_CHILD_FIRST_NAME,
                    last_name=row.la_child_id,
                )
                assign(child, _child_values(row))
                self.children.new.append(child)
                found[row.la_child_id] = child
                continue
            born, values = child.date_of_birth, _child_values(row)
            if self._birth_problems(row, child, values["date_of_birth"]):
                continue
            if assign(child, values):
                self.children.changed.append(child)
                if child.date_of_birth != born:
                    self.births.add(child.pk)
        self.children.save(self.by, self.reason)
        self.touched |= {child.pk for child in [*self.children.new, *self.children.changed]}
        return found

    def _birth_problems(self, row: ChildRow, child: Child, born: date | None) -> bool:
        """Report a date of birth that a held child could not be given by hand: for a
        child held as unborn, not in the future and near the expected date (APP-BIRTH,
        ``record_birth``); on or before a recorded death (APP-BIRTH-DEATH, as a change of
        details). True when there was one."""
        if born is None or born == child.date_of_birth:
            return False
        problems: list[Problem] = check_born_before_death(born, child.date_of_death)
        prefix = ""
        if child.is_unborn:
            expected = child.expected_date_of_birth
            problems += check_birth(born, expected=expected, today=timezone.localdate())
            prefix = HELD_UNBORN
        self.reader.child_id = row.la_child_id
        for problem in problems:
            tag = "PersonBirthDate"
            self.reader.error(row.at(tag), tag, problem.rule, prefix + problem.message)
        return bool(problems)

    # Enquiries and plans -----------------------------------------------------------------

    def merge_child(
        self,
        row: ChildRow,
        child: Child,
        s47s: list[S47Enquiry],
        plans: list[ChildProtectionPlan],
    ) -> None:
        """Match the child's s47 enquiries and plans on their start dates; check the plans
        the child would then have (file and service together): one open plan, no overlap.

        The census has no s47 end date: an enquiry ends at its ICPC (derived, DATA-FORMATS
        5.1.6), so a new enquiry can be recorded after it."""
        by_start = {enquiry.start_date: enquiry for enquiry in s47s}
        for s47 in row.s47s:
            enquiry = by_start.get(s47.start)
            if enquiry is None:
                enquiry = S47Enquiry(child=child, start_date=s47.start)
                s47s.append(enquiry)
                batch = self.s47s.new
            else:
                batch = self.s47s.changed
            icpc = s47.icpc or enquiry.icpc_date
            values = {
                "icpc_date": icpc,
                "icpc_not_required": s47.not_required,
                "icpc_due": self._icpc_deadline(enquiry.icpc_clock_start).due,
                "end_date": enquiry.end_date or icpc,
            }
            if assign(enquiry, values) or batch is self.s47s.new:
                batch.append(enquiry)
                self.touched.add(child.pk)
        plans_by_start = {plan.start_date: plan for plan in plans}
        for plan_row in row.plans:
            self._merge_plan(plan_row, child, plans, plans_by_start)
        spans = sorted((plan.start_date, plan.end_date) for plan in plans)
        for problem in check_cp_plans(spans):
            self.reader.child_id = row.la_child_id
            self.reader.error(
                row.line,
                "ChildProtectionPlans",
                "APP-CIN-HELD-PLANS",
                f"{problem.message} (with the plans already held in the service)",
            )

    def _merge_plan(
        self,
        row: PlanRow,
        child: Child,
        plans: list[ChildProtectionPlan],
        by_start: dict[date, ChildProtectionPlan],
    ) -> None:
        plan = by_start.get(row.start)
        end = row.end
        if end is None and plan is not None and plan.end_date:
            # Open at the ReferenceDate and ended since: an older census does not reopen it.
            end = plan.end_date if plan.end_date > self.census.reference_date else None
        values = {"end_date": end, "previous_plans": row.previous}
        if plan is None:
            plan = ChildProtectionPlan(
                child=child,
                start_date=row.start,
                initial_categories=[row.initial],
                latest_categories=[row.latest],
            )
            assign(plan, values)
            plans.append(plan)
            self.plans.new.append(plan)
            self.touched.add(child.pk)
            return
        # The service keeps every category; the census one code (MUL for several, CP-3):
        # the same code is no change, so a recorded plan keeps its full list.
        if plan.initial_category_code != row.initial:
            values["initial_categories"] = [row.initial]
        if plan.latest_category_code != row.latest:
            values["latest_categories"] = [row.latest]
        if assign(plan, values):
            self.plans.changed.append(plan)
            self.touched.add(child.pk)

    def _icpc_deadline(self, start: date) -> Deadline:
        return icpc_due(strategy_discussion=start, rules=self.books(start), calendar=self.calendar)

    def save_cases(self) -> None:
        self.s47s.save(self.by, self.reason)
        self.plans.save(self.by, self.reason)

    # Conferences -------------------------------------------------------------------------

    def merge_conferences(
        self,
        row: ChildRow,
        child: Child,
        s47s: list[S47Enquiry],
        plans: list[ChildProtectionPlan],
        conferences: list[Conference],
    ) -> None:
        plans_by_start = {plan.start_date: plan for plan in plans}
        initial = {c.held_on: c for c in conferences if c.is_initial}
        s47_by_start = {enquiry.start_date: enquiry for enquiry in s47s}
        icpcs: list[tuple[date, S47Enquiry | None]] = [
            (s47.icpc, s47_by_start[s47.start]) for s47 in row.s47s if s47.icpc
        ]
        icpcs += [(details.icpc, None) for details in row.details if details.icpc]
        for held_on, enquiry in icpcs:
            self._merge_icpc(child, held_on, enquiry, plans_by_start.get(held_on), initial)
        reviews = defaultdict(list)
        for conference in conferences:
            if conference.conference_type == Conference.Type.RCPC and conference.held_on:
                reviews[conference.cp_plan_id].append(conference)
        for plan_row in row.plans:
            plan = plans_by_start[plan_row.start]
            dates = [day for day, _ in plan_row.reviews]
            self._merge_reviews(child, plan, dates, reviews[plan.pk])

    def _held(self, child: Child, conference_type: str, held_on: date) -> Conference:
        return Conference(
            child=child,
            conference_type=conference_type,
            status=Conference.Status.HELD,
            held_on=held_on,
            requested_by=self.by,
            source=RecordSource.IMPORTED,
        )

    def _merge_icpc(
        self,
        child: Child,
        held_on: date,
        enquiry: S47Enquiry | None,
        plan: ChildProtectionPlan | None,
        initial: dict[date, Conference],
    ) -> None:
        """CP-1 from the enquiry's clock (strategy discussion, else s47 start). An ICPC with
        no enquiry (a transfer-in) has no known clock start: its own date stands in."""
        conference = initial.get(held_on) or self._imported_icpc_of(enquiry, initial)
        if conference is not None and conference.source != RecordSource.IMPORTED:
            return
        if conference is not None:
            initial.pop(conference.held_on, None)
        start = enquiry.icpc_clock_start if enquiry is not None else held_on
        deadline = self._icpc_deadline(start)
        values = {
            "held_on": held_on,
            "status": Conference.Status.HELD,
            "rule_id": deadline.rule_id,
            "clock_start": deadline.start,
            "original_due_date": deadline.due,
            # Ids, not objects: comparing an object would load each row's relation.
            "s47_enquiry_id": enquiry.pk if enquiry is not None else None,
            "cp_plan_id": plan.pk if plan is not None else None,
            "decision": Conference.Decision.PLAN if plan else Conference.Decision.NO_PLAN,
            "categories": list(plan.initial_categories) if plan else [],
        }
        if conference is None:
            conference = self._held(child, Conference.Type.ICPC, held_on)
            assign(conference, values)
            initial[held_on] = conference
            self.icpcs.new.append(conference)
            self.touched.add(child.pk)
        elif assign(conference, values):
            initial[held_on] = conference
            self.icpcs.changed.append(conference)
            self.touched.add(child.pk)

    @staticmethod
    def _imported_icpc_of(
        enquiry: S47Enquiry | None, initial: dict[date, Conference]
    ) -> Conference | None:
        """The enquiry's imported ICPC under another date: a corrected file moves it."""
        if enquiry is None or enquiry.pk is None:
            return None
        return next(
            (
                conference
                for conference in initial.values()
                if conference.source == RecordSource.IMPORTED
                and conference.s47_enquiry_id == enquiry.pk
            ),
            None,
        )

    def _merge_reviews(
        self,
        child: Child,
        plan: ChildProtectionPlan,
        dates: Iterable[date],
        existing: list[Conference],
    ) -> None:
        """CP-6 for the first review, CP-7 for later ones, each from the reviews held
        before it (recorded or imported); imported reviews follow a corrected series. An
        imported review in this census year that the file no longer lists came from an
        earlier import of this census: it is cancelled (kept, with its history), so it no
        longer counts (DATA-FORMATS.md 5.1.5)."""
        in_file = set(dates)
        by_day = {}
        for conference in existing:
            day = conference.held_on
            imported = conference.source == RecordSource.IMPORTED
            if (
                imported
                and day not in in_file
                and self.census.start <= day <= self.census.reference_date
            ):
                self._withdraw(conference)
                continue
            if conference.status == Conference.Status.HELD or day in in_file:
                by_day[day] = conference
        held = sorted({*by_day, *in_file})
        for index, day in enumerate(held):
            conference = by_day.get(day)
            if conference is not None and conference.source != RecordSource.IMPORTED:
                continue
            earlier = held[:index]
            deadline = next_rcpc(
                icpc=plan.start_date,
                rcpcs_held=earlier,
                rules=self.books(earlier[-1] if earlier else plan.start_date),
                calendar=self.calendar,
            )
            ends = plan.end_date == day
            values = {
                "held_on": day,
                "status": Conference.Status.HELD,
                "rule_id": deadline.rule_id,
                "clock_start": deadline.start,
                "original_due_date": deadline.due,
                "s47_enquiry_id": None,
                "cp_plan_id": plan.pk,
                "decision": Conference.Decision.END if ends else Conference.Decision.CONTINUE,
                "categories": [] if ends else list(plan.latest_categories),
            }
            if conference is None:
                conference = self._held(child, Conference.Type.RCPC, day)
                assign(conference, values)
                self.rcpcs.new.append(conference)
                self.touched.add(child.pk)
            elif assign(conference, values):
                self.rcpcs.changed.append(conference)
                self.touched.add(child.pk)

    def _withdraw(self, conference: Conference) -> None:
        if conference.status != Conference.Status.CANCELLED:
            conference.status = Conference.Status.CANCELLED
            conference.cancel_reason = f"Not in the later {self.reason}"
            self.withdrawn.append(conference)
            self.touched.add(conference.child_id)

    def save_conferences(self) -> None:
        self.icpcs.save(self.by, self.reason)
        self.rcpcs.save(self.by, self.reason)
        if self.withdrawn:
            bulk_update_with_history(
                self.withdrawn,
                Conference,
                ["status", "cancel_reason"],
                default_user=self.by,
                default_change_reason=self.reason,
            )

    def follow_births(self) -> None:
        """Work out again what depends on the dates of birth the census set or changed on
        children already held, as recording a birth by hand does: their deadlines
        (``birth_deadlines_refresh``: care clocks, then CP-8 and every other stored due date
        of their open items, each move a ``DueDateChange``), then their retention end
        (``records_changed``), set-based. A re-import that changes no date of birth does no
        work. The children it creates (nothing open, no deadline) get their retention end
        from the nightly recompute, with the plans of every child it changed. Their
        timeline line is the import's."""
        births = sorted(self.births)
        birth_deadlines_refresh(child_ids=births, cause=f"{self.reason}: date of birth", by=self.by)
        records_changed(child_ids=births)

    def record_events(self) -> None:
        """One line on the timeline of every child the import changed."""
        today = timezone.localdate()
        ChildEvent.objects.bulk_create(
            [
                ChildEvent(
                    child_id=pk, occurred_on=today, kind="import", summary=self.reason, by=self.by
                )
                for pk in sorted(self.touched)
            ]
        )

    def summary(self) -> Summary:
        return {
            "children": self.children.counts(),
            "s47_enquiries": self.s47s.counts(),
            "cp_plans": self.plans.counts(),
            "icpcs": self.icpcs.counts(),
            "rcpcs": self.rcpcs.counts() | {"removed": len(self.withdrawn)},
        }


def write_census(census: Census, reader: Reader, *, by: User | None, progress: Progress) -> Summary:
    """Merge ``census`` into the database (the caller holds the transaction). Problems
    found against rows already held go to ``reader.errors``; the caller rolls back."""
    writer = CensusWriter(census, reader, by)
    total = len(census.children)
    progress(0, total)
    children = writer.write_children()
    pks = [child.pk for child in children.values()]
    s47s: dict[int, list[S47Enquiry]] = defaultdict(list)
    for enquiry in S47Enquiry.objects.filter(child_id__in=pks):
        s47s[enquiry.child_id].append(enquiry)
    plans: dict[int, list[ChildProtectionPlan]] = defaultdict(list)
    for plan in ChildProtectionPlan.objects.filter(child_id__in=pks):
        plans[plan.child_id].append(plan)
    for row in census.children:
        child = children[row.la_child_id]
        writer.merge_child(row, child, s47s[child.pk], plans[child.pk])
    if reader.errors:
        return writer.summary()
    writer.save_cases()
    conferences: dict[int, list[Conference]] = defaultdict(list)
    for conference in Conference.objects.filter(child_id__in=pks, held_on__isnull=False):
        conferences[conference.child_id].append(conference)
    for done, row in enumerate(census.children, start=1):
        child = children[row.la_child_id]
        writer.merge_conferences(row, child, s47s[child.pk], plans[child.pk], conferences[child.pk])
        progress(done, total)
    writer.save_conferences()
    writer.follow_births()
    writer.record_events()
    return writer.summary()
