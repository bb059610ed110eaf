"""WorkingCalendar, add_weeks and add_months: behaviour and edge cases."""

import time
from datetime import date, timedelta

import pytest

from tests.timescales.bank_holidays import ENGLAND, ENGLAND_NON_WORKING, GOVUK_2012_2028
from timescales.calendar import WorkingCalendar, add_months, add_weeks, add_years

# Wed 1 Jan 2025 is a bank holiday; Sat 4 Jan 2025 is listed too (harmless).
NEW_YEAR_2025 = WorkingCalendar(non_working=frozenset({date(2025, 1, 1), date(2025, 1, 4)}))
NO_HOLIDAYS = WorkingCalendar(non_working=frozenset())


def test_holidays_package_matches_govuk_list() -> None:
    """The test calendar agrees with the GOV.UK england-and-wales list, 2012-2028."""
    weekday_holidays = {d for d in ENGLAND_NON_WORKING if d.weekday() < 5 and d.year <= 2028}
    assert weekday_holidays == GOVUK_2012_2028
    assert len(GOVUK_2012_2028) == 140


def test_is_working_day() -> None:
    assert NEW_YEAR_2025.is_working_day(date(2025, 1, 2))  # Thursday
    assert not NEW_YEAR_2025.is_working_day(date(2025, 1, 1))  # bank holiday
    assert not NEW_YEAR_2025.is_working_day(date(2025, 1, 4))  # Saturday, listed
    assert not NEW_YEAR_2025.is_working_day(date(2025, 1, 5))  # Sunday, not listed


def test_next_working_day() -> None:
    assert NEW_YEAR_2025.next_working_day(date(2024, 12, 31)) == date(2024, 12, 31)
    assert NEW_YEAR_2025.next_working_day(date(2025, 1, 1)) == date(2025, 1, 2)
    assert NEW_YEAR_2025.next_working_day(date(2025, 1, 4)) == date(2025, 1, 6)


def test_add_zero_returns_start_even_when_not_a_working_day() -> None:
    assert NEW_YEAR_2025.add_working_days(date(2025, 1, 1), 0) == date(2025, 1, 1)
    assert NEW_YEAR_2025.add_working_days(date(2025, 1, 5), 0) == date(2025, 1, 5)


def test_add_counts_event_day_as_day_zero() -> None:
    # Tue 31 Dec 2024: [Wed 1 Jan], 1 Thu 2, 2 Fri 3, [Sat 4, Sun 5], 3 Mon 6.
    assert NEW_YEAR_2025.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 2)
    assert NEW_YEAR_2025.add_working_days(date(2024, 12, 31), 3) == date(2025, 1, 6)


def test_add_from_non_working_day_makes_next_working_day_day_one() -> None:
    assert NEW_YEAR_2025.add_working_days(date(2025, 1, 1), 1) == date(2025, 1, 2)
    assert NEW_YEAR_2025.add_working_days(date(2025, 1, 5), 1) == date(2025, 1, 6)


def test_add_with_adjacent_closures_skips_them_all() -> None:
    # A whole closed week Mon 6 - Fri 10 Jan 2025: Fri 3 + 1 WD = Mon 13.
    closed_week = {date(2025, 1, 6) + timedelta(days=i) for i in range(5)}
    calendar = WorkingCalendar(non_working=frozenset(closed_week))
    assert calendar.add_working_days(date(2025, 1, 3), 1) == date(2025, 1, 13)
    assert calendar.subtract_working_days(date(2025, 1, 13), 1) == date(2025, 1, 3)
    assert calendar.working_days_between(date(2025, 1, 3), date(2025, 1, 13)) == 1


def test_add_refuses_negative() -> None:
    with pytest.raises(ValueError, match="subtract_working_days"):
        NO_HOLIDAYS.add_working_days(date(2025, 1, 6), -1)


def test_subtract_refuses_negative() -> None:
    with pytest.raises(ValueError, match="add_working_days"):
        NO_HOLIDAYS.subtract_working_days(date(2025, 1, 6), -1)


def test_subtract_zero_returns_end() -> None:
    assert NEW_YEAR_2025.subtract_working_days(date(2025, 1, 1), 0) == date(2025, 1, 1)


