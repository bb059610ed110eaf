"""The retention schedule (retention.schedule): known answers and properties, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retention.schedule import (
    DEFAULT_RULES,
    Basis,
    Category,
    ChildFacts,
    RetentionEnd,
    RuleTerms,
    add_years,
    applicable,
    is_past,
    retention_end,
    rule_end,
)

BORN = date(2001, 6, 15)


@pytest.mark.parametrize(
    ("facts", "ends_on", "basis"),
    [
        # CPPCR 2010 reg 50: looked after, to the 75th birthday.
        (
            ChildFacts(BORN, looked_after=True, care_ended=date(2019, 6, 15)),
            date(2076, 6, 15),
            Basis.LOOKED_AFTER,
        ),
        # ...or 15 years from a death before 18.
        (
            ChildFacts(BORN, died=date(2010, 3, 1), looked_after=True, care_ended=date(2010, 3, 1)),
            date(2025, 3, 1),
            Basis.LOOKED_AFTER,
        ),
        # A death at 30 does not shorten the 75 years.
        (
            ChildFacts(
                BORN, died=date(2031, 7, 1), looked_after=True, care_ended=date(2019, 6, 15)
            ),
            date(2076, 6, 15),
            Basis.LOOKED_AFTER,
        ),
        # 15 years from a death at 1 is before the 18th birthday: kept to the 18th birthday.
        (
            ChildFacts(BORN, died=date(2002, 7, 1), looked_after=True, care_ended=date(2002, 7, 1)),
            date(2019, 6, 15),
            Basis.LOOKED_AFTER,
        ),
        # Adopted (E11/E12): 100 years from the order, later than the 75th birthday.
        (
            ChildFacts(
                BORN,
                looked_after=True,
                care_ended=date(2004, 2, 1),
                adoption_order=date(2004, 2, 1),
            ),
            date(2104, 2, 1),
            Basis.ADOPTED,
        ),
        # Never looked after: the later of the 25th birthday and 6 years after the last plan.
        (
            ChildFacts(BORN, protection_ended=date(2010, 1, 1)),
            date(2026, 6, 15),
            Basis.NEVER_LOOKED_AFTER,
        ),
        (
            ChildFacts(BORN, protection_ended=date(2021, 1, 1)),
            date(2027, 1, 1),
            Basis.NEVER_LOOKED_AFTER,
        ),
        # In use: an open period of care, enquiry or plan has no end.
        (ChildFacts(BORN, looked_after=True, in_use=True), None, Basis.IN_USE),
        # A legal hold beats everything.
        (ChildFacts(BORN, protection_ended=date(2010, 1, 1), on_hold=True), None, Basis.LEGAL_HOLD),
    ],
)
def test_known_answers(facts, ends_on, basis):
    assert retention_end(facts, DEFAULT_RULES) == RetentionEnd(ends_on, basis)


def test_a_leap_day_birthday_falls_on_the_first_of_march():
    assert add_years(date(2008, 2, 29), 75) == date(2083, 3, 1)
    assert add_years(date(2008, 2, 29), 76) == date(2084, 2, 29)


def test_a_rule_missing_from_the_schedule_takes_its_default():
    facts = ChildFacts(BORN, protection_ended=date(2010, 1, 1))
    assert retention_end(facts, {}) == retention_end(facts, DEFAULT_RULES)


def test_a_local_rule_changes_the_end():
    rules = {
        **DEFAULT_RULES,
        Category.NEVER_LOOKED_AFTER: RuleTerms(Category.NEVER_LOOKED_AFTER, until_birthday=40),
    }
    facts = ChildFacts(BORN, protection_ended=date(2010, 1, 1))
    assert retention_end(facts, rules).ends_on == date(2041, 6, 15)


def test_a_rule_with_nothing_to_count_from_gives_no_end():
    rules = {
        Category.NEVER_LOOKED_AFTER: RuleTerms(Category.NEVER_LOOKED_AFTER, years_after_closing=6)
    }
    assert retention_end(ChildFacts(BORN), rules) == RetentionEnd(None, Basis.NO_END)


def test_due_on_the_day_retention_ends():
    end = retention_end(ChildFacts(BORN, protection_ended=date(2010, 1, 1)), DEFAULT_RULES)
    assert not is_past(end, date(2026, 6, 14))
    assert is_past(end, date(2026, 6, 15))


# --- Properties ---------------------------------------------------------------------------

# No timing checks: the machine is shared, and a slow run is not a wrong answer.
untimed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
days = st.dates(min_value=date(1920, 1, 1), max_value=date(2060, 12, 31))
maybe_days = st.none() | days
years = st.none() | st.integers(min_value=1, max_value=120)


@st.composite
def facts(draw: st.DrawFn) -> ChildFacts:
    born = draw(days)
    after = st.none() | st.dates(min_value=born, max_value=born + timedelta(days=365 * 40))
    return ChildFacts(
        born=born,
        died=draw(after),
        looked_after=draw(st.booleans()),
        care_ended=draw(after),
        adoption_order=draw(after),
        protection_ended=draw(after),
        in_use=draw(st.booleans()),
        on_hold=draw(st.booleans()),
    )


@st.composite
def schedules(draw: st.DrawFn) -> dict[Category, RuleTerms]:
    rules = {}
    for category in Category:
        birthday = draw(st.none() | st.integers(min_value=18, max_value=120))
        rules[category] = RuleTerms(
            category,
            until_birthday=birthday,
            years_after_closing=draw(years) if birthday else draw(st.integers(1, 120)),
            years_after_death=draw(years),
        )
    return rules


@untimed
@given(facts(), schedules())
def test_a_legal_hold_always_wins(child, rules):
    held = ChildFacts(**{**vars(child), "on_hold": True})
    assert retention_end(held, rules) == RetentionEnd(None, Basis.LEGAL_HOLD)
    assert not is_past(retention_end(held, rules), date(9999, 12, 31))


@untimed
@given(facts(), schedules())
def test_never_before_the_18th_birthday(child, rules):
    end = retention_end(child, rules)
    assert end.ends_on is None or end.ends_on >= add_years(child.born, 18)


@untimed
@given(facts(), schedules())
def test_a_record_in_use_or_held_has_no_end(child, rules):
    end = retention_end(child, rules)
    if child.in_use or child.on_hold:
        assert end.ends_on is None


@untimed
@given(facts(), schedules())
def test_the_latest_applicable_rule_governs(child, rules):
    end = retention_end(child, rules)
    if end.ends_on is None:
        return
    for category in applicable(child):
        own = rule_end(rules[category], child)
        assert own is None or end.ends_on >= own
    assert Category(end.basis.value) in applicable(child)


@untimed
@given(facts())
def test_with_the_defaults_a_looked_after_child_who_lived_is_kept_to_75(child):
    end = retention_end(child, DEFAULT_RULES)
    lived = child.died is None or child.died >= add_years(child.born, 18)
    if end.ends_on is not None and child.looked_after and lived:
        assert end.ends_on >= add_years(child.born, 75)
    if end.ends_on is not None and child.adoption_order is not None:
        assert end.ends_on >= add_years(child.adoption_order, 100)
