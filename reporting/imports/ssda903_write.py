"""Writing a valid SSDA903 return: children, periods of care, episodes and reviews matched on
their natural keys (DATA-FORMATS.md 5.1.5: child = CHILD, episode = (child, DECOM), review =
(child, REVIEW)), created or updated in bulk with their history, so that re-importing the
same files changes nothing and a later year updates and extends.

What is held is read as the compared columns only (a re-import of an unchanged return
compares a few hundred thousand rows and changes none); the full rows of those that change
are read when they are written, for their history.

Periods of care are derived, not imported (5.1.6). Imported reviews are held reviews marked
``RecordSource.IMPORTED``; their clocks (CLA-1/2/3) and due dates come from the clock engine
exactly as for recorded ones, so they count in the timeliness metrics. They carry no record,
so no CLA-13/CLA-14 due dates. Reviews recorded in the service are never changed by an import.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from children.models import Child, ChildEvent, Episode, PeriodOfCare
from children.rules import EpisodeValues
from children.services import birth_deadlines_refresh, new_period_clocks, records_changed
from iro_service.core.models import RecordSource
from people.models import User
from reporting import ssda903
from reporting.imports.base import Summary
from reporting.imports.bulk import Row, insert, insert_with_history
from reporting.imports.ssda903_read import HeaderRow, HeldBirth, HeldEpisode, Period, Return
from reviews import workflow
from reviews.models import Review
from timescales.calendar import WorkingCalendar
from timescales.rules import due_date
from timescales.sequences import Deadline, next_cla_review
from timescales.services import RuleBooks, rule_books, working_calendar

BATCH = 2000
IMPORTED_FIRST_NAME = "Child"  # the 903 carries no names; the ID stands in until one is entered
CHILD_FIELDS = ("sex", "date_of_birth", "ethnicity", "upn")
EPISODE_FIELDS = (
    "period_id",
    "rne",
    "ls",
    "cin",
    "place",
    "place_provider",
    "dec",
    "rec",
    "reason_place_change",
    "home_post",
    "pl_post",
    "urn",
)
REVIEW_CLOCK_FIELDS = ("period_id", "sequence_rule", "clock_start", "original_due_date", "due_date")
# The columns of the held rows that the import compares (or needs to match and write).
# The expected date and the date of death are for the rules a changed date of birth passes.
HELD_CHILD = (
    "id",
    "la_child_id",
    "iro_id",
    "expected_date_of_birth",
    "date_of_death",
    *CHILD_FIELDS,
)
HELD_PERIOD = ("id", "child_id", "start_date", "end_date")
HELD_EPISODE = ("id", "decom", *EPISODE_FIELDS)
HELD_REVIEW = (
    "id",
    "child_id",
    "held_date",
    "status",
    "source",
    "kind",
    "participation_code",
    "ended_reason",
    *REVIEW_CLOCK_FIELDS,
)
Held = dict[str, Any]  # a held row's columns, by attname
# An open review of a child no longer in care.
CANCELLED_NOT_IN_CARE = {
    "status": workflow.CANCELLED,
    "ended_reason": "The child is no longer looked after.",
}


@dataclass
class HeldState:
    """What the service already holds for the children of a return, read under lock: the
    columns of ``HELD_CHILD``, ``HELD_PERIOD``, ``HELD_EPISODE`` and ``HELD_REVIEW``."""

    children: dict[str, Held]
    periods: dict[int, list[Held]]  # by child pk
    episodes: dict[int, dict[date, Held]]  # by child pk, then DECOM
    reviews: dict[int, list[Held]]  # by child pk: held and open ones

    def held_episodes(self) -> dict[str, list[HeldEpisode]]:
        """Each child's episodes as the validator takes them, by child ID."""
        out = {}
        for la_id, child in self.children.items():
            out[la_id] = [
                HeldEpisode(
                    e["id"],
                    EpisodeValues(
                        decom=e["decom"],
                        rne=e["rne"],
                        ls=e["ls"],
                        cin=e["cin"],
                        place=e["place"],
                        place_provider=e["place_provider"],
                        dec=e["dec"],
                        rec=e["rec"],
                        reason_place_change=e["reason_place_change"],
                    ),
                )
                for _, e in sorted(self.episodes.get(child["id"], {}).items())
            ]
        return out

    def held_births(self, header: Iterable[HeaderRow]) -> dict[str, HeldBirth]:
        """What is held of the birth and death of each child whose date of birth the
        Header rows change, by child ID."""
        out = {}
        for row in header:
            child = self.children.get(row.child)
            if child is not None and child["date_of_birth"] != row.dob:
                out[row.child] = HeldBirth(
                    child["date_of_birth"], child["expected_date_of_birth"], child["date_of_death"]
                )
        return out


