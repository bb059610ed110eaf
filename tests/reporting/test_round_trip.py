"""Issue 9's round trip: export the SSDA903 returns, import them into an empty database, and
the annual report's children-in-care figures come out the same. (The CIN census round trip,
for the child protection figures, is in test_cin_export.py.)

Every `cla_*` key is compared except `cla_iro_visit_before_review_pct`, which needs the
IRO's contacts with the child: a return has none, and imported reviews make it null by
definition. A council imports every year it holds, oldest first (a later year updates and
extends), so a period of care begun years ago keeps its start.
"""

import pytest

from people.models import User
from reporting.annual import annual_metrics
from reporting.exports.ssda903 import ssda903_files
from reporting.imports.base import ImportFailed
from reporting.imports.ssda903 import import_ssda903
from reporting.models import Population
from reviews.models import ChildContact, Review
from tests.conftest import requires_postgres
from tests.reporting import annual_dataset
from tests.reporting.ssda903_samples import wipe_case_data
from timescales.sequences import next_cla_review
from timescales.services import rule_books, working_calendar

YEAR = 2019
FIRST_YEAR = 2014  # the oldest episode of the hand-built dataset starts in January 2015
NOT_IN_RETURNS = {"cla_iro_visit_before_review_pct"}


def _children_in_care_figures(year: int) -> dict[str, object]:
    return {
        key: value
        for key, value in annual_metrics(year).items()
        if key.startswith("cla_") and key not in NOT_IN_RETURNS
    }


def _clocks_as_the_engine_sets_them() -> None:
    """The hand-built reviews carry made-up due dates; a recorded review's are the clock
    engine's (CLA-1/2/3 from the period start and the reviews held before it), as are an
    imported one's, so set them so before comparing."""
    calendar, books = working_calendar(), rule_books()
    held = Review.objects.filter(status=Review.Status.HELD).select_related("period")
    for review in held.order_by("period", "held_date"):
        earlier = held.filter(period=review.period, held_date__lt=review.held_date)
        deadline = next_cla_review(
            period_start=review.period.start_date,
            reviews_held=sorted(earlier.values_list("held_date", flat=True)),
            rules=books(review.period.start_date),
            calendar=calendar,
        )
        review.sequence_rule, review.clock_start = deadline.rule_id, deadline.start
        review.original_due_date = review.due_date = deadline.due
        review.save(update_fields=["sequence_rule", "clock_start", "original_due_date", "due_date"])


@requires_postgres
@pytest.mark.django_db
def test_exported_903_returns_imported_into_an_empty_database_give_the_same_figures(
    people: dict[str, User],
) -> None:
    annual_dataset.build_children_in_care(annual_dataset.Dataset(), people["alice"])
    _clocks_as_the_engine_sets_them()
    Population.objects.create(year=YEAR, population=16_000, source="ONS mid-2019 estimate")
    before = _children_in_care_figures(YEAR)
    manager = people["mandy"]
    returns = {year: ssda903_files(year, manager) for year in range(FIRST_YEAR, YEAR + 1)}

    ChildContact.objects.all().delete()
    wipe_case_data()
    assert _children_in_care_figures(YEAR)["cla_at_end"] == 0
    for year, files in returns.items():
        try:
            import_ssda903(files, year=year, by=manager)
        except ImportFailed as failed:
            pytest.fail("\n".join(str(error) for error in failed.errors))

    after = _children_in_care_figures(YEAR)
    assert len(before) == 17 and before["cla_at_end"] > 0
    assert before["cla_reviews_in_timescale_pct"] not in (None, 0.0, 100.0)
    assert {key: (before[key], after[key]) for key in before if before[key] != after[key]} == {}
