"""The review sequence: exactly one next review, due from the clock engine (CLA-1..5)."""

from datetime import date, time

import pytest
from django.utils import timezone

from children import services as child_services
from children.models import PeriodOfCare
from children.rules import EpisodeValues
from iro_service.core.errors import InvalidTransition, RuleViolation
from reviews import services
from reviews.models import Review
from tests.factories import ChildFactory
from tests.reviews.conftest import put_in_care

pytestmark = pytest.mark.django_db


def record(review, alice, held: date, code: str = "PN1") -> Review:
    review.refresh_from_db()
    return services.review_record(
        review=review,
        values={"held_date": held, "participation_code": code, "wishes_and_feelings": "Views"},
        version=review.version,
        by=alice,
    )


def next_review(child) -> Review:
    return Review.objects.get(child=child, status__in=["due", "scheduled"])


def test_first_review_is_due_20_working_days_after_becoming_looked_after(in_care):
    assert in_care.sequence_rule == "CLA-1"
    assert in_care.clock_start == date(2025, 1, 6)
    assert in_care.due_date == in_care.original_due_date == date(2025, 2, 3)
    assert in_care.status == "due"


def test_ensure_next_is_idempotent_and_none_for_a_child_not_in_care(in_care, child, people, org):
    assert services.review_ensure_next(child) == in_care
    assert Review.objects.filter(child=child).count() == 1
    assert services.review_ensure_next(ChildFactory(team=org["team"])) is None


def test_holding_reviews_creates_the_second_then_six_monthly_reviews(in_care, child, people):
    record(in_care, people["alice"], date(2025, 1, 30))
    second = next_review(child)
    assert (second.sequence_rule, second.clock_start, second.due_date) == (
        "CLA-2",
        date(2025, 1, 30),
        date(2025, 4, 30),
    )
    record(second, people["alice"], date(2025, 4, 28))
    third = next_review(child)
    assert (third.sequence_rule, third.due_date) == ("CLA-3", date(2025, 10, 28))


def test_early_review_becomes_the_next_review_and_the_sequence_continues_from_it(
    in_care, child, people
):
    record(in_care, people["alice"], date(2025, 1, 30))
    second = next_review(child)
    services.review_request_extra(
        review=second, reason="care_plan_change", due_by=timezone.localdate(), by=people["alice"]
    )
    second.refresh_from_db()
    assert second.kind == "extra"
    assert second.original_due_date == date(2025, 4, 30)
    record(second, people["alice"], date(2025, 2, 20))
    third = next_review(child)
    assert (third.sequence_rule, third.clock_start, third.due_date) == (
        "CLA-3",
        date(2025, 2, 20),
        date(2025, 8, 20),
    )


@pytest.mark.parametrize("action", ["adjourn", "cancel"])
def test_adjourned_and_cancelled_reviews_do_not_count_as_held(in_care, child, people, action):
    services.review_schedule(
        review=in_care,
        on=timezone.localdate(),
        at=time(10),
        venue="Town Hall",
        online=False,
        late_reason="other",
        late_reason_text="Test",
        by=people["betty"],
    )
    ender = getattr(services, f"review_{action}")
    ender(review=in_care, reason="The social worker was ill", by=people["alice"])
    in_care.refresh_from_db()
    assert in_care.status == {"adjourn": "adjourned", "cancel": "cancelled"}[action]
    replacement = next_review(child)
    assert replacement.pk != in_care.pk
    assert (replacement.sequence_rule, replacement.original_due_date) == (
        "CLA-1",
        date(2025, 2, 3),
    )


def test_an_unbooked_review_cannot_be_adjourned(in_care, people):
    with pytest.raises(InvalidTransition):
        services.review_adjourn(review=in_care, reason="No", by=people["alice"])


def test_a_new_period_of_care_restarts_the_sequence(in_care, child, people):
    record(in_care, people["alice"], date(2025, 1, 30))
    child_services.episode_cease(child=child, dec=date(2025, 3, 1), rec="E11", by=people["betty"])
    assert services.reviews_sync_next() == 0
    assert not Review.objects.filter(child=child, status__in=["due", "scheduled"]).exists()
    restart = put_in_care(child, people["betty"], date(2025, 6, 2))
    assert (restart.sequence_rule, restart.clock_start, restart.due_date) == (
        "CLA-1",
        date(2025, 6, 2),
        date(2025, 6, 30),
    )


def test_sync_creates_missing_next_reviews_set_based(child, org, people):
    # Periods that arrived without the services' care-change hook, as a bulk import's do.
    children = [child, *(ChildFactory(team=org["team"]) for _ in range(3))]
    for each in children:
        PeriodOfCare.objects.create(
            child=each, start_date=date(2025, 1, 6), iro_allocation_due=date(2025, 1, 13)
        )
    assert services.reviews_sync_next() == 4
    assert services.reviews_sync_next() == 0
    assert Review.objects.filter(status="due", due_date=date(2025, 2, 3)).count() == 4
    assert Review.history.count() == 4


def test_pn0_is_refused_for_a_child_aged_four_or_more(in_care, people):
    with pytest.raises(RuleViolation, match="PN0 is only for a child under 4"):
        record(in_care, people["alice"], date(2025, 1, 30), code="PN0")


def test_pn1_is_refused_for_a_child_under_four(org, people):
    toddler = ChildFactory(team=org["team"], iro=people["alice"], date_of_birth=date(2022, 6, 1))
    review = put_in_care(toddler, people["betty"], date(2025, 1, 6))
    with pytest.raises(RuleViolation, match="under 4 on the review date: use PN0"):
        record(review, people["alice"], date(2025, 1, 30), code="PN1")
    assert record(review, people["alice"], date(2025, 1, 30), code="PN0").status == "held"


def test_a_period_of_care_starting_creates_the_first_review_at_once(child, people):
    child_services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2025, 4, 17), rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    (review,) = child.reviews.all()
    # CLA-1: Thu 17 Apr 2025 + 20 WD, skipping Good Friday, Easter Monday and Mon 5 May:
    # Tue 22 Apr is day 1, Fri 2 May day 9, Tue 6 May day 10, Tue 20 May day 20.
    assert (review.sequence_rule, review.due_date) == ("CLA-1", date(2025, 5, 20))
    child_services.episode_cease(child=child, dec=date(2025, 6, 2), rec="E4A", by=people["betty"])
    review.refresh_from_db()
    assert review.status == Review.Status.CANCELLED