def held_state(child_ids: Iterable[str]) -> HeldState:
    """The children of the return (locked until the import's transaction ends), their
    periods, episodes, and held and open reviews: four queries."""
    locked = Child.objects.select_for_update(of=("self",))
    children = {
        c["la_child_id"]: c
        for c in locked.filter(la_child_id__any=list(set(child_ids))).values(*HELD_CHILD)
    }
    pks = [c["id"] for c in children.values()]
    periods: dict[int, list[Held]] = defaultdict(list)
    period_child = {}
    held_periods = PeriodOfCare.objects.filter(child_id__any=list(pks))
    for period in held_periods.order_by("start_date").values(*HELD_PERIOD):
        periods[period["child_id"]].append(period)
        period_child[period["id"]] = period["child_id"]
    episodes: dict[int, dict[date, Held]] = defaultdict(dict)
    held_episodes = Episode.objects.filter(period_id__any=list(period_child))
    for episode in held_episodes.order_by().values(*HELD_EPISODE):
        episodes[period_child[episode["period_id"]]][episode["decom"]] = episode
    reviews: dict[int, list[Held]] = defaultdict(list)
    statuses = [workflow.HELD, *workflow.OPEN_STATUSES]
    held_or_open = Review.objects.filter(child_id__any=list(pks), status__in=statuses)
    for review in held_or_open.values(*HELD_REVIEW):
        reviews[review["child_id"]].append(review)
    return HeldState(children, periods, episodes, reviews)


@dataclass
class _Counts:
    added: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated}


