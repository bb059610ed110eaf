"""Where each app tells the clock which stored due dates it keeps.

A domain app registers a ``DueDateSource`` for every due-date column in its ``AppConfig.ready``
(apps depend on timescales, never the other way). When the calendar or a local rule changes,
``timescales.services.due_dates_recompute`` walks every source's open rows; when children's
records change (a birth recorded or imported), it walks those children's open rows only.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model, Q

from timescales.calendar import WorkingCalendar
from timescales.rules import RuleBook
from timescales.sequences import Deadline

# The rule book in force on a date (``timescales.services.rule_books``).
RuleBooks = Callable[[date], RuleBook]


@dataclass(frozen=True)
class DueDateSource:
    """One stored due date: ``model.due_field`` is derived from ``start_field`` (a column or
    a property) by the rule in ``rule_field`` (a column) or ``rule_id`` (fixed), or by
    ``compute`` when the rule needs more than one date. ``open_rows`` selects the rows whose
    event has not happened yet: only those move when the rules change, and only those that
    store a due date (an imported held conference or review stores none after its date).

    ``deadline`` is for a clock that depends on other records (CP-8: once the birth is
    recorded it can choose the rule and the start as well as the due date): given a row
    (with ``related`` joined), it returns the ``Deadline`` to store, or None to keep the
    stored rule and start. ``rule_field`` and ``start_field`` are then columns, stored with
    the due date. ``child_field`` is the lookup from a row to its child."""

    model: type[Model]
    start_field: str
    due_field: str
    open_rows: Q
    rule_id: str = ""
    rule_field: str = ""
    compute: Callable[[str, date, RuleBook, WorkingCalendar], date] | None = None
    deadline: Callable[[Any, RuleBooks, WorkingCalendar], Deadline | None] | None = None
    related: tuple[str, ...] = ()
    child_field: str = "child"

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}:{self.due_field}"


_SOURCES: list[DueDateSource] = []


def register(source: DueDateSource) -> None:
    if all(existing.label != source.label for existing in _SOURCES):
        _SOURCES.append(source)


def sources() -> tuple[DueDateSource, ...]:
    return tuple(_SOURCES)