def test_subtract_counts_back_with_end_as_day_zero() -> None:
    # Mon 6 Jan 2025: [weekend], 1 Fri 3, 2 Thu 2, [Wed 1 Jan], 3 Tue 31 Dec.
    assert NEW_YEAR_2025.subtract_working_days(date(2025, 1, 6), 1) == date(2025, 1, 3)
    assert NEW_YEAR_2025.subtract_working_days(date(2025, 1, 6), 3) == date(2024, 12, 31)


def test_between_is_half_open_and_antisymmetric() -> None:
    start, end = date(2024, 12, 31), date(2025, 1, 6)
    assert NEW_YEAR_2025.working_days_between(start, end) == 3  # Thu 2, Fri 3, Mon 6
    assert NEW_YEAR_2025.working_days_between(end, start) == -3
    assert NEW_YEAR_2025.working_days_between(start, start) == 0
    # A non-working end adds nothing: (Tue 31 Dec, Sun 5 Jan] holds Thu 2 and Fri 3.
    assert NEW_YEAR_2025.working_days_between(start, date(2025, 1, 5)) == 2


def test_calendar_accepts_any_iterable_and_stores_a_frozenset() -> None:
    calendar = WorkingCalendar(non_working={date(2025, 1, 1)})  # type: ignore[arg-type]
    assert isinstance(calendar.non_working, frozenset)
    assert hash(calendar) == hash(WorkingCalendar(non_working=frozenset({date(2025, 1, 1)})))


def test_calendar_is_frozen() -> None:
    with pytest.raises(AttributeError):
        NO_HOLIDAYS.known_until = date(2030, 1, 1)  # type: ignore[misc]


def test_equality_ignores_the_internal_index_and_known_until_is_carried() -> None:
    a = WorkingCalendar(non_working=frozenset({date(2025, 1, 1)}), known_until=date(2029, 12, 31))
    b = WorkingCalendar(non_working=frozenset({date(2025, 1, 1)}), known_until=date(2029, 12, 31))
    assert a == b
    assert a.known_until == date(2029, 12, 31)
    assert WorkingCalendar(non_working=frozenset()).known_until is None
    assert "_weekday_closures" not in repr(a)


def test_weekend_entries_do_not_change_counts() -> None:
    weekend_only = WorkingCalendar(non_working=frozenset({date(2025, 1, 4), date(2025, 1, 5)}))
    start = date(2025, 1, 2)
    for n in range(0, 30):
        assert weekend_only.add_working_days(start, n) == NO_HOLIDAYS.add_working_days(start, n)


def test_long_spans_are_fast_and_consistent() -> None:
    """Adding across decades does not walk day by day (generous bound for slow CI)."""
    start = date(2012, 1, 1)
    began = time.perf_counter()
    for n in range(0, 20_000):
        ENGLAND.add_working_days(start, n % 5_000)
    assert time.perf_counter() - began < 5
    far = ENGLAND.add_working_days(start, 50_000)
    assert ENGLAND.working_days_between(start, far) == 50_000
    # Back from a working day lands on the latest working day on or before the start:
    # Sun 1 Jan 2012 -> Fri 30 Dec 2011 (2011 holidays are not in the test set).
    assert ENGLAND.subtract_working_days(far, 50_000) == date(2011, 12, 30)


def test_add_weeks() -> None:
    assert add_weeks(date(2025, 4, 18), 1) == date(2025, 4, 25)
    assert add_weeks(date(2025, 4, 18), 0) == date(2025, 4, 18)
    assert add_weeks(date(2025, 4, 18), -1) == date(2025, 4, 11)


def test_add_years_gives_the_birthday_and_1_march_for_29_february() -> None:
    assert add_years(date(2022, 6, 9), 3) == date(2025, 6, 9)
    assert add_years(date(2020, 2, 29), 3) == date(2023, 3, 1)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert add_years(date(2025, 1, 31), -1) == date(2024, 1, 31)


def test_add_months_clamps_and_goes_both_ways() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 15), 0) == date(2025, 3, 15)
