"""The annual report benchmark's floor (hand-written SQL, bench/annual_floor.py) gives the
same figures as ``reporting.annual.annual_metrics``, on generated data, for the year that
ended and the year still running: the bench compares their times only when they agree."""

from datetime import date

import pytest

from bench.annual_floor import floor_metrics
from reporting.annual import annual_metrics
from reporting.synthetic import Size, generate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_floor_computes_every_metric_as_the_report_does(year: int) -> None:
    generate(Size(in_care=20, on_plans=10, iros=2, years=3), seed=5, today=date(2026, 3, 2))
    app, floor = annual_metrics(year), floor_metrics(year)
    assert app["cla_reviews_held"] > 0 and app["icpc_held"] > 0
    assert floor == app
