"""What is due next: every branch of timescales.sequences, with hand-counted dates."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from tests.timescales.bank_holidays import ENGLAND
from timescales import sequences as seq
from timescales.rules import DEFAULT_RULES, build_rule_book
from timescales.sequences import Deadline, VisitRegime

D = date
KW = {"rules": DEFAULT_RULES, "calendar": ENGLAND}


def _is(deadline: Deadline | None, rule_id: str, start: date, due: date) -> None:
    assert deadline is not None
    assert (deadline.rule_id, deadline.start, deadline.due) == (rule_id, start, due)
    assert deadline.start_event == DEFAULT_RULES[rule_id].start_event


def test_deadline_is_frozen() -> None:
    deadline = Deadline("CLA-1", "child became looked after", D(2025, 1, 1), D(2025, 1, 29))
    with pytest.raises(FrozenInstanceError):
        deadline.due = D(2025, 2, 1)  # type: ignore[misc]


# --- CLA reviews (CLA-1, CLA-2, CLA-3, CLA-4, CLA-5) ---

START = D(2025, 4, 17)  # Thu 17 Apr 2025: + 20 WD = Tue 20 May (Easter, early May skipped)


def test_cla1_when_no_review_held() -> None:
    _is(
        seq.next_cla_review(period_start=START, reviews_held=[], **KW),
        "CLA-1",
        START,
        D(2025, 5, 20),
    )


def test_reviews_before_the_period_start_are_ignored() -> None:
    earlier = [D(2025, 1, 1), D(2025, 3, 1)]
    _is(
        seq.next_cla_review(period_start=START, reviews_held=earlier, **KW),
        "CLA-1",
        START,
        D(2025, 5, 20),
    )


def test_new_period_of_care_restarts_at_cla1() -> None:
    # Mon 1 Sep 2025 + 20 WD: 1-4 Tue 2-Fri 5, 5-9, 10-14, 15-19 Mon 22-Fri 26, 20 Mon 29.
    held = [D(2024, 10, 31), D(2025, 5, 14)]
    _is(
        seq.next_cla_review(period_start=D(2025, 9, 1), reviews_held=held, **KW),
        "CLA-1",
        D(2025, 9, 1),
        D(2025, 9, 29),
    )


def test_cla2_after_exactly_one_review() -> None:
    held = [D(2025, 1, 1), D(2025, 5, 14)]  # the first is from an earlier period
    _is(
        seq.next_cla_review(period_start=START, reviews_held=held, **KW),
        "CLA-2",
        D(2025, 5, 14),
        D(2025, 8, 14),
    )


def test_review_on_the_period_start_counts_and_duplicates_count_once() -> None:
    _is(
        seq.next_cla_review(period_start=START, reviews_held=[START, START], **KW),
        "CLA-2",
        START,
        D(2025, 7, 17),
    )


def test_cla3_from_the_latest_of_unsorted_reviews_with_clamping() -> None:
    held = [D(2025, 8, 1), D(2025, 5, 14), D(2025, 10, 31)]
    # 31 Oct 2025 + 6 months = 30 Apr 2026 (April has 30 days).
    _is(
        seq.next_cla_review(period_start=START, reviews_held=held, **KW),
        "CLA-3",
        D(2025, 10, 31),
        D(2026, 4, 30),
    )


def test_early_review_becomes_the_previous_review() -> None:
    # Second review held early on 20 Jun 2025 (CLA-4): the third is due 6 months after it.
    held = [D(2025, 5, 14), D(2025, 6, 20)]
    _is(
        seq.next_cla_review(period_start=START, reviews_held=held, **KW),
        "CLA-3",
        D(2025, 6, 20),
        D(2025, 12, 20),
    )


def test_review_record_deadlines() -> None:
    # Mon 22 Dec 2025: 1 Tue 23, 2 Wed 24, [25, 26, weekend], 3 Mon 29, 4 Tue 30, 5 Wed 31;
    # 15 WD is Thu 15 Jan 2026 (DOMAIN.md example), so 20 WD is Thu 22 Jan.
    decisions, record = seq.review_record_deadlines(review_held=D(2025, 12, 22), **KW)
    _is(decisions, "CLA-13", D(2025, 12, 22), D(2025, 12, 31))
    _is(record, "CLA-14", D(2025, 12, 22), D(2026, 1, 22))


def test_record_sign_off_due() -> None:
    # Fri 2 May 2025: [Mon 5 May], 1 Tue 6, 2 Wed 7, 3 Thu 8, 4 Fri 9, 5 Mon 12 May.
    _is(
        seq.record_sign_off_due(received=D(2025, 5, 2), **KW),
        "CLA-15",
        D(2025, 5, 2),
        D(2025, 5, 12),
    )


def test_iro_notification_and_allocation() -> None:
    # Thu 17 Apr 2025: [GF, weekend, EM], 1 Tue 22, 2 Wed 23, 3 Thu 24, 4 Fri 25, 5 Mon 28,
    # 6 Tue 29, 7 Wed 30, 8 Thu 1 May, 9 Fri 2, [Mon 5 May], 10 Tue 6 May; 20 WD Tue 20 May.
    _is(seq.iro_notification_due(became_looked_after=START, **KW), "CLA-10", START, D(2025, 4, 23))
    _is(seq.iro_allocation_due(became_looked_after=START, **KW), "CLA-11", START, D(2025, 4, 28))


def test_local_amount_from_the_rule_book_is_used() -> None:
    book = build_rule_book({"CLA-11": 10})
    deadline = seq.iro_allocation_due(became_looked_after=START, rules=book, calendar=ENGLAND)
    assert (deadline.rule_id, deadline.due) == ("CLA-11", D(2025, 5, 6))


# --- Short breaks (CLA-6) and adoption reviews (CLA-7, CLA-8) ---


def test_short_break_reviews() -> None:
    first = D(2025, 8, 31)
    _is(
        seq.next_short_break_review(first_break_start=first, reviews_held=[], **KW),
        "CLA-6",
        first,
        D(2025, 11, 30),
    )
    one = [D(2025, 11, 28)]
    _is(
        seq.next_short_break_review(first_break_start=first, reviews_held=one, **KW),
        "CLA-6-LATER",
        D(2025, 11, 28),
        D(2026, 5, 28),
    )
    two = [D(2026, 5, 20), D(2025, 11, 28)]
    _is(
        seq.next_short_break_review(first_break_start=first, reviews_held=two, **KW),
        "CLA-6-LATER",
        D(2026, 5, 20),
        D(2026, 11, 20),
    )


def test_adoption_reviews_authorised_not_placed() -> None:
    given = D(2025, 1, 31)
    _is(
        seq.next_adoption_review(start=given, reviews_held=[], placed=False, **KW),
        "CLA-7",
        given,
        D(2025, 4, 30),
    )
    _is(
        seq.next_adoption_review(start=given, reviews_held=[D(2025, 4, 30)], placed=False, **KW),
        "CLA-7-LATER",
        D(2025, 4, 30),
        D(2025, 10, 30),
    )


def test_adoption_reviews_after_placement() -> None:
    placed = D(2025, 2, 3)
    # Reviews while authorised but not yet placed do not count once the child is placed.
    before = [D(2025, 1, 10)]
    _is(
        seq.next_adoption_review(start=placed, reviews_held=before, placed=True, **KW),
        "CLA-8",
        placed,
        D(2025, 3, 3),
    )
    _is(
        seq.next_adoption_review(start=placed, reviews_held=[D(2025, 3, 3)], placed=True, **KW),
        "CLA-8-SECOND",
        D(2025, 3, 3),
        D(2025, 6, 3),
    )
    two = [D(2025, 6, 3), D(2025, 3, 3)]
    _is(
        seq.next_adoption_review(start=placed, reviews_held=two, placed=True, **KW),
        "CLA-8-LATER",
        D(2025, 6, 3),
        D(2025, 12, 3),
    )


# --- Visits to children in care (V-1 .. V-7) ---

PLACED = D(2025, 4, 18)  # first anniversary 18 Apr 2026


def _visit(
    visits: list[date],
    regime: VisitRegime = VisitRegime.STANDARD,
    *,
    start: date = PLACED,
    first_review: date | None = None,
    long_term: bool = False,
) -> Deadline | None:
    return seq.next_cla_visit(
        placement_start=start,
        visits=visits,
        regime=regime,
        first_review=first_review,
        long_term=long_term,
        **KW,
    )


def test_v1_first_visit_within_a_week_ignoring_earlier_placements() -> None:
    _is(_visit([]), "V-1", PLACED, D(2025, 4, 25))
    _is(_visit([D(2025, 4, 1)]), "V-1", PLACED, D(2025, 4, 25))


def test_v2_six_weekly_in_the_first_year() -> None:
    # 24 Apr 2025 + 42 days: 30 Apr is +6, 31 May +37, 5 Jun +42.
    _is(_visit([D(2025, 4, 24)]), "V-2", D(2025, 4, 24), D(2025, 6, 5))
    # Last visit the day before the anniversary: still a first-year interval.
    _is(
        _visit([D(2026, 4, 17), D(2025, 4, 24)], long_term=True),
        "V-2",
        D(2026, 4, 17),
        D(2026, 5, 29),
    )


def test_v3_after_the_first_year() -> None:
    visits = [D(2026, 4, 18), D(2025, 4, 24), D(2026, 1, 1)]
    _is(_visit(visits, long_term=True), "V-3", D(2026, 4, 18), D(2026, 7, 18))
    _is(_visit(visits, long_term=False), "V-3-OTHER", D(2026, 4, 18), D(2026, 5, 30))


JUNE = D(2025, 6, 2)  # Mon 2 Jun 2025; a first review on Mon 30 Jun 2025
REVIEW = D(2025, 6, 30)


@pytest.mark.parametrize(
    ("regime", "weekly", "later", "later_due"),
    [
        # 24 Jun + 6 weeks = 5 Aug (30 Jun +6, 31 Jul +37, 5 Aug +42); + 4 weeks = 22 Jul.
        (VisitRegime.PARENT_PENDING_ASSESSMENT, "V-4", "V-4-LATER", D(2025, 8, 5)),
        (VisitRegime.CONNECTED_PERSON_OR_ICO_AT_HOME, "V-5", "V-5-LATER", D(2025, 7, 22)),
    ],
)
def test_weekly_until_first_review_then_longer(
    regime: VisitRegime, weekly: str, later: str, later_due: date
) -> None:
    _is(_visit([], regime, start=JUNE), weekly, JUNE, D(2025, 6, 9))
    # No review yet: weekly from the last visit.
    _is(_visit([D(2025, 6, 9)], regime, start=JUNE), weekly, D(2025, 6, 9), D(2025, 6, 16))
    # Weekly visit missed before the review: still owed (and overdue).
    _is(
        _visit([D(2025, 6, 9)], regime, start=JUNE, first_review=REVIEW),
        weekly,
        D(2025, 6, 9),
        D(2025, 6, 16),
    )
    # The next weekly visit falls due on the review day itself: still owed.
    _is(
        _visit([D(2025, 6, 23)], regime, start=JUNE, first_review=REVIEW),
        weekly,
        D(2025, 6, 23),
        REVIEW,
    )
    # It would fall after the review: the longer interval applies from the last visit.
    _is(
        _visit([D(2025, 6, 24)], regime, start=JUNE, first_review=REVIEW),
        later,
        D(2025, 6, 24),
        later_due,
    )


def test_v6_care_order_at_home() -> None:
    _is(_visit([], VisitRegime.CARE_ORDER_AT_HOME, start=JUNE), "V-6", JUNE, D(2025, 6, 9))
    # 6 Jun + 42 days = 18 Jul; 18 Jul + 42 days = 29 Aug.
    _is(
        _visit([D(2025, 6, 6)], VisitRegime.CARE_ORDER_AT_HOME, start=JUNE),
        "V-6-LATER",
        D(2025, 6, 6),
        D(2025, 7, 18),
    )
    _is(
        _visit([D(2025, 7, 18), D(2025, 6, 6)], VisitRegime.CARE_ORDER_AT_HOME, start=JUNE),
        "V-6-LATER",
        D(2025, 7, 18),
        D(2025, 8, 29),
    )


def test_v7_adoptive_placement_weekly_then_set_by_the_review() -> None:
    adoptive = VisitRegime.ADOPTIVE_PLACEMENT
    _is(_visit([], adoptive, start=JUNE), "V-7", JUNE, D(2025, 6, 9))
    _is(_visit([D(2025, 6, 9)], adoptive, start=JUNE), "V-7", D(2025, 6, 9), D(2025, 6, 16))
    assert _visit([D(2025, 6, 24)], adoptive, start=JUNE, first_review=REVIEW) is None


def test_unknown_visit_regime_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown visit regime"):
        _visit([], "fortnightly")  # type: ignore[arg-type]


# --- Child protection (CP-1, CP-4..CP-11, CP-14) ---

ICPC = D(2026, 1, 15)  # Thu 15 Jan 2026


def test_icpc_and_transfer_in() -> None:
    _is(
        seq.icpc_due(strategy_discussion=D(2025, 12, 22), **KW),
        "CP-1",
        D(2025, 12, 22),
        D(2026, 1, 15),
    )
    _is(seq.transfer_in_due(notified=D(2025, 4, 17), **KW), "CP-9", D(2025, 4, 17), D(2025, 5, 13))


def test_core_groups() -> None:
    # Thu 15 Jan 2026 + 10 WD: 1 Fri 16, 2-6 Mon 19-Fri 23, 7-10 Mon 26-Thu 29 Jan.
    _is(
        seq.next_core_group(icpc=ICPC, core_groups_held=[D(2026, 1, 1)], **KW),
        "CP-4",
        ICPC,
        D(2026, 1, 29),
    )
    _is(
        seq.next_core_group(icpc=ICPC, core_groups_held=[D(2026, 1, 28)], **KW),
        "CP-5",
        D(2026, 1, 28),
        D(2026, 2, 25),
    )
    held = [D(2026, 2, 25), D(2026, 1, 28)]
    _is(
        seq.next_core_group(icpc=ICPC, core_groups_held=held, **KW),
        "CP-5",
        D(2026, 2, 25),
        D(2026, 3, 25),
    )


def test_core_group_interval_is_local() -> None:
    book = build_rule_book({"CP-5": 6})
    deadline = seq.next_core_group(
        icpc=ICPC, core_groups_held=[D(2026, 1, 28)], rules=book, calendar=ENGLAND
    )
    assert (deadline.rule_id, deadline.due) == ("CP-5", D(2026, 3, 11))


def test_rcpc_first_and_later() -> None:
    _is(seq.next_rcpc(icpc=ICPC, rcpcs_held=[D(2025, 12, 1)], **KW), "CP-6", ICPC, D(2026, 4, 15))
    _is(
        seq.next_rcpc(icpc=ICPC, rcpcs_held=[D(2026, 4, 15)], **KW),
        "CP-7",
        D(2026, 4, 15),
        D(2026, 10, 15),
    )
    held = [D(2026, 10, 15), D(2026, 4, 15)]
    _is(seq.next_rcpc(icpc=ICPC, rcpcs_held=held, **KW), "CP-7", D(2026, 10, 15), D(2027, 4, 15))


def test_pre_birth_without_a_birth_date_uses_cp6() -> None:
    _is(seq.next_rcpc(icpc=ICPC, rcpcs_held=[], pre_birth=True, **KW), "CP-6", ICPC, D(2026, 4, 15))


def test_pre_birth_birth_comes_first() -> None:
    # Born Mon 2 Feb 2026: 1-4 Tue 3-Fri 6, 5-9 Mon 9-Fri 13, 10 Mon 16 Feb < 15 Apr.
    birth = D(2026, 2, 2)
    _is(
        seq.next_rcpc(icpc=ICPC, rcpcs_held=[], birth=birth, pre_birth=True, **KW),
        "CP-8",
        birth,
        D(2026, 2, 16),
    )


def test_pre_birth_three_months_comes_first() -> None:
    # Born Thu 9 Apr 2026: 1 Fri 10, 2-6 Mon 13-Fri 17, 7-10 Mon 20-Thu 23 Apr > 15 Apr.
    birth = D(2026, 4, 9)
    _is(
        seq.next_rcpc(icpc=ICPC, rcpcs_held=[], birth=birth, pre_birth=True, **KW),
        "CP-6",
        ICPC,
        D(2026, 4, 15),
    )


def test_pre_birth_tie_names_cp6_and_one_day_earlier_names_cp8() -> None:
    # Born Mon 30 Mar 2026: 1 Tue 31, 2 Wed 1 Apr, 3 Thu 2, [Fri 3 GF, weekend, Mon 6 EM],
    # 4-7 Tue 7-Fri 10, 8 Mon 13, 9 Tue 14, 10 Wed 15 Apr = ICPC + 3 months: a tie.
    tie = D(2026, 3, 30)
    _is(
        seq.next_rcpc(icpc=ICPC, rcpcs_held=[], birth=tie, pre_birth=True, **KW),
        "CP-6",
        ICPC,
        D(2026, 4, 15),
    )
    # Born Sat 28 Mar 2026: Mon 30 is day 1, so day 10 is Tue 14 Apr: the birth comes first.
    sat = D(2026, 3, 28)
    _is(
        seq.next_rcpc(icpc=ICPC, rcpcs_held=[], birth=sat, pre_birth=True, **KW),
        "CP-8",
        sat,
        D(2026, 4, 14),
    )


def test_pre_birth_with_local_twenty_working_days() -> None:
    # Liverpool's 20 WD: born Mon 2 Feb 2026, 10 WD is Mon 16 Feb, 11-14 Tue 17-Fri 20,
    # 15-19 Mon 23-Fri 27, 20 Mon 2 Mar.
    book = build_rule_book({"CP-8": 20})
    deadline = seq.next_rcpc(
        icpc=ICPC,
        rcpcs_held=[],
        birth=D(2026, 2, 2),
        pre_birth=True,
        rules=book,
        calendar=ENGLAND,
    )
    assert (deadline.rule_id, deadline.due) == ("CP-8", D(2026, 3, 2))


def test_birth_ignored_once_an_rcpc_is_held_or_when_not_pre_birth() -> None:
    birth = D(2026, 2, 2)
    _is(
        seq.next_rcpc(icpc=ICPC, rcpcs_held=[D(2026, 3, 1)], birth=birth, pre_birth=True, **KW),
        "CP-7",
        D(2026, 3, 1),
        D(2026, 9, 1),
    )
    _is(
        seq.next_rcpc(icpc=ICPC, rcpcs_held=[], birth=birth, pre_birth=False, **KW),
        "CP-6",
        ICPC,
        D(2026, 4, 15),
    )


def test_conference_reports_count_back() -> None:
    # Tue 22 Apr 2025: [Mon 21 EM, weekend, Fri 18 GF], 1 Thu 17, 2 Wed 16, 3 Tue 15,
    # 4 Mon 14, 5 Fri 11 Apr.
    conference = D(2025, 4, 22)
    _is(
        seq.conference_report_due(conference_date=conference, initial=True, **KW),
        "CP-10-ICPC",
        conference,
        D(2025, 4, 16),
    )
    _is(
        seq.conference_report_due(conference_date=conference, initial=False, **KW),
        "CP-10-RCPC",
        conference,
        D(2025, 4, 11),
    )


def test_conference_record_deadlines() -> None:
    # Fri 16 Sep 2022: [Mon 19 State Funeral], 1 Tue 20, 2-4 Wed 21-Fri 23, 5-9 Mon 26-Fri 30,
    # 10-14 Mon 3-Fri 7 Oct, 15-19 Mon 10-Fri 14 Oct, 20 Mon 17 Oct.
    outcome, minutes = seq.conference_record_deadlines(conference_held=D(2022, 9, 16), **KW)
    _is(outcome, "CP-OUTCOME", D(2022, 9, 16), D(2022, 9, 20))
    _is(minutes, "CP-MINUTES", D(2022, 9, 16), D(2022, 10, 17))


def test_plan_milestones() -> None:
    # 30 Nov 2026 + 15 months = Feb 2028, clamped to 29 Feb (leap year).
    start = D(2026, 11, 30)
    m15, m18, y2 = seq.plan_milestones(plan_start=start, **KW)
    _is(m15, "CP-14-15M", start, D(2028, 2, 29))
    _is(m18, "CP-14-18M", start, D(2028, 5, 30))
    _is(y2, "CP-14-2Y", start, D(2028, 11, 30))


def test_cp_visits() -> None:
    _is(
        seq.next_cp_visit(plan_start=ICPC, visits=[D(2026, 1, 2)], **KW),
        "CP-11",
        ICPC,
        D(2026, 1, 29),
    )
    # Wed 28 Jan 2026: 1 Thu 29, 2 Fri 30, 3-7 Mon 2-Fri 6 Feb, 8 Mon 9, 9 Tue 10, 10 Wed 11.
    _is(
        seq.next_cp_visit(plan_start=ICPC, visits=[D(2026, 1, 28)], **KW),
        "CP-11",
        D(2026, 1, 28),
        D(2026, 2, 11),
    )
    # Wed 11 Feb: 1 Thu 12, 2 Fri 13, 3-7 Mon 16-Fri 20, 8 Mon 23, 9 Tue 24, 10 Wed 25.
    _is(
        seq.next_cp_visit(plan_start=ICPC, visits=[D(2026, 2, 11), D(2026, 1, 28)], **KW),
        "CP-11",
        D(2026, 2, 11),
        D(2026, 2, 25),
    )


def test_cp_visit_frequency_is_local() -> None:
    book = build_rule_book({"CP-11": 5})
    deadline = seq.next_cp_visit(
        plan_start=ICPC, visits=[D(2026, 1, 28)], rules=book, calendar=ENGLAND
    )
    # Wed 28 Jan 2026: 1 Thu 29, 2 Fri 30, 3 Mon 2, 4 Tue 3, 5 Wed 4 Feb.
    assert (deadline.rule_id, deadline.due) == ("CP-11", D(2026, 2, 4))


# --- Issues Resolution Process (DR-1, DR-2, DR-3) ---


def test_issues_resolution() -> None:
    # Fri 16 Sep 2022: [Mon 19 State Funeral], 1 Tue 20, 2-4 Wed 21-Fri 23, 5 Mon 26 (DR-2),
    # 6-9 Tue 27-Fri 30, 10 Mon 3 Oct (DR-1), ... 20 Mon 17 Oct (DR-3).
    raised = D(2022, 9, 16)
    _is(seq.stage_response_due(raised=raised, informal=True, **KW), "DR-1", raised, D(2022, 10, 3))
    _is(seq.stage_response_due(raised=raised, informal=False, **KW), "DR-2", raised, D(2022, 9, 26))
    _is(seq.formal_process_due(formal_start=raised, **KW), "DR-3", raised, D(2022, 10, 17))
