"""The timed rules of DOMAIN.md section 11 as data, due dates, and met/late/overdue.

Pure Python: no Django, no clock. Each rule carries its ID, the event that starts its
clock, the amount and unit, its source and status tag, and whether an administrator may
change the amount (DOMAIN.md "Decided defaults", last column). The Django side stores
local amounts with effective-from dates and builds the ``RuleBook`` in force on a date.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

from timescales.calendar import WorkingCalendar, add_months, add_weeks, add_years


class Unit(StrEnum):
    """How a rule's amount is counted (DOMAIN.md section 11 conventions)."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class Status(StrEnum):
    """Status tag of the rule's source (DOMAIN.md section 0)."""

    STATUTE = "statute"
    STAT_GUIDANCE = "stat_guidance"
    DATA_SPEC = "data_spec"
    LOCAL = "local"


@dataclass(frozen=True)
class Rule:
    """One timed rule: its clock starts at ``start_event`` and runs ``amount`` ``unit``.

    ``local`` says whether an administrator may change the amount. ``counts_back`` marks
    rules whose due date lies before the start event (CP-10: reports due N WD before the
    conference); it defaults to False so every other rule reads as "within N of".
    """

    id: str
    title: str
    start_event: str
    amount: int
    unit: Unit
    source: str
    status: Status
    local: bool
    counts_back: bool = False

    def __post_init__(self) -> None:
        # A zero or negative clock is a data-entry mistake, never a statutory period.
        if self.amount < 1:
            raise ValueError(f"{self.id}: amount must be at least 1, got {self.amount}")


RuleBook: TypeAlias = Mapping[str, Rule]


def due_date(rule: Rule, start: date, calendar: WorkingCalendar) -> date:
    """The date by which the event is due, ``start`` being day 0 of the rule's clock.

    Working days follow the "event day is day 0" convention; weeks are 7 days; months
    are calendar months clamped to the month's end; years are birthdays (``add_years``:
    E-1-FROM-AGE, E-1-END-AGE count from the date of birth). ``counts_back`` rules (CP-10)
    count the same amount backwards from ``start``.
    """
    if rule.unit == Unit.WORKING_DAYS:
        if rule.counts_back:
            return calendar.subtract_working_days(start, rule.amount)
        return calendar.add_working_days(start, rule.amount)
    signed = -rule.amount if rule.counts_back else rule.amount
    if rule.unit == Unit.MONTHS:
        return add_months(start, signed)
    if rule.unit == Unit.YEARS:
        return add_years(start, signed)
    if rule.unit == Unit.WEEKS:
        return add_weeks(start, signed)
    return start + timedelta(days=signed)


def with_amount(rule: Rule, amount: int) -> Rule:
    """A copy of a local rule with the administrator's amount.

    Refuses rules that are not local: statutory and national amounts are not settings
    (DOMAIN.md "Decided defaults").
    """
    if not rule.local:
        raise ValueError(f"{rule.id} is not a local rule; its amount cannot be changed")
    return replace(rule, amount=amount)


_WD = Unit.WORKING_DAYS
_WEEKS = Unit.WEEKS
_MONTHS = Unit.MONTHS
_YEARS = Unit.YEARS
_STATUTE = Status.STATUTE
_GUIDANCE = Status.STAT_GUIDANCE
_LOCAL = Status.LOCAL

