"""H-1, H-2 (health assessments) and E-1 (personal education plans): what is due next,
with hand-counted dates, and properties that hold for any dates."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.timescales.bank_holidays import ENGLAND
from timescales import sequences as seq
from timescales.calendar import add_months
from timescales.rules import DEFAULT_RULES, build_rule_book, due_date
from timescales.sequences import Deadline

D = date
KW = {"rules": DEFAULT_RULES, "calendar": ENGLAND}
# Thu 17 Apr 2025: [Good Friday, weekend, Easter Monday], 1 Tue 22 Apr ... 9 Fri 2 May,
# [Mon 5 May], 10 Tue 6 May (E-1) ... 20 Tue 20 May (H-1).
START = D(2025, 4, 17)
BORN_2015 = D(2015, 3, 1)


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


def test_e1_pep_due_10_working_days_after_becoming_looked_after() -> None:
    _is(seq.next_pep(period_start=START, peps=[], **KW), "E-1", START, D(2025, 5, 6))


def test_e1_review_termly_from_the_previous_pep() -> None:
    _is(
        seq.next_pep(period_start=START, peps=[D(2025, 5, 6)], **KW),
        "E-1-REVIEW",
        D(2025, 5, 6),
        D(2025, 9, 6),
    )
    _is(
        seq.next_pep(period_start=START, peps=[D(2025, 9, 1), D(2025, 5, 6)], **KW),
        "E-1-REVIEW",
        D(2025, 9, 1),
        D(2026, 1, 1),
    )


def test_e1_review_uses_the_councils_own_interval() -> None:
    book = build_rule_book({"E-1-REVIEW": 3})
    deadline = seq.next_pep(period_start=START, peps=[D(2025, 5, 6)], rules=book, calendar=ENGLAND)
    assert (deadline.rule_id, deadline.due) == ("E-1-REVIEW", D(2025, 8, 6))


def test_peps_before_the_period_of_care_are_ignored() -> None:
    _is(seq.next_pep(period_start=START, peps=[D(2025, 3, 1)], **KW), "E-1", START, D(2025, 5, 6))


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
    before = seq.next_pep(period_start=period_start, peps=held, **KW)
    newest = before.start + timedelta(days=gap)
    after = seq.next_pep(period_start=period_start, peps=[*held, newest], **KW)
    assert after.rule_id == "E-1-REVIEW"
    assert after.start == newest
    assert after.due >= before.due
