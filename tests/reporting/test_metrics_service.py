"""IRO service metrics (caseloads, challenges, audits) on the hand-built dataset
(tests/reporting/annual_dataset.py). Reporting year 2019; E = 31/3/2020."""

import pytest

from reporting.annual import annual_metrics
from tests.reporting import annual_dataset


@pytest.fixture
def metrics(people):
    annual_dataset.build(people)
    return annual_metrics(2019)


def test_iro_fte_and_caseloads(metrics, people):
    # IROs: alice 1.0 and bob 0.8 (mandy manages the service; she is not an IRO) = 1.8.
    assert metrics["iro_fte"] == 1.8
    # On E: alice A, B, C (in care), H (on a plan) = 4; her allocation of D ended on E.
    # bob D (from E), I (on a plan) = 2; F (short breaks only) and E (left care) are not
    # counted. (4 + 2) / 1.8 = 3.33 -> 3.3
    assert metrics["iro_caseload_mean"] == 3.3
    alice, bob = str(people["alice"].pk), str(people["bob"].pk)
    assert metrics["iro_caseload_by_iro"] == {
        alice: {"children": 4, "fte": 1.0, "per_fte": 4.0},  # 4 / 1.0
        bob: {"children": 2, "fte": 0.8, "per_fte": 2.5},  # 2 / 0.8
    }


def test_challenges_raised_by_reason_stage_and_status(metrics):
    # Raised in the year: Ch1 .. Ch5 = 5 (Ch6 was raised in 2018-19; Ch3 is
    # service-level about 2 children and counts once).
    assert metrics["challenges_raised"] == 5
    # care plan: Ch1, Ch3 = 2; placement: Ch1, Ch4 = 2; contact: Ch2, Ch4, Ch5 = 3.
    assert metrics["challenges_by_reason"] == {
        "rpt-care-plan": 2,
        "rpt-contact": 3,
        "rpt-placement": 2,
    }
    # informal Ch2, Ch5; stage 1 Ch4; stage 2 Ch1; Cafcass Ch3.
    assert metrics["challenges_by_highest_stage"] == {
        "informal": 2,
        "stage_1": 1,
        "stage_2": 1,
        "stage_3": 0,
        "stage_4": 0,
        "cafcass": 1,
    }
    # Ch1 A in care; Ch2 H on a plan; Ch4 B in care and I on a plan: both; Ch3
    # service-level; Ch5 E had left care and was on no plan: not counted.
    assert metrics["challenges_cla_vs_cp"] == {"cla": 1, "cp": 1, "both": 1, "service_level": 1}


def test_median_working_days_to_resolve_and_cafcass_referrals(metrics):
    # Resolved in the year: Ch1 Wed 01/05 -> Wed 15/05/2019 = 2, 3, 7-10, 13-15 May
    # (6 May bank holiday) = 9 WD; Ch2 Mon 03/06 -> Mon 10/06/2019 = 4-7, 10 Jun = 5 WD;
    # Ch6 Fri 01/03 -> Mon 08/04/2019 = 5 weeks of 5 + 8 Apr = 26 WD. Ch3 closed after
    # Cafcass and Ch5 withdrawn are not resolutions. Median of 5, 9, 26 = 9.
    assert metrics["challenges_resolved_median_wd"] == 9.0
    # Referred 01/08/2019 = 1; the declined request and the 2018-19 referral do not count.
    assert metrics["cafcass_referrals"] == 1


def test_audits_completed_rag_completion_and_answers(metrics):
    # Completed in the year: Au1 01/06/2019, Au2 01/12/2019, Au5 01/07/2019 = 3
    # (Au3 was completed in 2020-21; Au4 is a draft).
    assert metrics["audits_completed"] == 3
    # Au1 green, Au2 amber, Au5 green.
    assert metrics["audit_rag"] == {"red": 0, "amber": 1, "green": 2}
    # Meetings held in the year: 6 CLA reviews + 8 conferences (C1-C5, RC1-RC3) = 14.
    # With a completed audit: R1 (Au1), R3 (Au3, completed later), C2 (Au2) = 3.
    # 3 / 14 = 21.43 -> 21.4%
    assert metrics["audit_completion_pct"] == 21.4
    # Answers in Au1, Au2, Au5 other than not applicable:
    # q1 yes, no, partly -> 1 / 3 = 33.3%; q2 yes, yes (Au1 n/a) -> 2 / 2 = 100.0%;
    # q3 only n/a -> no denominator: None.
    assert metrics["audit_question_yes_pct"] == {"q1": 33.3, "q2": 100.0, "q3": None}
