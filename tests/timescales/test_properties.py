"""Property tests: the fast calendar against a brute-force day-walking oracle.

Dates are 2012-2028 and n is 0..400, on the real England calendar and on random
non-working sets (sparse ones across the whole range and dense clusters of closures).
"""

import calendar as stdlib_calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.timescales.bank_holidays import ENGLAND
from timescales.calendar import WorkingCalendar, add_months, add_weeks

FIRST, LAST = date(2012, 1, 1), date(2028, 12, 31)
ONE_DAY = timedelta(days=1)

dates = st.dates(min_value=FIRST, max_value=LAST)
counts = st.integers(min_value=0, max_value=400)
positive_counts = st.integers(min_value=1, max_value=400)


@st.composite
def dense_closures(draw: st.DrawFn) -> frozenset[date]:
    """A run of up to 120 days in which each day is closed with high probability."""
    start = draw(dates)
    flags = draw(st.lists(st.booleans(), min_size=1, max_size=120))
    return frozenset(start + timedelta(days=i) for i, closed in enumerate(flags) if closed)


calendars = st.one_of(
    st.just(ENGLAND),
    st.builds(WorkingCalendar, st.frozensets(dates, max_size=300)),
    st.builds(WorkingCalendar, dense_closures()),
)

# --- The oracle: walk one day at a time, straight from the DOMAIN.md definitions ---


def oracle_is_working(cal: WorkingCalendar, d: date) -> bool:
    return d.weekday() < 5 and d not in cal.non_working


def oracle_add(cal: WorkingCalendar, start: date, n: int) -> date:
    """Day 0 is start; each working day after it counts one, until n are counted."""
    d, counted = start, 0
    while counted < n:
        d += ONE_DAY
        counted += oracle_is_working(cal, d)
    return d


def oracle_subtract(cal: WorkingCalendar, end: date, n: int) -> date:
    """Day 0 is end; each working day before it counts one, until n are counted."""
    d, counted = end, 0
    while counted < n:
        d -= ONE_DAY
        counted += oracle_is_working(cal, d)
    return d


def oracle_between(cal: WorkingCalendar, start: date, end: date) -> int:
    if end < start:
        return -oracle_between(cal, end, start)
    days = (end - start).days
    return sum(oracle_is_working(cal, start + timedelta(days=i)) for i in range(1, days + 1))


def oracle_next(cal: WorkingCalendar, d: date) -> date:
    while not oracle_is_working(cal, d):
        d += ONE_DAY
    return d


def oracle_add_months(d: date, n: int) -> date:
    month_index = d.year * 12 + d.month - 1 + n
    year, month = divmod(month_index, 12)
    last_day = stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last_day))


# --- Agreement with the oracle ---


@settings(max_examples=400)
@given(cal=calendars, d=dates, n=counts)
def test_add_agrees_with_oracle(cal: WorkingCalendar, d: date, n: int) -> None:
    assert cal.add_working_days(d, n) == oracle_add(cal, d, n)


@settings(max_examples=400)
@given(cal=calendars, d=dates, n=counts)
def test_subtract_agrees_with_oracle(cal: WorkingCalendar, d: date, n: int) -> None:
    assert cal.subtract_working_days(d, n) == oracle_subtract(cal, d, n)


@settings(max_examples=300)
@given(cal=calendars, a=dates, span=st.integers(min_value=-600, max_value=600))
def test_between_agrees_with_oracle(cal: WorkingCalendar, a: date, span: int) -> None:
    b = a + timedelta(days=span)
    assert cal.working_days_between(a, b) == oracle_between(cal, a, b)


@given(cal=calendars, d=dates)
def test_is_working_and_next_agree_with_oracle(cal: WorkingCalendar, d: date) -> None:
    assert cal.is_working_day(d) == oracle_is_working(cal, d)
    assert cal.next_working_day(d) == oracle_next(cal, d)


# --- Algebraic properties ---


@given(cal=calendars, d=dates, n=positive_counts)
def test_add_lands_on_a_working_day(cal: WorkingCalendar, d: date, n: int) -> None:
    assert cal.is_working_day(cal.add_working_days(d, n))


