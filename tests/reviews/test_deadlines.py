"""Record deadlines (CLA-13, CLA-14), the child's review deadlines, and the clock registry."""

from datetime import date

import pytest

from children.deadlines import child_deadlines
from reviews import services
from reviews.models import Review
from timescales.services import extra_non_working_day_add

pytestmark = pytest.mark.django_db


def hold(review, alice, held: date) -> Review:
    return services.review_record(
        review=review,
        values={"held_date": held, "participation_code": "PN1"},
        version=review.version,
        by=alice,
    )


def test_holding_stores_cla_13_and_cla_14_due_dates(in_care, people):
    held = hold(in_care, people["alice"], date(2025, 1, 30))  # a Thursday
    assert held.decisions_due == date(2025, 2, 6)  # 5 WD
    assert held.record_due == date(2025, 2, 27)  # 20 WD


def test_circulating_and_completing_late_are_judged_late(in_care, child, people):
    held = hold(in_care, people["alice"], date(2025, 1, 30))
    services.decision_add(
        review=held,
        text="Do it",
        owner=None,
        owner_role="Social worker",
        due_date=date(2025, 3, 1),
        by=people["alice"],
    )
    services.review_circulate(review=held, on=date(2025, 2, 7), by=people["betty"])
    services.review_complete(review=held, on=date(2025, 2, 27), by=people["alice"])
    rows = {row.rule.id: row for row in child_deadlines(child=child, today=date(2025, 3, 3))}
    assert (rows["CLA-13"].status, rows["CLA-13"].days_late) == ("late", 1)
    assert rows["CLA-14"].status == "met"
    assert rows["CLA-1"].status == "met"


def test_the_next_review_is_overdue_against_its_original_due_date(in_care, child, people):
    rows = child_deadlines(child=child, today=date(2025, 2, 5))
    next_review = [row for row in rows if row.rule.id == "CLA-1"]
    assert [(row.due, row.status) for row in next_review] == [(date(2025, 2, 3), "overdue")]


def test_a_review_held_after_rescheduling_is_late_against_the_original_due_date(
    in_care, child, people
):
    held = hold(in_care, people["alice"], date(2025, 2, 4))
    assert held.in_timescale is False
    assert child.events.filter(summary__startswith="Children in care review held late").exists()


def test_a_new_bank_holiday_moves_open_review_due_dates_but_not_held_ones(in_care, people):
    # 27 January 2025 lies inside the CLA-1 window (6 Jan + 20 WD = 3 Feb).
    extra_non_working_day_add(day=date(2025, 1, 27), description="Test", by=people["mandy"])
    in_care.refresh_from_db()
    assert in_care.due_date == in_care.original_due_date == date(2025, 2, 4)


def test_the_child_page_shows_the_first_review_once_care_starts(child, people):
    from children import services as child_services
    from children.rules import EpisodeValues

    child_services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2025, 1, 6), rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    assert Review.objects.filter(child=child, sequence_rule="CLA-1").count() == 1
    services.reviews_sync_next()  # nothing missing: the care-change hook made it
    rows = [
        row
        for row in child_deadlines(child=child, today=date(2025, 1, 7))
        if row.rule.id == "CLA-1"
    ]
    assert [(row.due, row.status) for row in rows] == [(date(2025, 2, 3), "upcoming")]