@dataclass
class _Writer:
    data: Return
    periods: dict[str, list[Period]]
    state: HeldState
    by: User | None
    advance: Callable[[int], None]
    # One rule book per clock start for the whole return (the service's own cache is small).
    books: RuleBooks = field(default_factory=lambda: cache(rule_books()))
    calendar: WorkingCalendar = field(default_factory=working_calendar)
    reason: str = ""
    changed_children: set[int] = field(default_factory=set)
    added_children: set[int] = field(default_factory=set)
    # Children already held whose date of birth the return set or changed.
    births: set[int] = field(default_factory=set)
    summary: dict[str, _Counts] = field(default_factory=lambda: defaultdict(_Counts))
    held_dates: dict[int, set[date]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reason = f"SSDA903 import {ssda903.year_label(self.data.year)}"

    # Bulk writes with history ------------------------------------------------------------

    def create(self, model: type[Model], rows: list[Row], kind: str | None) -> list[int]:
        """Insert rows (dicts by attname) with their history; their ids, in order."""
        ids = insert_with_history(model, rows, by=self.by, reason=self.reason)
        if kind is not None:
            self.summary[kind].added += len(ids)
        return ids

    def update(
        self, model: type[Model], changes: dict[int, Row], fields: Iterable[str], kind: str | None
    ) -> None:
        """Write ``changes`` (new values by row id) with their history: the full rows of
        only those ids are read, changed and saved."""
        if not changes:
            return
        objects = list(model._default_manager.filter(id__any=list(changes)))
        for instance in objects:
            for name, value in changes[instance.pk].items():
                setattr(instance, name, value)
        names = [name.removesuffix("_id") for name in fields]
        bulk_update_with_history(
            objects,
            model,
            names,
            batch_size=BATCH,
            default_user=self.by,
            default_change_reason=self.reason,
        )
        if kind is not None:
            self.summary[kind].updated += len(objects)

    # Children ------------------------------------------------------------------------------

    def children(self) -> dict[str, int]:
        new, changed = [], {}
        for row in self.data.header:
            values = {
                "sex": row.sex,
                "date_of_birth": row.dob,
                "ethnicity": row.ethnic,
                "upn": row.upn,
            }
            child = self.state.children.get(row.child)
            if child is None:
                new.append(
                    {
                        "la_child_id": row.child,
                        "first_name": IMPORTED_FIRST_NAME,
                        "last_name": row.child,
                        **values,
                    }
                )
            elif differences := _assign(child, values):
                changed[child["id"]] = differences
        self.update(Child, changed, CHILD_FIELDS, "children")
        created = self.create(Child, new, "children")
        self.changed_children.update(changed)
        self.added_children.update(created)
        self.births.update(pk for pk, values in changed.items() if "date_of_birth" in values)
        self.advance(len(self.data.header))
        pks = {la_id: child["id"] for la_id, child in self.state.children.items()}
        return pks | {row["la_child_id"]: pk for row, pk in zip(new, created, strict=True)}

    # Periods of care -----------------------------------------------------------------------

    def periods_of_care(self, child_pks: dict[str, int]) -> dict[tuple[int, date], int]:
        """Each derived period matched on (child, start): new ones created, changed ends
        updated (closing before opening, for the one-open-period constraint)."""
        cla11: dict[date, date] = {}
        clocks: dict[tuple[date, date | None], dict] = {}
        born = {row.child: row.dob for row in self.data.header}
        new: list[Row] = []
        changed: dict[int, Row] = {}
        pks = {}
        for la_id, derived in self.periods.items():
            child_pk = child_pks[la_id]
            held = {p["start_date"]: p for p in self.state.periods.get(child_pk, [])}
            for period in derived:
                existing = held.get(period.start)
                if existing is None:
                    books = self.books(period.start)
                    if period.start not in cla11:
                        cla11[period.start] = due_date(books["CLA-11"], period.start, self.calendar)
                    key = (period.start, born.get(la_id))
                    if key not in clocks:
                        # H-1 and E-1 (from E-1-FROM-AGE): the return carries no health or
                        # PEP dates.
                        clocks[key] = new_period_clocks(
                            start=period.start,
                            date_of_birth=key[1],
                            rules=books,
                            calendar=self.calendar,
                        )
                    new.append(
                        {
                            "child_id": child_pk,
                            "start_date": period.start,
                            "end_date": period.end,
                            "iro_allocation_due": cla11[period.start],
                            **clocks[key],
                        }
                    )
                else:
                    pks[(child_pk, period.start)] = existing["id"]
                    if differences := _assign(existing, {"end_date": period.end}):
                        changed[existing["id"]] = differences
                        self.changed_children.add(child_pk)
        self.update(PeriodOfCare, changed, ["end_date"], "periods_of_care")
        created = self.create(PeriodOfCare, new, "periods_of_care")
        for row, pk in zip(new, created, strict=True):
            pks[(row["child_id"], row["start_date"])] = pk
        return pks

    # Episodes ------------------------------------------------------------------------------

    def episodes(self, child_pks: dict[str, int], period_pks: dict[tuple[int, date], int]) -> None:
        period_of: dict[tuple[int, date], int] = {}
        for la_id, derived in self.periods.items():
            child_pk = child_pks[la_id]
            for period in derived:
                for decom in period.decoms:
                    period_of[(child_pk, decom)] = period_pks[(child_pk, period.start)]
        new: list[Row] = []
        changed: dict[int, Row] = {}
        in_file = set()
        for row in self.data.episodes:
            child_pk = child_pks[row.child]
            key = (child_pk, row.values.decom)
            in_file.add(key)
            values = {
                "period_id": period_of[key],
                "rne": row.values.rne,
                "ls": row.values.ls,
                "cin": row.values.cin,
                "place": row.values.place,
                "place_provider": row.values.place_provider,
                "dec": row.values.dec,
                "rec": row.values.rec,
                "reason_place_change": row.values.reason_place_change,
                "home_post": row.home_post,
                "pl_post": row.pl_post,
                "urn": row.urn,
            }
            existing = self.state.episodes.get(child_pk, {}).get(row.values.decom)
            if existing is None:
                new.append({"decom": row.values.decom, **values})
                self.changed_children.add(child_pk)
            elif differences := _assign(existing, values):
                changed[existing["id"]] = differences
                self.changed_children.add(child_pk)
        # Episodes held but not in this file stay; they move if their period was re-derived.
        for child_pk, held in self.state.episodes.items():
            for decom, episode in held.items():
                key = (child_pk, decom)
                if key in in_file or key not in period_of:
                    continue
                if differences := _assign(episode, {"period_id": period_of[key]}):
                    changed[episode["id"]] = differences
        self.update(Episode, changed, EPISODE_FIELDS, "episodes")
        self.create(Episode, new, "episodes")
        self.advance(len(self.data.episodes))

    # Reviews -------------------------------------------------------------------------------

    def reviews(self, child_pks: dict[str, int], period_pks: dict[tuple[int, date], int]) -> None:
        """Held reviews matched on (child, date). Every imported review's clock is worked
        out again from all the reviews held in its period (CLA-1/2/3, CLA-4, CLA-5), so an
        added earlier review moves the later ones' due dates as it would in the service."""
        in_file: dict[int, dict[date, str]] = defaultdict(dict)
        for row in self.data.reviews:
            in_file[child_pks[row.child]][row.held] = row.code
        new: list[Row] = []
        changed: dict[int, Row] = {}
        for la_id, derived in self.periods.items():
            child_pk = child_pks[la_id]
            held = {
                r["held_date"]: r
                for r in reversed(self.state.reviews.get(child_pk, []))
                if r["status"] == workflow.HELD
            }
            self.held_dates[child_pk] = dates = set(held) | set(in_file[child_pk])
            for period in derived:
                period_pk = period_pks[(child_pk, period.start)]
                for day, clock in self._clocks(period, period_pk, dates):
                    code = in_file[child_pk].get(day)
                    existing = held.get(day)
                    if existing is None:
                        new.append(
                            {
                                "child_id": child_pk,
                                "held_date": day,
                                "participation_code": code,
                                "status": workflow.HELD,
                                "source": RecordSource.IMPORTED.value,
                                **clock,
                            }
                        )
                        self.changed_children.add(child_pk)
                    elif existing["source"] == RecordSource.IMPORTED:
                        values = clock | ({"participation_code": code} if code else {})
                        if differences := _assign(existing, values):
                            changed[existing["id"]] = differences
                            self.changed_children.add(child_pk)
        self.update(Review, changed, [*REVIEW_CLOCK_FIELDS, "participation_code"], "reviews")
        self.create(Review, new, "reviews")
        self.advance(len(self.data.reviews))

    def _clocks(
        self, period: Period, period_pk: int, dates: set[date]
    ) -> list[tuple[date, dict[str, object]]]:
        """Each review held in the period with the clock it was due under."""
        in_period = sorted(day for day in dates if period.holds(day))
        books = self.books(period.start)
        out = []
        for index, day in enumerate(in_period):
            deadline = next_cla_review(
                period_start=period.start,
                reviews_held=in_period[:index],
                rules=books,
                calendar=self.calendar,
            )
            out.append((day, _clock(deadline, period_pk)))
        return out

    def next_reviews(
        self, child_pks: dict[str, int], period_pks: dict[tuple[int, date], int]
    ) -> None:
        """Each child of the return who is in care has one next review (due or scheduled)
        whose clock follows the reviews now held, as ``reviews.services`` keeps it
        (``review_ensure_next``, ``_resequence_next``); a child no longer in care has none
        open. Worked out here for the whole return with one calendar and one rule book
        (``reviews_sync_next`` reads both again for every period)."""
        cancelled: dict[int, Row] = {}
        moved: dict[int, Row] = {}
        new: list[Row] = []
        iro_of = {child["id"]: child["iro_id"] for child in self.state.children.values()}
        for la_id, derived in self.periods.items():
            child_pk = child_pks[la_id]
            current = next((p for p in derived if p.end is None), None)
            open_reviews = [
                r
                for r in self.state.reviews.get(child_pk, [])
                if r["status"] in workflow.OPEN_STATUSES
            ]
            if current is None:
                for review in open_reviews:
                    cancelled[review["id"]] = _assign(review, CANCELLED_NOT_IN_CARE)
                continue
            deadline = next_cla_review(
                period_start=current.start,
                reviews_held=[d for d in self.held_dates[child_pk] if current.holds(d)],
                rules=self.books(current.start),
                calendar=self.calendar,
            )
            clock = _clock(deadline, period_pks[(child_pk, current.start)])
            if not open_reviews:
                new.append({"child_id": child_pk, "chair_id": iro_of.get(child_pk), **clock})
            for review in open_reviews:
                if review["kind"] == Review.Kind.STATUTORY and (
                    differences := _assign(review, clock)
                ):
                    moved[review["id"]] = differences
        self.update(Review, cancelled, ["status", "ended_reason"], None)
        self.update(Review, moved, REVIEW_CLOCK_FIELDS, None)
        self.create(Review, new, None)
        today = timezone.localdate()
        insert(
            ChildEvent,
            [
                {
                    "child_id": review["child_id"],
                    "occurred_on": today,
                    "kind": "review",
                    "summary": f"Next review due by {review['due_date']:%d/%m/%Y} "
                    f"({review['sequence_rule']})",
                    "by_id": None,
                }
                for review in new
            ],
        )

    def follow_births(self) -> None:
        """Work out again what depends on the dates of birth the return set or corrected
        on children already held, as recording or correcting a birth by hand does: their
        deadlines (``birth_deadlines_refresh``: H-2 and E-1 on their open periods, then every
        stored due date of their open items, CP-8 among them, each move a
        ``DueDateChange``), then their retention end (``records_changed``), set-based. An
        unborn child's expected date of birth stays, as ``record_birth`` keeps it. A return
        that changes no date of birth does no work. The children it creates get their
        retention end from the nightly recompute, with the care of every child it changed
        (worked out here, it would add a tenth to a first import). Their timeline line is
        the import's ("Care record updated")."""
        births = sorted(self.births)
        birth_deadlines_refresh(child_ids=births, cause=f"{self.reason}: date of birth", by=self.by)
        records_changed(child_ids=births)

    def events(self) -> None:
        """One line on each timeline the import changed (ChildEvent rows)."""
        today, label = timezone.localdate(), ssda903.year_label(self.data.year)
        lines = [
            (pk, f"Record created from the SSDA903 return {label}") for pk in self.added_children
        ]
        lines += [
            (pk, f"Care record updated from the SSDA903 return {label}")
            for pk in self.changed_children - self.added_children
        ]
        by_id = self.by.pk if self.by is not None else None
        insert(
            ChildEvent,
            [
                {
                    "child_id": pk,
                    "occurred_on": today,
                    "kind": "import",
                    "summary": text,
                    "by_id": by_id,
                }
                for pk, text in lines
            ],
        )


SUMMARY_KINDS = ("children", "periods_of_care", "episodes", "reviews")


def write_return(
    data: Return,
    periods: dict[str, list[Period]],
    state: HeldState,
    *,
    by: User | None,
    advance: Callable[[int], None],
) -> Summary:
    """Write a validated return (inside the caller's transaction); counts added and updated."""
    writer = _Writer(data, periods, state, by, advance)
    child_pks = writer.children()
    period_pks = writer.periods_of_care(child_pks)
    writer.episodes(child_pks, period_pks)
    writer.reviews(child_pks, period_pks)
    writer.next_reviews(child_pks, period_pks)
    writer.follow_births()
    writer.events()
    return {kind: writer.summary[kind].as_dict() for kind in SUMMARY_KINDS}


def _clock(deadline: Deadline, period_pk: int) -> dict[str, object]:
    return {
        "period_id": period_pk,
        "sequence_rule": deadline.rule_id,
        "clock_start": deadline.start,
        "original_due_date": deadline.due,
        "due_date": deadline.due,
    }


def _assign(held: Held, values: Row) -> Row:
    """Set the values that differ from the held row; those values."""
    differences = {name: value for name, value in values.items() if held[name] != value}
    held.update(differences)
    return differences
