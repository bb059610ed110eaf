"""The rule table, due_date, with_amount, build_rule_book and assess."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from tests.timescales.bank_holidays import ENGLAND
from timescales.rules import (
    DEFAULT_RULES,
    Assessment,
    DeadlineStatus,
    Rule,
    Status,
    Unit,
    assess,
    build_rule_book,
    due_date,
    with_amount,
)

WD, DAYS, WEEKS, MONTHS = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.WEEKS, Unit.MONTHS
YEARS = Unit.YEARS

# id: (amount, unit, status, may an administrator change it) from DOMAIN.md section 11 and
# "Decided defaults".
EXPECTED = {
    "CLA-1": (20, WD, Status.STATUTE, False),
    "CLA-2": (3, MONTHS, Status.STATUTE, False),
    "CLA-3": (6, MONTHS, Status.STATUTE, False),
    "CLA-6": (3, MONTHS, Status.STATUTE, False),
    "CLA-6-LATER": (6, MONTHS, Status.STATUTE, False),
    "CLA-7": (3, MONTHS, Status.STATUTE, False),
    "CLA-7-LATER": (6, MONTHS, Status.STATUTE, False),
    "CLA-8": (4, WEEKS, Status.STATUTE, False),
    "CLA-8-SECOND": (3, MONTHS, Status.STATUTE, False),
    "CLA-8-LATER": (6, MONTHS, Status.STATUTE, False),
    "CLA-10": (2, WD, Status.LOCAL, True),
    "CLA-11": (5, WD, Status.LOCAL, True),
    "CLA-13": (5, WD, Status.STAT_GUIDANCE, True),
    "CLA-14": (20, WD, Status.STAT_GUIDANCE, True),
    "CLA-15": (5, WD, Status.LOCAL, True),
    "CP-1": (15, WD, Status.STAT_GUIDANCE, False),
    "CP-4": (10, WD, Status.STAT_GUIDANCE, False),
    "CP-5": (4, WEEKS, Status.LOCAL, True),
    "CP-6": (3, MONTHS, Status.STAT_GUIDANCE, False),
    "CP-7": (6, MONTHS, Status.STAT_GUIDANCE, False),
    "CP-8": (10, WD, Status.LOCAL, True),
    "CP-9": (15, WD, Status.STAT_GUIDANCE, False),
    "CP-10-ICPC": (2, WD, Status.LOCAL, True),
    "CP-10-RCPC": (5, WD, Status.LOCAL, True),
    "CP-OUTCOME": (1, WD, Status.LOCAL, True),
    "CP-MINUTES": (20, WD, Status.LOCAL, True),
    "CP-11": (10, WD, Status.LOCAL, True),
    "CP-14-15M": (15, MONTHS, Status.LOCAL, True),
    "CP-14-18M": (18, MONTHS, Status.LOCAL, True),
    "CP-14-2Y": (24, MONTHS, Status.DATA_SPEC, True),
    "V-1": (1, WEEKS, Status.STATUTE, False),
    "V-2": (6, WEEKS, Status.STATUTE, False),
    "V-3": (3, MONTHS, Status.STATUTE, False),
    "V-3-OTHER": (6, WEEKS, Status.STATUTE, False),
    "V-4": (1, WEEKS, Status.STATUTE, False),
    "V-4-LATER": (6, WEEKS, Status.STATUTE, False),
    "V-5": (1, WEEKS, Status.STATUTE, False),
    "V-5-LATER": (4, WEEKS, Status.STATUTE, False),
    "V-6": (1, WEEKS, Status.STATUTE, False),
    "V-6-LATER": (6, WEEKS, Status.STATUTE, False),
    "V-7": (1, WEEKS, Status.STATUTE, False),
    "H-1": (20, WD, Status.STAT_GUIDANCE, False),
    "H-2-UNDER-5": (6, MONTHS, Status.STATUTE, False),
    "H-2": (12, MONTHS, Status.STATUTE, False),
    "E-1": (10, WD, Status.STAT_GUIDANCE, False),
    "E-1-REVIEW": (4, MONTHS, Status.LOCAL, True),
    "E-1-FROM-AGE": (3, YEARS, Status.LOCAL, True),
    "E-1-END-AGE": (18, YEARS, Status.LOCAL, True),
    "DR-1": (10, WD, Status.STAT_GUIDANCE, True),
    "DR-2": (5, WD, Status.LOCAL, True),
    "DR-3": (20, WD, Status.STAT_GUIDANCE, False),
}


def test_default_rules_are_exactly_the_expected_table() -> None:
    assert set(DEFAULT_RULES) == set(EXPECTED)
    for rule_id, (amount, unit, status, local) in EXPECTED.items():
        rule = DEFAULT_RULES[rule_id]
        assert (rule.id, rule.amount, rule.unit, rule.status, rule.local) == (
            rule_id,
            amount,
            unit,
            status,
            local,
        ), rule_id


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_every_rule_is_described(rule_id: str) -> None:
    rule = DEFAULT_RULES[rule_id]
    assert rule.title and rule.start_event and rule.source
    # Local rules name their local origin or the decided defaults; statutory ones do not.
    if rule.status is Status.LOCAL:
        assert "LOCAL" in rule.source
    if rule.status is Status.STATUTE:
        assert "LOCAL" not in rule.source


def test_statutory_sources_cite_the_regulation() -> None:
    assert DEFAULT_RULES["CLA-1"].source == "CPPCR 2010 reg 33(1)"
    assert DEFAULT_RULES["CLA-3"].source == "CPPCR 2010 reg 33(2)"
    assert DEFAULT_RULES["V-1"].source == "CPPCR 2010 reg 28(2)(a)"
    assert DEFAULT_RULES["CLA-8"].source == "AAR 2005 reg 36(3)"
    assert DEFAULT_RULES["DR-3"].source == "IRO Handbook 6.2"


def test_only_cp10_counts_back() -> None:
    assert {r.id for r in DEFAULT_RULES.values() if r.counts_back} == {"CP-10-ICPC", "CP-10-RCPC"}


def test_default_rules_are_read_only() -> None:
    with pytest.raises(TypeError):
        DEFAULT_RULES["CLA-1"] = DEFAULT_RULES["CLA-2"]  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        DEFAULT_RULES["CLA-1"].amount = 1  # type: ignore[misc]


@pytest.mark.parametrize("amount", [0, -1])
def test_rule_refuses_non_positive_amount(amount: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Rule("X-1", "t", "s", amount, WD, "src", Status.LOCAL, local=True)


def test_with_amount_changes_a_local_rule_only() -> None:
    changed = with_amount(DEFAULT_RULES["CP-8"], 20)
    assert changed.amount == 20
    assert changed.id == "CP-8" and changed.unit is WD and changed.local
    assert DEFAULT_RULES["CP-8"].amount == 10


def test_with_amount_refuses_statutory_rule() -> None:
    with pytest.raises(ValueError, match="not a local rule"):
        with_amount(DEFAULT_RULES["CLA-1"], 15)


def test_with_amount_refuses_zero() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        with_amount(DEFAULT_RULES["CP-11"], 0)


def test_build_rule_book_overrides_local_amounts() -> None:
    book = build_rule_book({"CP-5": 6, "CP-10-ICPC": 3})
    assert book["CP-5"].amount == 6
    assert book["CP-10-ICPC"].amount == 3
    assert book["CP-10-ICPC"].counts_back
    assert book["CLA-1"] is DEFAULT_RULES["CLA-1"]
    assert DEFAULT_RULES["CP-5"].amount == 4
    with pytest.raises(TypeError):
        book["CP-5"] = DEFAULT_RULES["CP-4"]  # type: ignore[index]


def test_build_rule_book_with_no_overrides_is_the_defaults() -> None:
    assert dict(build_rule_book({})) == dict(DEFAULT_RULES)


def test_build_rule_book_rejects_unknown_and_statutory_ids() -> None:
    with pytest.raises(KeyError):
        build_rule_book({"CP-99": 3})
    with pytest.raises(ValueError, match="not a local rule"):
        build_rule_book({"CP-1": 10})


# --- due_date: each unit, forwards and (CP-10 style) backwards ---


def _rule(amount: int, unit: Unit, *, counts_back: bool = False) -> Rule:
    return Rule("T-1", "test", "start", amount, unit, "test", Status.LOCAL, True, counts_back)


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        # Thu 17 Apr 2025 + 15 WD = Tue 13 May 2025 (DOMAIN.md checked example).
        pytest.param(_rule(15, WD), date(2025, 4, 17), date(2025, 5, 13), id="wd"),
        # Tue 22 Apr 2025 back 5 WD: Thu 17, Wed 16, Tue 15, Mon 14, Fri 11 Apr.
        pytest.param(
            _rule(5, WD, counts_back=True), date(2025, 4, 22), date(2025, 4, 11), id="wd-back"
        ),
        pytest.param(_rule(10, DAYS), date(2025, 12, 25), date(2026, 1, 4), id="days"),
        pytest.param(
            _rule(10, DAYS, counts_back=True), date(2026, 1, 4), date(2025, 12, 25), id="days-back"
        ),
        pytest.param(_rule(4, WEEKS), date(2025, 1, 31), date(2025, 2, 28), id="weeks"),
        pytest.param(
            _rule(4, WEEKS, counts_back=True), date(2025, 2, 28), date(2025, 1, 31), id="weeks-back"
        ),
        pytest.param(_rule(6, MONTHS), date(2025, 8, 31), date(2026, 2, 28), id="months"),
        pytest.param(
            _rule(1, MONTHS, counts_back=True),
            date(2025, 3, 31),
            date(2025, 2, 28),
            id="months-back",
        ),
        pytest.param(_rule(3, YEARS), date(2022, 6, 9), date(2025, 6, 9), id="years"),
        pytest.param(
            _rule(3, YEARS), date(2020, 2, 29), date(2023, 3, 1), id="years-leap-birthday"
        ),
    ],
)
def test_due_date_by_unit(rule: Rule, start: date, expected: date) -> None:
    assert due_date(rule, start, ENGLAND) == expected


def test_due_date_of_cla1_and_cp10() -> None:
    assert due_date(DEFAULT_RULES["CLA-1"], date(2025, 4, 17), ENGLAND) == date(2025, 5, 20)
    # ICPC Tue 22 Apr 2025: reports 2 WD before = Wed 16 Apr (Thu 17 is day 1).
    assert due_date(DEFAULT_RULES["CP-10-ICPC"], date(2025, 4, 22), ENGLAND) == date(2025, 4, 16)


# --- assess ---

# Thu 15 Jan 2026 is the due date in most cases; working days after it: Fri 16 (1),
# Mon 19 (2), Tue 20 (3), Wed 21 (4), Thu 22 (5), Fri 23 (6).
DUE = date(2026, 1, 15)


def _assess(done: date | None, today: date, unit: Unit = WD, **kw: int) -> Assessment:
    return assess(due=DUE, done=done, today=today, unit=unit, calendar=ENGLAND, **kw)


def test_met_on_the_due_date_and_before() -> None:
    assert _assess(DUE, date(2026, 3, 1)) == Assessment(DeadlineStatus.MET, None)
    assert _assess(date(2026, 1, 2), date(2026, 3, 1)).status is DeadlineStatus.MET


def test_late_in_working_days() -> None:
    # Done Tue 20 Jan: Fri 16, Mon 19, Tue 20 = 3 WD late.
    assert _assess(date(2026, 1, 20), date(2026, 3, 1)) == Assessment(DeadlineStatus.LATE, 3)


def test_late_on_a_weekend_counts_one_working_day() -> None:
    # Due Fri 16 Jan 2026, done Sat 17: no working day has passed but it is still late.
    result = assess(
        due=date(2026, 1, 16),
        done=date(2026, 1, 17),
        today=date(2026, 1, 19),
        unit=WD,
        calendar=ENGLAND,
    )
    assert result == Assessment(DeadlineStatus.LATE, 1)


def test_late_in_calendar_days_for_other_units() -> None:
    for unit in (DAYS, WEEKS, MONTHS):
        assert _assess(date(2026, 1, 20), date(2026, 3, 1), unit) == Assessment(
            DeadlineStatus.LATE, 5
        )


def test_overdue_in_working_and_calendar_days() -> None:
    assert _assess(None, date(2026, 1, 23)) == Assessment(DeadlineStatus.OVERDUE, 6)
    assert _assess(None, date(2026, 1, 23), MONTHS) == Assessment(DeadlineStatus.OVERDUE, 8)
    # Today Sat 17 Jan, due Thu 15: Fri 16 has passed = 1 WD overdue.
    assert _assess(None, date(2026, 1, 17)) == Assessment(DeadlineStatus.OVERDUE, 1)


def test_due_soon_boundary() -> None:
    # Today Thu 8 Jan: Fri 9, Mon 12, Tue 13, Wed 14, Thu 15 = exactly 5 WD to go.
    assert _assess(None, date(2026, 1, 8)) == Assessment(DeadlineStatus.DUE_SOON, None)
    # Today Wed 7 Jan: 6 WD to go.
    assert _assess(None, date(2026, 1, 7)) == Assessment(DeadlineStatus.UPCOMING, None)
    # On the due date itself: 0 WD to go.
    assert _assess(None, DUE).status is DeadlineStatus.DUE_SOON


def test_due_soon_window_is_configurable_and_uses_working_days_for_any_unit() -> None:
    assert _assess(None, date(2026, 1, 7), soon_working_days=6).status is DeadlineStatus.DUE_SOON
    assert _assess(None, date(2026, 1, 8), soon_working_days=4).status is DeadlineStatus.UPCOMING
    assert _assess(None, date(2026, 1, 8), MONTHS).status is DeadlineStatus.DUE_SOON


def test_done_wins_over_today() -> None:
    """Whether met or late depends only on the done date, never on today."""
    assert _assess(DUE, date(2020, 1, 1)).status is DeadlineStatus.MET
    assert _assess(date(2026, 1, 16), date(2030, 1, 1)) == Assessment(DeadlineStatus.LATE, 1)


def test_status_values() -> None:
    assert [s.value for s in DeadlineStatus] == ["upcoming", "due_soon", "met", "late", "overdue"]
    assert [u.value for u in Unit] == ["working_days", "days", "weeks", "months", "years"]