@given(cal=calendars, d=dates, n=st.integers(min_value=0, max_value=399))
def test_add_is_strictly_increasing_in_n(cal: WorkingCalendar, d: date, n: int) -> None:
    assert cal.add_working_days(d, n) < cal.add_working_days(d, n + 1)


@given(cal=calendars, d=dates, n=counts, m=counts)
def test_add_is_additive(cal: WorkingCalendar, d: date, n: int, m: int) -> None:
    """add(add(d, n), m) == add(d, n + m) for every n, m >= 0.

    It holds for n = 0 on a non-working day too, precisely because add(d, 0) is d itself
    rather than the next working day: were it the next working day, Sat + 0 then + 1 would
    give Tuesday while Sat + 1 gives Monday.
    """
    assert cal.add_working_days(cal.add_working_days(d, n), m) == cal.add_working_days(d, n + m)


@given(cal=calendars, d=dates, n=positive_counts)
def test_next_working_day_is_day_one(cal: WorkingCalendar, d: date, n: int) -> None:
    """From a non-working day the next working day is day 1, so add(d, n) is n - 1
    working days after next_working_day(d)."""
    assert cal.add_working_days(d, 1) == cal.next_working_day(d + ONE_DAY)
    if not cal.is_working_day(d):
        first = cal.next_working_day(d)
        assert cal.add_working_days(d, n) == cal.add_working_days(first, n - 1)


@given(cal=calendars, d=dates, n=counts)
def test_between_counts_what_add_added(cal: WorkingCalendar, d: date, n: int) -> None:
    end = cal.add_working_days(d, n)
    assert cal.working_days_between(d, end) == n
    assert cal.working_days_between(end, d) == -n


@given(cal=calendars, a=dates, b=dates, c=dates)
def test_between_is_a_difference(cal: WorkingCalendar, a: date, b: date, c: date) -> None:
    ab, bc, ac = (cal.working_days_between(x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert ab + bc == ac


@given(cal=calendars, end=dates, n=positive_counts)
def test_subtract_result(cal: WorkingCalendar, end: date, n: int) -> None:
    """A working day before end, with exactly n working days in [result, end)."""
    result = cal.subtract_working_days(end, n)
    assert result < end
    assert cal.is_working_day(result)
    in_half_open = cal.working_days_between(result - ONE_DAY, end - ONE_DAY)
    assert in_half_open == n


@given(cal=calendars, d=dates, n=counts)
def test_subtract_inverts_add(cal: WorkingCalendar, d: date, n: int) -> None:
    """Exact inverse from a working day; from a non-working day (n >= 1) it returns the
    latest working day before d, since day 1 was counted from the next working day."""
    back = cal.subtract_working_days(cal.add_working_days(d, n), n)
    if n == 0 or cal.is_working_day(d):
        assert back == d
    else:
        assert back < d
        assert cal.is_working_day(back)
        assert cal.working_days_between(back, d) == 0


@given(cal=calendars, end=dates, n=counts)
def test_add_inverts_subtract_on_working_days(cal: WorkingCalendar, end: date, n: int) -> None:
    end = cal.next_working_day(end)
    assert cal.add_working_days(cal.subtract_working_days(end, n), n) == end


# --- Weeks and months ---


@given(d=dates, n=st.integers(min_value=-400, max_value=400))
def test_add_weeks_is_seven_days_each(d: date, n: int) -> None:
    assert (add_weeks(d, n) - d).days == 7 * n


@settings(max_examples=400)
@given(d=dates, n=counts)
def test_add_months_never_exceeds_the_statutory_limit(d: date, n: int) -> None:
    result = add_months(d, n)
    assert result == oracle_add_months(d, n)
    # Exactly n months on, and never past the same day of the month (clamped at month end).
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day <= d.day
    last_day = stdlib_calendar.monthrange(result.year, result.month)[1]
    assert result.day == d.day or result.day == last_day
    if n >= 1:
        assert result >= d + timedelta(days=28 * n)
