"""The row helpers (``iro_service.core.rows``) write what ``{% url %}`` and
``|date:"j M Y"`` write."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import engines

from iro_service.core.rows import pk_urls, short_date


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    "name", ["reviews:detail", "reviews:book", "challenges:detail", "children:detail"]
)
def test_each_row_gets_the_url_that_url_gives(name):
    url = pk_urls(name)
    for pk in [1, 42, 2147483646, 7]:
        assert url(pk) == render("{% url name pk %}", name=name, pk=pk)


def test_short_date_is_the_date_filter_with_day_month_year():
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 730, 3)]
    days += [date(1, 1, 1), date(999, 9, 9), date(9999, 12, 31)]
    for day in days:
        assert short_date(day) == render('{{ d|date:"j M Y" }}', d=day)


def test_short_date_of_nothing_is_nothing_and_of_a_time_is_its_london_day():
    assert short_date(None) == "" == render('{{ d|date:"j M Y" }}', d=None)
    late_summer_evening = datetime(2026, 7, 31, 23, 30, tzinfo=UTC)  # 1 August in London
    assert short_date(late_summer_evening) == "1 Aug 2026"
    assert render('{{ d|date:"j M Y" }}', d=late_summer_evening) == "1 Aug 2026"
