"""H-1, H-2 (health assessments) and E-1 (personal education plans, from the starting age
E-1-FROM-AGE to E-1-END-AGE): what is due next, with hand-counted dates, and properties
that hold for any dates."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.timescales.bank_holidays import ENGLAND
from timescales import sequences as seq
from timescales.calendar import add_months, add_years
from timescales.rules import DEFAULT_RULES, build_rule_book, due_date
from timescales.sequences import Deadline

D = date
KW = {"rules": DEFAULT_RULES, "calendar": ENGLAND}
# Thu 17 Apr 2025: [Good Friday, weekend, Easter Monday], 1 Tue 22 Apr ... 9 Fri 2 May,
# [Mon 5 May], 10 Tue 6 May (E-1) ... 20 Tue 20 May (H-1).
START = D(2025, 4, 17)
BORN_2015 = D(2015, 3, 1)
# 3 before 2012: with E-1-END-AGE at 30 every property date below has a PEP due.
BORN_2005 = D(2005, 1, 1)
NO_END = {"rules": build_rule_book({"E-1-END-AGE": 30}), "calendar": ENGLAND}


def _is(deadline: Deadline, rule_id: str, start: date, due: date) -> None:
    assert (deadline.rule_id, deadline.start, deadline.due) == (rule_id, start, due)
    assert deadline.start_event == DEFAULT_RULES[rule_id].start_event


def _health(assessments: list[date], born: date | None = BORN_2015) -> Deadline:
    return seq.next_health_assessment(
        period_start=START, assessments=assessments, date_of_birth=born, **KW
    )


# --- H-1, H-2 -------------------------------------------------------------------------


def test_h1_initial_assessment_due_20_working_days_after_becoming_looked_after() -> None:
    _is(_health([]), "H-1", START, D(2025, 5, 20))


def test_h2_review_12_months_after_the_last_assessment_from_age_5() -> None:
    _is(_health([D(2025, 5, 12)]), "H-2", D(2025, 5, 12), D(2026, 5, 12))


def test_h2_review_6_months_after_the_last_assessment_under_5() -> None:
    deadline = _health([D(2025, 5, 12)], born=D(2022, 1, 1))
    _is(deadline, "H-2-UNDER-5", D(2025, 5, 12), D(2025, 11, 12))


def test_h2_age_on_the_day_of_the_assessment_picks_the_interval() -> None:
    born = D(2020, 5, 12)
    # The day before the fifth birthday: 6 months; on the birthday: 12 months.
    _is(_health([D(2025, 5, 11)], born=born), "H-2-UNDER-5", D(2025, 5, 11), D(2025, 11, 11))
    _is(_health([D(2025, 5, 12)], born=born), "H-2", D(2025, 5, 12), D(2026, 5, 12))


def test_h2_months_clamp_to_the_end_of_the_month() -> None:
    period_start = D(2025, 8, 1)
    under_five = seq.next_health_assessment(
        period_start=period_start, assessments=[D(2025, 8, 31)], date_of_birth=D(2023, 1, 1), **KW
    )
    _is(under_five, "H-2-UNDER-5", D(2025, 8, 31), D(2026, 2, 28))


def test_h2_without_a_date_of_birth_uses_the_shorter_interval() -> None:
    _is(_health([D(2025, 5, 12)], born=None), "H-2-UNDER-5", D(2025, 5, 12), D(2025, 11, 12))


def test_h2_counts_from_the_latest_assessment_whatever_the_order_given() -> None:
    held = [D(2025, 11, 3), D(2025, 5, 12), D(2025, 11, 3)]
    _is(_health(held), "H-2", D(2025, 11, 3), D(2026, 11, 3))


def test_assessments_before_the_period_of_care_are_ignored() -> None:
    # H-1 restarts with each period of care (CLA-5's reset applies to the health clock too).
    _is(_health([D(2024, 6, 1), D(2025, 1, 10)]), "H-1", START, D(2025, 5, 20))


# --- E-1 ------------------------------------------------------------------------------


def _pep(peps: list[date], born: date | None = BORN_2015, **kw) -> Deadline | None:
    return seq.next_pep(period_start=START, peps=peps, date_of_birth=born, **(KW | kw))


def test_e1_pep_due_10_working_days_after_becoming_looked_after() -> None:
    _is(_pep([]), "E-1", START, D(2025, 5, 6))


def test_e1_review_termly_from_the_previous_pep() -> None:
    _is(_pep([D(2025, 5, 6)]), "E-1-REVIEW", D(2025, 5, 6), D(2025, 9, 6))
    _is(_pep([D(2025, 9, 1), D(2025, 5, 6)]), "E-1-REVIEW", D(2025, 9, 1), D(2026, 1, 1))


def test_e1_review_uses_the_councils_own_interval() -> None:
    deadline = _pep([D(2025, 5, 6)], rules=build_rule_book({"E-1-REVIEW": 3}))
    assert deadline is not None
    assert (deadline.rule_id, deadline.due) == ("E-1-REVIEW", D(2025, 8, 6))


def test_peps_before_the_period_of_care_are_ignored() -> None:
    _is(_pep([D(2025, 3, 1)]), "E-1", START, D(2025, 5, 6))


def test_a_baby_has_no_pep_due_until_the_third_birthday_then_e1_runs_from_it() -> None:
    # Born Sat 8 Jun 2024; 3 on Tue 8 Jun 2027: 10 WD later is Tue 22 Jun 2027.
    _is(_pep([], born=D(2024, 6, 8)), "E-1", D(2027, 6, 8), D(2027, 6, 22))


def test_a_child_who_turned_3_before_care_gets_e1_from_becoming_looked_after() -> None:
    _is(_pep([], born=D(2022, 4, 16)), "E-1", START, D(2025, 5, 6))


def test_a_pep_before_the_starting_birthday_does_not_stand_for_the_first() -> None:
    born = D(2024, 6, 8)
    _is(_pep([D(2026, 1, 5)], born=born), "E-1", D(2027, 6, 8), D(2027, 6, 22))
    _is(
        _pep([D(2026, 1, 5), D(2027, 6, 14)], born=born),
        "E-1-REVIEW",
        D(2027, 6, 14),
        D(2027, 10, 14),
    )


def test_the_starting_age_is_the_councils() -> None:
    # From age 2: Mon 8 Jun 2026, 10 WD later Mon 22 Jun 2026.
    book = build_rule_book({"E-1-FROM-AGE": 2})
    _is(_pep([], born=D(2024, 6, 8), rules=book), "E-1", D(2026, 6, 8), D(2026, 6, 22))


def test_born_on_29_february_the_clock_starts_on_1_march() -> None:
    # Born 29 Feb 2024: 3 on Mon 1 Mar 2027 (not Sun 28 Feb); 10 WD later, Mon 15 Mar 2027.
    _is(_pep([], born=D(2024, 2, 29)), "E-1", D(2027, 3, 1), D(2027, 3, 15))


def test_no_pep_without_a_date_of_birth() -> None:
    assert _pep([], born=None) is None


def test_no_pep_falls_due_on_or_after_the_18th_birthday() -> None:
    # E-1 would be due Tue 6 May 2025: 18 that day, none is due; 18 the next day, it is.
    assert _pep([], born=D(2007, 5, 6)) is None
    _is(_pep([], born=D(2007, 5, 7)), "E-1", START, D(2025, 5, 6))
    # A review that would fall due after the 18th birthday is not due either.
    assert _pep([D(2025, 5, 6)], born=D(2007, 8, 1)) is None
    assert _pep([D(2025, 5, 6)], born=D(2007, 5, 7), rules=build_rule_book({"E-1-END-AGE": 19}))


# --- Properties -----------------------------------------------------------------------

dates = st.dates(min_value=D(2012, 1, 1), max_value=D(2028, 12, 31))
held_dates = st.lists(dates, max_size=8)


@given(period_start=dates, held=held_dates, born=st.one_of(st.none(), dates))
def test_health_clock_starts_at_the_latest_assessment_of_the_period(
    period_start: date, held: list[date], born: date | None
) -> None:
    deadline = seq.next_health_assessment(
        period_start=period_start, assessments=held, date_of_birth=born, **KW
    )
    in_period = [d for d in held if d >= period_start]
    assert deadline.start == max(in_period, default=period_start)
    assert deadline.rule_id in {"H-1", "H-2", "H-2-UNDER-5"}
    assert (deadline.rule_id == "H-1") == (not in_period)
    assert deadline.due == due_date(DEFAULT_RULES[deadline.rule_id], deadline.start, ENGLAND)
    assert deadline.due > deadline.start
    if deadline.rule_id != "H-1":
        # H-2 is never later than 12 months and never earlier than 6 after the last one.
        assert add_months(deadline.start, 6) <= deadline.due <= add_months(deadline.start, 12)


@given(period_start=dates, held=held_dates, extra=dates)
def test_an_assessment_before_the_latest_never_moves_the_next_due_date(
    period_start: date, held: list[date], extra: date
) -> None:
    before = seq.next_health_assessment(
        period_start=period_start, assessments=held, date_of_birth=D(2010, 1, 1), **KW
    )
    if before.rule_id != "H-1" and extra <= before.start:
        after = seq.next_health_assessment(
            period_start=period_start,
            assessments=[*held, extra],
            date_of_birth=D(2010, 1, 1),
            **KW,
        )
        assert after == before


@given(period_start=dates, held=held_dates, gap=st.integers(min_value=1, max_value=400))
def test_a_new_pep_never_brings_the_next_due_date_forward(
    period_start: date, held: list[date], gap: int
) -> None:
    before = seq.next_pep(period_start=period_start, peps=held, date_of_birth=BORN_2005, **NO_END)
    assert before is not None
    newest = before.start + timedelta(days=gap)
    after = seq.next_pep(
        period_start=period_start, peps=[*held, newest], date_of_birth=BORN_2005, **NO_END
    )
    assert after is not None
    assert after.rule_id == "E-1-REVIEW"
    assert after.start == newest
    assert after.due >= before.due


births = st.dates(min_value=D(1995, 1, 1), max_value=D(2028, 12, 31))


@given(
    period_start=dates,
    held=held_dates,
    born=births,
    from_age=st.integers(min_value=1, max_value=10),
    end_age=st.integers(min_value=11, max_value=21),
)
def test_a_pep_is_never_due_before_the_starting_birthday_nor_on_or_after_the_end_one(
    period_start: date, held: list[date], born: date, from_age: int, end_age: int
) -> None:
    rules = build_rule_book({"E-1-FROM-AGE": from_age, "E-1-END-AGE": end_age})
    deadline = seq.next_pep(
        period_start=period_start, peps=held, date_of_birth=born, rules=rules, calendar=ENGLAND
    )
    starts = max(period_start, add_years(born, from_age))
    if deadline is None:
        # Nothing is due only when it would fall due on or after the end birthday.
        first = due_date(rules["E-1"], starts, ENGLAND)
        assert first >= add_years(born, end_age) or any(d >= starts for d in held)
        return
    assert deadline.start >= starts
    assert deadline.due > add_years(born, from_age)
    assert deadline.due < add_years(born, end_age)
    counted = [d for d in held if d >= starts]
    assert deadline.start == max(counted, default=starts)
    assert (deadline.rule_id == "E-1") == (not counted)
