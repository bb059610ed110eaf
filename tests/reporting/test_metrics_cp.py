"""Child protection metrics on the hand-built dataset (tests/reporting/annual_dataset.py).
Reporting year 2019: 1/4/2019 - 31/3/2020; E = 31/3/2020, S = 31/3/2019."""

import pytest

from reporting.annual import annual_metrics
from tests.reporting import annual_dataset


@pytest.fixture
def metrics(people):
    annual_dataset.build(people)
    return annual_metrics(2019)


def test_plans_open_at_the_end_and_start_during_the_year_and_the_rate(metrics):
    # Open on E: P1 H, P3 J, P5 I, P6 L, P8 N, P9 O = 6 children.
    assert metrics["cp_at_end"] == 6
    # Open on S: P1 H, P2 I, P4 K (ends 01/04/2019, after S), P6 L, P8 N, P9 O = 6.
    assert metrics["cp_at_start"] == 6
    # 6 / 16,000 x 10,000 = 3.75, to one decimal place 3.8
    assert metrics["cp_rate_per_10k"] == 3.8
    # Open on some day of the year: H, I (P2, P5: once), J, L, M (P7), N, O, P (P10) = 8.
    # K's plan ended on 01/04/2019, so it was last open on 31/03/2019.
    assert metrics["cp_during_year"] == 8


def test_plans_started_ended_repeat_and_long(metrics):
    # Started: P3 01/12/2019, P5 01/08/2019, P7 07/05/2019, P10 20/08/2019 = 4.
    assert metrics["cp_started"] == 4
    # Ended: P2 10/07/2019, P4 01/04/2019, P7 01/11/2019, P10 20/01/2020 = 4.
    assert metrics["cp_ended"] == 4
    # Started with previous plans: P3 and P5. 2 / 4 = 50.0%
    assert metrics["cp_repeat_pct"] == 50.0
    # Ended 2 years or more after the start: P4 01/04/2017 -> 01/04/2019, exactly 2.
    # 1 / 4 = 25.0%
    assert metrics["cp_ended_2y_plus_pct"] == 25.0


def test_plans_by_sex_and_category(metrics):
    # On E: H M, O M; I F, N F; J unborn (no date of birth, expected 01/06/2020); L U.
    assert metrics["cp_by_sex"] == {"male": 2, "female": 2, "unborn": 1, "unknown": 1}
    # Latest categories on E: P1 NEG; P3 EMO; P5 PHY, P9 PHY; P6 SAB; P8 NEG+EMO = MUL.
    assert metrics["cp_by_category"] == {"NEG": 1, "PHY": 2, "EMO": 1, "SAB": 1, "MUL": 1}


def test_plans_open_over_15_months_and_2_years(metrics):
    # E - 15 months = 31/12/2018; started before it: P1 01/06/2017, P9 15/06/2018 = 2.
    # P6 started 31/12/2018: exactly 15 months, not more.
    assert metrics["cp_open_over_15m"] == 2
    # E - 2 years = 31/03/2018; started before it: P1 = 1.
    assert metrics["cp_open_over_2y"] == 1


def test_initial_conferences_held_and_in_timescale(metrics):
    # Held in the year: C1 (pre-birth), C2, C3, C4 = 4. C5 is a transfer-in conference,
    # C6 was cancelled, C7 was held in 2018-19.
    assert metrics["icpc_held"] == 4
    # After a strategy discussion: C1, C2, C3 (C4 had none) = 3.
    #   C1: stored CP-1 from 15/11/2019, due 06/12/2019; held 02/12/2019: met.
    #   C2: stored CP-1 from Mon 01/07/2019: 15 WD = 22/07/2019; held 01/08/2019: late.
    #   C3: stored clock is the s47 start, not the strategy discussion, so it is worked
    #       out: Wed 10/04/2019 + 15 WD skipping Good Friday 19/04 and Easter Monday 22/04
    #       = 11,12,15,16,17,18,23,24,25,26,29,30 Apr, 1,2,3 May -> Fri 03/05/2019;
    #       held 07/05/2019: late (the stored 08/05/2019 would have said met).
    # 1 / 3 = 33.3%
    assert metrics["icpc_in_timescale_pct"] == 33.3
    # From the s47 start (all 4 have one on or before the conference):
    #   C1 Fri 15/11/2019 + 15 WD = Fri 06/12/2019; held 02/12: met.
    #   C2 Wed 03/07/2019 + 15 WD = 4,5,8-12,15-19,22,23,24 Jul -> 24/07; held 01/08: late.
    #   C3 Fri 12/04/2019 + 15 WD = 15-18, 23-26, 29, 30 Apr, 1-3 May, (6 May bank
    #      holiday), 7, 8 May -> 08/05/2019; held 07/05: met.
    #   C4 Tue 01/10/2019 + 15 WD = 2-4, 7-11, 14-18, 21, 22 Oct -> 22/10; held 10/10: met.
    # 3 / 4 = 75.0%
    assert metrics["icpc_s47_in_15wd_pct"] == 75.0


def test_review_conferences_held_and_in_timescale(metrics):
    # Held: RC1, RC2, RC3 = 3 (RC4 cancelled).
    assert metrics["rcpc_held"] == 3
    # RC1 01/06/2019 <= stored 10/06/2019: met. RC2 15/04/2019 > 10/04/2019: late.
    # RC3 (pre-birth plan): judged against ICPC 20/08/2019 + 3 months = 20/11/2019, not the
    # stored local CP-8 date 24/09/2019; held 15/11/2019: met. 2 / 3 = 66.7%
    assert metrics["rcpc_in_timescale_pct"] == 66.7