# One row per rule: Rule(id, title, start event, amount, unit, source, status, local=...).
# fmt: off
_DEFAULTS: tuple[Rule, ...] = (
    # Children in care reviews: CPPCR 2010 reg 33, short breaks reg 48, adoption AAR reg 36.
    Rule("CLA-1", "First review of a child in care", "child became looked after",
         20, _WD, "CPPCR 2010 reg 33(1)", _STATUTE, local=False),
    Rule("CLA-2", "Second review of a child in care", "first review held",
         3, _MONTHS, "CPPCR 2010 reg 33(2)", _STATUTE, local=False),
    Rule("CLA-3", "Later review of a child in care",
         "previous review held (including an early or extra review)",
         6, _MONTHS, "CPPCR 2010 reg 33(2)", _STATUTE, local=False),
    Rule("CLA-6", "First short-break review", "first short break started",
         3, _MONTHS, "CPPCR 2010 reg 48 (LA summary)", _STATUTE, local=False),
    Rule("CLA-6-LATER", "Later short-break review", "previous short-break review held",
         6, _MONTHS, "CPPCR 2010 reg 48 (LA summary)", _STATUTE, local=False),
    Rule("CLA-7", "First adoption review, authorised but not placed",
         "authority to place for adoption first given",
         3, _MONTHS, "AAR 2005 reg 36(1)", _STATUTE, local=False),
    Rule("CLA-7-LATER", "Later adoption review, authorised but not placed",
         "previous adoption review held",
         6, _MONTHS, "AAR 2005 reg 36(1)", _STATUTE, local=False),
    Rule("CLA-8", "First review after placement for adoption", "child placed for adoption",
         4, _WEEKS, "AAR 2005 reg 36(3)", _STATUTE, local=False),
    Rule("CLA-8-SECOND", "Second review after placement for adoption",
         "first adoption review held",
         3, _MONTHS, "AAR 2005 reg 36(3)", _STATUTE, local=False),
    Rule("CLA-8-LATER", "Later review after placement for adoption",
         "previous adoption review held",
         6, _MONTHS, "AAR 2005 reg 36(3)", _STATUTE, local=False),
    # IRO duties around a review.
    Rule("CLA-10", "IRO service told of a new child in care", "child became looked after",
         2, _WD, "LOCAL Herts/Walsall - configurable", _LOCAL, local=True),
    Rule("CLA-11", "IRO allocated", "child became looked after",
         5, _WD, "LOCAL Herts/Rochdale - configurable", _LOCAL, local=True),
    Rule("CLA-13", "Review decisions circulated", "review held",
         5, _WD, "IRO Handbook (UNVERIFIED para)", _GUIDANCE, local=True),
    Rule("CLA-14", "Full review record circulated", "review held",
         20, _WD, "IRO Handbook (UNVERIFIED para)", _GUIDANCE, local=True),
    Rule("CLA-15", "Team manager contests the decisions or signs off the record",
         "decisions or record received",
         5, _WD, "LOCAL - configurable", _LOCAL, local=True),
    # Child protection: Working Together 2018/2023 as restated by LA procedures.
    Rule("CP-1", "Initial child protection conference",
         "strategy discussion at which the s47 enquiry started",
         15, _WD, "Working Together 2018/2023", _GUIDANCE, local=False),
    Rule("CP-4", "First core group", "initial child protection conference held",
         10, _WD, "Working Together", _GUIDANCE, local=False),
    Rule("CP-5", "Later core group", "previous core group held",
         4, _WEEKS, "LOCAL Newcastle/Sefton (range 4-6 weeks) - configurable", _LOCAL,
         local=True),
    Rule("CP-6", "First review child protection conference",
         "initial child protection conference held",
         3, _MONTHS, "Working Together", _GUIDANCE, local=False),
    Rule("CP-7", "Later review child protection conference", "previous review conference held",
         6, _MONTHS, "Working Together", _GUIDANCE, local=False),
    Rule("CP-8", "First review conference of a pre-birth plan, counted from the birth",
         "child born",
         10, _WD, "LOCAL Liverpool/Tees - configurable", _LOCAL, local=True),
    Rule("CP-9", "Transfer-in conference", "notification of the child's permanent move",
         15, _WD, "Working Together (via LA procedures)", _GUIDANCE, local=False),
    Rule("CP-10-ICPC", "Reports to parents and chair before an initial conference",
         "initial conference date (counted back)",
         2, _WD, "LOCAL Liverpool CS practice standards - configurable", _LOCAL,
         local=True, counts_back=True),
    Rule("CP-10-RCPC", "Reports to parents and chair before a review conference",
         "review conference date (counted back)",
         5, _WD, "LOCAL Liverpool CS practice standards - configurable", _LOCAL,
         local=True, counts_back=True),
    Rule("CP-OUTCOME", "Conference outcome and decisions sent to attendees", "conference held",
         1, _WD, "LOCAL - DOMAIN.md decided defaults", _LOCAL, local=True),
    Rule("CP-MINUTES", "Conference minutes sent", "conference held",
         20, _WD, "LOCAL - DOMAIN.md decided defaults", _LOCAL, local=True),
    Rule("CP-11", "Statutory visit to a child on a child protection plan",
         "plan started, then previous visit",
         10, _WD, "LOCAL Liverpool/Central Bedfordshire - configurable per plan", _LOCAL,
         local=True),
    Rule("CP-14-15M", "Child protection plan open 15 months", "plan started",
         15, _MONTHS, "LOCAL 2019-20 IRO annual report priority", _LOCAL, local=True),
    Rule("CP-14-18M", "Child protection plan open 18 months", "plan started",
         18, _MONTHS, "LOCAL - configurable", _LOCAL, local=True),
    Rule("CP-14-2Y", "Child protection plan open 2 years", "plan started",
         24, _MONTHS, "DfE CIN statistics table D7", Status.DATA_SPEC, local=True),
    # Statutory visits to children in care: CPPCR 2010 reg 28, AAR 2005 reg 36(4).
    Rule("V-1", "Visit after a placement starts", "placement started",
         1, _WEEKS, "CPPCR 2010 reg 28(2)(a)", _STATUTE, local=False),
    Rule("V-2", "Visit in the first year of a placement", "previous visit",
         6, _WEEKS, "CPPCR 2010 reg 28(2)(b)", _STATUTE, local=False),
    Rule("V-3", "Visit after the first year of a placement intended to last until 18",
         "previous visit",
         3, _MONTHS, "CPPCR 2010 reg 28(2)(c)", _STATUTE, local=False),
    Rule("V-3-OTHER", "Visit after the first year of any other placement", "previous visit",
         6, _WEEKS, "CPPCR 2010 reg 28(2)(c)", _STATUTE, local=False),
    Rule("V-4", "Weekly visit until the first review: placed with parent pending assessment",
         "placement started, then previous visit",
         1, _WEEKS, "CPPCR 2010 reg 28(3)", _STATUTE, local=False),
    Rule("V-4-LATER", "Visit after the first review: placed with parent pending assessment",
         "previous visit",
         6, _WEEKS, "CPPCR 2010 reg 28(3)", _STATUTE, local=False),
    Rule("V-5", "Weekly visit until the first review: connected person or ICO at home",
         "placement started, then previous visit",
         1, _WEEKS, "CPPCR 2010 reg 28(4)", _STATUTE, local=False),
    Rule("V-5-LATER", "Visit after the first review: connected person or ICO at home",
         "previous visit",
         4, _WEEKS, "CPPCR 2010 reg 28(4)", _STATUTE, local=False),
    Rule("V-6", "Visit after a care order while living with a parent", "care order made",
         1, _WEEKS, "CPPCR 2010 reg 28(5)", _STATUTE, local=False),
    Rule("V-6-LATER", "Later visit: care order, living with a parent", "previous visit",
         6, _WEEKS, "CPPCR 2010 reg 28(5)", _STATUTE, local=False),
    Rule("V-7", "Weekly visit until the first adoption review: placed for adoption",
         "child placed for adoption, then previous visit",
         1, _WEEKS, "AAR 2005 reg 36(4)", _STATUTE, local=False),
    # Health and education.
    Rule("H-1", "Initial health assessment", "child became looked after",
         20, _WD, "Promoting the health and wellbeing of looked-after children (2015)",
         _GUIDANCE, local=False),
    Rule("H-2-UNDER-5", "Review health assessment, child under 5",
         "previous health assessment",
         6, _MONTHS, "CPPCR 2010 reg 7 (via LA summaries)", _STATUTE, local=False),
    Rule("H-2", "Review health assessment, child 5 or over", "previous health assessment",
         12, _MONTHS, "CPPCR 2010 reg 7 (via LA summaries)", _STATUTE, local=False),
    Rule("E-1", "Personal education plan in place",
         "child became looked after (emergency), or reached the PEP starting age in care",
         10, _WD, "Statutory guidance; LOCAL Knowsley", _GUIDANCE, local=False),
    # "Promoting the education of looked-after and previously looked-after children" (DfE
    # 2018): a PEP is part of the care plan of a child of compulsory school age; virtual
    # schools extend it to early years from 3 and up to 18. The ages are the council's.
    Rule("E-1-FROM-AGE", "Personal education plans start at this birthday", "child born",
         3, _YEARS, "DfE 2018 PEP guidance; LOCAL virtual school early years - configurable",
         _LOCAL, local=True),
    Rule("E-1-END-AGE", "No personal education plan is due from this birthday", "child born",
         18, _YEARS, "DfE 2018 PEP guidance; LOCAL virtual school - configurable",
         _LOCAL, local=True),
    # "PEPs are reviewed termly" (DOMAIN.md s.8, UNVERIFIED national wording): three school
    # terms a year, so one review every 4 months by default; the council may change it.
    Rule("E-1-REVIEW", "Personal education plan reviewed (termly)",
         "previous personal education plan",
         4, _MONTHS, "LOCAL termly review (UNVERIFIED national wording) - configurable",
         _LOCAL, local=True),
    # Issues Resolution Process (IRO Handbook chapter 6).
    Rule("DR-1", "Response to an informal issue", "issue raised informally",
         10, _WD, "IRO Handbook 6.1 + LOCAL Nottinghamshire - configurable", _GUIDANCE,
         local=True),
    Rule("DR-2", "Response at a formal stage", "formal stage raised",
         5, _WD, "LOCAL anonymous LA alerts protocol - configurable", _LOCAL, local=True),
    Rule("DR-3", "Whole formal Issues Resolution Process", "formal stage 1 raised",
         20, _WD, "IRO Handbook 6.2", _GUIDANCE, local=False),
)
# fmt: on

