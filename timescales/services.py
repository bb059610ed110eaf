"""The Django side of the clock: the working calendar from ``holidays`` and the extra
non-working days table, the rule book in force on a date, and the recompute of stored due
dates when either table changes.

Everything here reads stored dates and tables; the arithmetic is in the pure modules.
"""

import logging
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection
from datetime import date
from functools import lru_cache
from typing import Any

import holidays
from django.db import transaction
from django.db.models import CharField, IntegerField, Value
from simple_history.utils import bulk_update_with_history

from iro_service.core.errors import NotPermitted, RuleViolation
from people.models import User
from people.roles import Role
from timescales.calendar import WorkingCalendar
from timescales.models import DueDateChange, ExtraNonWorkingDay, LocalRuleValue
from timescales.registry import DueDateSource, RuleBooks, sources
from timescales.rules import DEFAULT_RULES, RuleBook, build_rule_book, due_date

logger = logging.getLogger(__name__)

# England and Wales bank holidays are generated for these years; records older than 2000
# are not case work, and one-off holidays beyond the package's knowledge go in the table.
HOLIDAY_YEARS = range(2000, 2046)


@lru_cache(maxsize=1)
def england_bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays (``holidays``: GB, subdivision ENG; DOMAIN.md s.1)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=HOLIDAY_YEARS))


def working_calendar() -> WorkingCalendar:
    """Bank holidays plus the extra non-working days an administrator added (one query)."""
    extra = frozenset(ExtraNonWorkingDay.objects.values_list("date", flat=True))
    return WorkingCalendar(non_working=england_bank_holidays() | extra)


def rule_books() -> RuleBooks:
    """A function from a date to the rule book in force on it, from one read of the local
    values table (a handful of rows)."""
    values = LocalRuleValue.objects.values_list("rule_id", "amount", "effective_from")
    return _rule_books_from(list(values))


def calendar_and_rule_books() -> tuple[WorkingCalendar, RuleBooks]:
    """``working_calendar()`` and ``rule_books()`` from one query (the two small tables
    read together), for pages that need both."""
    days = ExtraNonWorkingDay.objects.annotate(
        rule=Value("", output_field=CharField()), amount=Value(0, output_field=IntegerField())
    ).values_list("rule", "amount", "date")
    values = LocalRuleValue.objects.values_list("rule_id", "amount", "effective_from")
    rows = list(values.order_by().union(days.order_by(), all=True))
    extra = frozenset(day for rule_id, _, day in rows if not rule_id)
    calendar = WorkingCalendar(non_working=england_bank_holidays() | extra)
    return calendar, _rule_books_from([row for row in rows if row[0]])


def _rule_books_from(values: list[tuple[str, int, date]]) -> RuleBooks:
    changes: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for rule_id, amount, effective_from in sorted(values, key=lambda value: value[2]):
        changes[rule_id].append((effective_from, amount))

    @lru_cache(maxsize=256)
    def in_force(on: date) -> RuleBook:
        amounts = {}
        for rule_id, history in changes.items():
            index = bisect_right([start for start, _ in history], on)
            if index:
                amounts[rule_id] = history[index - 1][1]
        return build_rule_book(amounts)

    return in_force


def due_date_for(rule_id: str, start: date) -> date:
    """The due date under ``rule_id`` for a clock started on ``start``, with the rule in
    force on that date. Services call this when they store a due date."""
    rule = rule_books()(start)[rule_id]
    return due_date(rule, start, working_calendar())


def _clock(
    source: DueDateSource, row: Any, calendar: WorkingCalendar, books: RuleBooks
) -> tuple[str, date, date] | None:
    """The rule, start and due date ``row`` should have now; None for a row whose clock has
    not started."""
    if source.deadline is not None:
        found = source.deadline(row, books, calendar)
        if found is not None:
            return found.rule_id, found.start, found.due
    start = getattr(row, source.start_field)
    if start is None:
        return None
    rule_id = getattr(row, source.rule_field) if source.rule_field else source.rule_id
    rules = books(start)
    due = (
        source.compute(rule_id, start, rules, calendar)
        if source.compute
        else due_date(rules[rule_id], start, calendar)
    )
    return rule_id, start, due


