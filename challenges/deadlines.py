"""Due dates of the Issues Resolution Process, from the clock engine (DR-1, DR-2, DR-3)."""

from datetime import date

from timescales.calendar import WorkingCalendar
from timescales.rules import RuleBook, due_date, with_amount
from timescales.sequences import formal_process_due, stage_response_due


def stage_rule(*, stage: str, override_days: int | None) -> str:
    """The stored rule of a stage: "DR-1" (informal) or "DR-2" (formal), with ":N" when
    the stage's settings override the rule book's amount; blank for Cafcass."""
    from challenges import workflow

    if stage == workflow.CAFCASS:
        return ""
    base = "DR-1" if stage == workflow.INFORMAL else "DR-2"
    return f"{base}:{override_days}" if override_days else base


def stage_due_compute(rule: str, start: date, rules: RuleBook, calendar: WorkingCalendar) -> date:
    """The response due date of a stage raised on ``start`` (DR-1/DR-2, the rule in force
    on that date, or the stage's own number of working days)."""
    base, _, days = rule.partition(":")
    if days:
        return due_date(with_amount(rules[base], int(days)), start, calendar)
    return stage_response_due(
        raised=start, informal=base == "DR-1", rules=rules, calendar=calendar
    ).due


def formal_due_compute(start: date, rules: RuleBook, calendar: WorkingCalendar) -> date:
    """DR-3: the whole formal process within 20 WD of the first formal stage."""
    return formal_process_due(formal_start=start, rules=rules, calendar=calendar).due
