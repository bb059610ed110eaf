"""Children looked after metrics on the hand-built dataset (tests/reporting/annual_dataset.py).
Reporting year 2019: 1/4/2019 - 31/3/2020; E = 31/3/2020, S = 31/3/2019."""

import pytest

from reporting.annual import annual_metrics
from tests.reporting import annual_dataset


@pytest.fixture
def metrics(people):
    annual_dataset.build(people)
    return annual_metrics(2019)


def test_children_in_care_at_the_end_and_start_and_the_rate(metrics):
    # On E: A (ep L open), B (ep B open), C, D = 4. E left 10/02/2020, G left 01/12/2019,
    # F is on short breaks only (V3): not looked after.
    assert metrics["cla_at_end"] == 4
    # On S: A (ep P), B (ep L from 01/02/2019), D (from 10/01/2018), E (ep S) = 4.
    assert metrics["cla_at_start"] == 4
    # 4 / 16,000 x 10,000 = 2.5
    assert metrics["cla_rate_per_10k"] == 2.5


def test_children_in_care_by_sex_age_and_ethnicity(metrics):
    # A M, C M; B F; D U.
    assert metrics["cla_by_sex"] == {"male": 2, "female": 1, "unknown": 1}
    # On 31/3/2020: C born 01/09/2019 is 0; A born 31/03/2010 is exactly 10 that day;
    # B born 15/01/2005 is 15; D born 01/02/2003 is 17.
    assert metrics["cla_by_age"] == {
        "under_1": 1,
        "1_to_4": 0,
        "5_to_9": 0,
        "10_to_15": 2,
        "16_plus": 1,
    }
    # A WBRI, C WBRI, B MWBC, D BAFR.
    assert metrics["cla_by_ethnicity"] == {"BAFR": 1, "MWBC": 1, "WBRI": 2}


def test_children_who_started_and_ceased_and_why(metrics):
    # Periods starting in the year (RNE S): C 20/09/2019; G 10/04/2019 and 01/09/2019
    # (one child) = 2. F's short break started in 2018 and would not count anyway.
    assert metrics["cla_started"] == 2
    # Endings in the year other than X1: E 10/02/2020 (E11); G 10/06/2019 (E13) and
    # 01/12/2019 (E4A) = 2 children. E's X1 on 01/05/2019 is not an ending.
    assert metrics["cla_ceased"] == 2
    # Each child's last ending: E E11, G E4A (its earlier E13 is not counted).
    assert metrics["cla_ceased_by_reason"] == {"E11": 1, "E4A": 1}


def test_children_in_care_by_placement_and_group(metrics):
    # Episodes open on E: A U4, B U4, C U3, D H5.
    assert metrics["cla_by_placement"] == {"H5": 1, "U3": 1, "U4": 2}
    # U3 is connected-person fostering; U4 other fostering (2); H5 semi-independent.
    assert metrics["cla_by_placement_group"] == {
        "foster_connected": 1,
        "foster_other": 2,
        "placed_with_parents": 0,
        "childrens_homes": 0,
        "semi_independent": 1,
        "independent_living": 0,
        "adoption": 0,
        "other": 0,
    }


def test_three_or_more_placements(metrics):
    # Of the 4 in care on E:
    #   A: ep P (01/06/2017-01/08/2019) overlaps the year = 1; ep L is not a placement.
    #   B: ep L open on 1/4/2019, placement began before = 1; ep P = 2; ep T = 3; ep B = 4.
    #   C: ep S = 1.  D: ep S open since 2018 = 1.
    # 1 of 4 = 25.0%
    assert metrics["cla_three_plus_placements_pct"] == 25.0


def test_long_term_stability(metrics):
    # Cohort: in care on E, under 16, period started on or before 30/09/2017:
    #   A (10, period 2015) and B (15, period 2016); D is 17; C started in 2019.
    # Current placement began on or before 31/03/2018: A's ep P 01/06/2017 yes;
    # B's ep B 15/01/2020 no. 1 of 2 = 50.0%
    assert metrics["cla_long_term_stability_pct"] == 50.0


def test_reviews_held_and_in_timescale(metrics):
    # Held in the year: R1, R2 (A), R3 (B), R4 (C, imported), R6a, R6b (D) = 6.
    # R0 was in 2018-19, R5 is of a short-break-only child, one review was cancelled.
    assert metrics["cla_reviews_held"] == 6
    # On or before the stored due date: R1 (10/05 <= 01/06), R3 (on the day),
    # R4 (15/10 <= 18/10), R6a (01/10 <= 05/10) = 4; R2 and R6b late. 4 / 6 = 66.7%
    assert metrics["cla_reviews_in_timescale_pct"] == 66.7


def test_participation_codes_and_pn7(metrics):
    # R1 PN1, R6a PN1, R6b PN2, R2 PN6, R3 PN7, R4 PN0.
    assert metrics["cla_participation"] == {
        "PN0": 1,
        "PN1": 2,
        "PN2": 1,
        "PN3": 0,
        "PN4": 0,
        "PN5": 0,
        "PN6": 1,
        "PN7": 1,
    }
    # Codes other than PN0: 5; PN7: 1. 1 / 5 = 20.0%
    assert metrics["cla_pn7_pct"] == 20.0


def test_iro_saw_the_child_before_the_review(metrics):
    # Recorded reviews held: R1, R2, R3, R6a, R6b = 5 (R4 was imported).
    # R1: visit 01/05/2019, after R0 (01/12/2018) and before 10/05/2019: seen.
    # R2: a phone call is not seeing the child. R3: video 25/06/2019 after the period
    # began (01/05/2016, no earlier review): seen. R6a: no contact. R6b: the visit of
    # 15/09/2019 was before the previous review R6a (01/10/2019): not counted.
    # 2 / 5 = 40.0%
    assert metrics["cla_iro_visit_before_review_pct"] == 40.0