def _recompute_source(
    source: DueDateSource,
    calendar: WorkingCalendar,
    books: RuleBooks,
    cause: str,
    by: User | None,
    child_ids: Collection[int] | None,
) -> int:
    manager = source.model._default_manager
    # A row that stores no due date has none to move: an imported conference or review
    # carries no record, so no outcome, minutes, decisions or record due date.
    stored = manager.filter(source.open_rows, **{f"{source.due_field}__isnull": False})
    rows = stored.select_related(*source.related)
    if child_ids is not None:
        # Through a subquery: a row reached through a many-to-many (a challenge about two
        # of the children) is still walked once.
        of_children = manager.filter(**{f"{source.child_field}__in": list(child_ids)})
        rows = rows.filter(pk__in=of_children.values("pk"))
    # A clock that depends on other records may move its rule and start with the due date.
    fields = [source.due_field]
    if source.deadline is not None:
        fields += [source.rule_field, source.start_field]
    moved, changes = [], []
    for row in rows.iterator(chunk_size=2000):
        clock = _clock(source, row, calendar, books)
        if clock is None:
            continue
        rule_id, start, due = clock
        old = getattr(row, source.due_field)
        values = dict(zip(fields, (due, rule_id, start), strict=False))
        if all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        moved.append(row)
        changes.append(
            DueDateChange(
                subject=f"{source.model._meta.label_lower}:{row.pk}:{source.due_field}",
                rule_id=rule_id,
                old_due=old,
                new_due=due,
                cause=cause,
                changed_by=by,
            )
        )
    if moved:
        bulk_update_with_history(moved, source.model, fields, batch_size=1000)
        DueDateChange.objects.bulk_create(changes, batch_size=1000)
    return len(moved)


@transaction.atomic
def due_dates_recompute(
    *, cause: str, by: User | None, child_ids: Collection[int] | None = None
) -> int:
    """Recompute every stored due date of every open item (only those of the children in
    ``child_ids``, with it: their records changed, a birth recorded or imported); record
    each one that moved (``DueDateChange``) and return how many moved. No children, no
    work."""
    if child_ids is not None and not child_ids:
        return 0
    calendar, books = working_calendar(), rule_books()
    moved = sum(
        _recompute_source(source, calendar, books, cause, by, child_ids) for source in sources()
    )
    logger.info("due dates recomputed: %s moved (%s)", moved, cause)
    return moved


def _require_rule_keeper(user: User) -> None:
    if not user.has_role(Role.IRO_MANAGER, Role.SYSTEM_ADMIN):
        raise NotPermitted("Only the IRO service manager or an administrator can change this.")


@transaction.atomic
def extra_non_working_day_add(
    *, day: date, description: str, by: User
) -> tuple[ExtraNonWorkingDay, int]:
    """Add a one-off bank holiday and move the open deadlines whose window spans it."""
    _require_rule_keeper(by)
    if day.weekday() >= 5:
        raise RuleViolation("That day is a weekend, which is never a working day.", field="day")
    if day in england_bank_holidays():
        raise RuleViolation("That day is already a bank holiday.", field="day")
    if ExtraNonWorkingDay.objects.filter(date=day).exists():
        raise RuleViolation("That day is already in the list.", field="day")
    extra = ExtraNonWorkingDay.objects.create(date=day, description=description, added_by=by)
    moved = due_dates_recompute(cause=f"Non-working day added: {day:%d/%m/%Y}", by=by)
    return extra, moved


@transaction.atomic
def extra_non_working_day_remove(*, extra: ExtraNonWorkingDay, by: User) -> int:
    """Remove a day added by mistake; the deadlines it moved move back."""
    _require_rule_keeper(by)
    day = extra.date
    extra.delete()
    return due_dates_recompute(cause=f"Non-working day removed: {day:%d/%m/%Y}", by=by)


@transaction.atomic
def local_rule_value_set(
    *, rule_id: str, amount: int, effective_from: date, reason: str, by: User
) -> tuple[LocalRuleValue, int]:
    """Change a local rule's amount from a date; open deadlines whose clock started on or
    after that date move, earlier ones keep the rule that was in force."""
    _require_rule_keeper(by)
    rule = DEFAULT_RULES.get(rule_id)
    if rule is None or not rule.local:
        raise RuleViolation("Only local rules can be changed; statutory timescales cannot.")
    if amount < 1:
        raise RuleViolation("Enter an amount of 1 or more.", field="amount")
    if not reason.strip():
        raise RuleViolation("Say why the rule is changing.", field="reason")
    if LocalRuleValue.objects.filter(rule_id=rule_id, effective_from=effective_from).exists():
        raise RuleViolation("This rule already has a value from that date.", field="effective_from")
    value = LocalRuleValue.objects.create(
        rule_id=rule_id, amount=amount, effective_from=effective_from, reason=reason, changed_by=by
    )
    cause = f"{rule_id} set to {amount} from {effective_from:%d/%m/%Y}"
    return value, due_dates_recompute(cause=cause, by=by)