DEFAULT_RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _DEFAULTS})


def build_rule_book(amounts: Mapping[str, int]) -> RuleBook:
    """The rules in force: ``DEFAULT_RULES`` with the administrator's local amounts.

    ``amounts`` maps rule IDs to the amount in force on the date being judged. An
    unknown ID raises KeyError; a non-local rule raises ValueError (see ``with_amount``).
    """
    book = dict(DEFAULT_RULES)
    for rule_id, amount in amounts.items():
        book[rule_id] = with_amount(DEFAULT_RULES[rule_id], amount)
    return MappingProxyType(book)


class DeadlineStatus(StrEnum):
    """Where an event stands against its due date (DOMAIN.md "met / late / overdue")."""

    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    MET = "met"
    LATE = "late"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Assessment:
    """A status and, when late or overdue, how late (a positive number, else None)."""

    status: DeadlineStatus
    days_late: int | None = None


def assess(
    *,
    due: date,
    done: date | None,
    today: date,
    unit: Unit,
    calendar: WorkingCalendar,
    soon_working_days: int = 5,
) -> Assessment:
    """Judge one deadline (DOMAIN.md "met / late / overdue").

    Met if done on or before ``due``; late if done after it; overdue if not done and
    ``today`` is after ``due``. Days late are working days for working-day rules and
    calendar days otherwise. Not done and not overdue: due soon when at most
    ``soon_working_days`` working days remain (today itself is day 0), else upcoming.
    ``due`` must be the original due date: rescheduling never moves it.
    """
    if done is not None:
        if done <= due:
            return Assessment(DeadlineStatus.MET)
        return Assessment(DeadlineStatus.LATE, _days_late(due, done, unit, calendar))
    if today > due:
        return Assessment(DeadlineStatus.OVERDUE, _days_late(due, today, unit, calendar))
    if calendar.working_days_between(today, due) <= soon_working_days:
        return Assessment(DeadlineStatus.DUE_SOON)
    return Assessment(DeadlineStatus.UPCOMING)


def _days_late(due: date, after: date, unit: Unit, calendar: WorkingCalendar) -> int:
    """Days from ``due`` to a later date, in the rule's own unit of days."""
    if unit == Unit.WORKING_DAYS:
        # An event on a weekend or holiday just after the due date has used up no working
        # day yet is still late; count it as one working day late rather than zero.
        return max(1, calendar.working_days_between(due, after))
    return (after - due).days
