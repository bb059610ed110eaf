"""Where each app tells the clock which stored due dates it keeps.

A domain app registers a ``DueDateSource`` for every due-date column in its ``AppConfig.ready``
(apps depend on timescales, never the other way). When the calendar or a local rule changes,
``timescales.services.due_dates_recompute`` walks every source's open rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Model, Q

from timescales.calendar import WorkingCalendar
from timescales.rules import RuleBook


@dataclass(frozen=True)
class DueDateSource:
    """One stored due date: ``model.due_field`` is derived from ``start_field`` (a column or
    a property) by the rule in ``rule_field`` (a column) or ``rule_id`` (fixed), or by
    ``compute`` when the rule needs more than one date. ``open_rows`` selects the rows whose
    event has not happened yet: only those move when the rules change."""

    model: type[Model]
    start_field: str
    due_field: str
    open_rows: Q
    rule_id: str = ""
    rule_field: str = ""
    compute: Callable[[str, date, RuleBook, WorkingCalendar], date] | None = None

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}:{self.due_field}"


_SOURCES: list[DueDateSource] = []


def register(source: DueDateSource) -> None:
    if all(existing.label != source.label for existing in _SOURCES):
        _SOURCES.append(source)


def sources() -> tuple[DueDateSource, ...]:
    return tuple(_SOURCES)
