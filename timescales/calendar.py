"""Working days, weeks and calendar months for the statutory clocks.

Pure Python: no Django, no ``holidays`` package, no clock, no I/O. The caller builds the
set of non-working dates and passes "today" wherever it matters.

Conventions (DOMAIN.md "Decided defaults" and section 11 conventions):

- A working day (WD) is Monday to Friday and not in ``WorkingCalendar.non_working``
  (England and Wales bank holidays plus extra bank holidays an administrator added).
- Counting: the event day is day 0, so "within N WD of X" means on or before the Nth
  working day after X. If X is not a working day, the next working day is day 1.
- Months are calendar months clamped to the month's end (31 Aug + 6 months = 28/29 Feb);
  a week is 7 days. Years count birthdays: someone born on 29 February is a year older on
  1 March when the year has no 29 February.
"""

from bisect import bisect_right
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

_SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend
_WEEKDAYS_PER_WEEK = 5
_DAYS_PER_WEEK = 7


def _weekdays_through(d: date) -> int:
    """Number of Monday-to-Friday dates from 1 Jan 0001 up to and including ``d``."""
    # Ordinal 1 (1 Jan 0001) is a Monday, so each block of 7 ordinals holds 5 weekdays.
    weeks, extra_days = divmod(d.toordinal(), _DAYS_PER_WEEK)
    return weeks * _WEEKDAYS_PER_WEEK + min(extra_days, _WEEKDAYS_PER_WEEK)


def _nth_weekday(k: int) -> date:
    """The ``k``-th Monday-to-Friday date from 1 Jan 0001 (``k`` >= 1)."""
    weeks, offset = divmod(k - 1, _WEEKDAYS_PER_WEEK)
    return date.fromordinal(weeks * _DAYS_PER_WEEK + offset + 1)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which dates are working days (DOMAIN.md "Decided defaults: working day").

    ``non_working`` holds bank holidays and extra closures; weekends are always
    non-working, so weekend dates in the set are harmless. ``known_until`` is the last
    date the holiday data is known to cover (None if not stated); the engine does not
    use it, it is carried so callers can warn when a due date lies beyond it.

    Every count is done on a "working-day number" (working days from 1 Jan 0001 up to a
    date), so adding or counting across years skips whole weeks and bisects the sorted
    weekday closures instead of walking day by day.
    """

    non_working: frozenset[date]
    known_until: date | None = None
    _weekday_closures: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Accept any iterable but store a frozenset, so the calendar stays hashable and
        # cannot change under a cached due date.
        non_working = frozenset(self.non_working)
        object.__setattr__(self, "non_working", non_working)
        # Only weekday closures change a count; weekend dates are excluded by the weekday
        # arithmetic already and would otherwise be subtracted twice.
        closures = tuple(sorted(d for d in non_working if d.weekday() < _SATURDAY))
        object.__setattr__(self, "_weekday_closures", closures)

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is Monday to Friday and not a bank holiday or extra closure."""
        return d.weekday() < _SATURDAY and d not in self.non_working

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day after ``start``: the due date of "within N WD of start".

        ``start`` is day 0 and need not be a working day: if it is not, the next working
        day is day 1 (so Sat + 1 WD = Mon). For ``n`` >= 1 the result is always a working
        day. ``n == 0`` returns ``start`` unchanged, even on a non-working day, because
        "within 0 WD" can only mean the event day itself. Negative ``n`` is refused: use
        ``subtract_working_days``.
        """
        if n < 0:
            raise ValueError("n must not be negative; use subtract_working_days")
        if n == 0:
            return start
        return self._first_date_numbered(self._number(start) + n)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open span (start, end]; negative if ``end`` < ``start``.

        ``working_days_between(d, add_working_days(d, n)) == n`` for every ``d`` and
        ``n`` >= 0, and ``working_days_between(b, a) == -working_days_between(a, b)``.
        """
        return self._number(end) - self._number(start)

    def subtract_working_days(self, end: date, n: int) -> date:
        """The Nth working day before ``end``, counting back with ``end`` as day 0.

        Used for "reports due N WD before the conference" (CP-10). For ``n`` >= 1 the
        result is the working day ``w`` < ``end`` such that exactly ``n`` working days lie
        in [w, end): with a Monday conference, 1 WD before is the Friday and 5 WD before
        is the previous Monday. It is the inverse of ``add_working_days`` on working days:
        ``add_working_days(subtract_working_days(end, n), n) == end`` whenever ``end`` is
        a working day. ``end`` itself never counts, working or not, so a conference on a
        Saturday gives Friday for 1 WD. ``n == 0`` returns ``end`` unchanged, mirroring
        ``add_working_days``. Negative ``n`` is refused: use ``add_working_days``.
        """
        if n < 0:
            raise ValueError("n must not be negative; use add_working_days")
        if n == 0:
            return end
        return self._first_date_numbered(self._number(end - timedelta(days=1)) - n + 1)

    def _number(self, d: date) -> int:
        """Working days from 1 Jan 0001 up to and including ``d``."""
        return _weekdays_through(d) - bisect_right(self._weekday_closures, d)

    def _first_date_numbered(self, target: int) -> date:
        """The earliest date whose working-day number is ``target``; always a working day."""
        # Guess the date as if no closure fell before it, then push it on by the closures
        # found up to the guess until no new closure is found. Starting from zero can only
        # undershoot, so the first stable guess is the earliest date (never a closure).
        closures_before = 0
        while True:
            candidate = _nth_weekday(target + closures_before)
            found = bisect_right(self._weekday_closures, candidate)
            if found == closures_before:
                return candidate
            closures_before = found


def add_weeks(d: date, n: int) -> date:
    """``d`` plus ``n`` weeks of 7 calendar days (DOMAIN.md "months, weeks")."""
    return d + timedelta(weeks=n)


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the month's end (DOMAIN.md "months").

    31 Jan + 3 months = 30 Apr; 31 Aug + 6 months = 28 Feb (29 Feb in a leap year).
    (As ``dateutil.relativedelta(months=n)``, in a tenth of the time: imports compute
    hundreds of thousands of these.)
    """
    months = d.month - 1 + n
    year, month = d.year + months // 12, months % 12 + 1
    return d.replace(year=year, month=month, day=min(d.day, monthrange(year, month)[1]))


def add_years(d: date, n: int) -> date:
    """``d`` plus ``n`` whole years: the ``n``th birthday of a child born on ``d``.

    Born on 29 February: 1 March in a year without 29 February, the day the child's age
    goes up (as ``Child.age_on`` counts it), never 28 February.
    """
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return date(d.year + n, 3, 1)
