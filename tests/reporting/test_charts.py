"""The SVG charts: accessible (role, title, description naming every value), a data table
beside every chart, text escaped, CSP-safe (no style attributes), null drawn as no data."""

import re

from reporting.charts import Marker, bar_chart, format_value, line_chart, stacked_bar_chart


def _svg(html: str) -> str:
    return re.search(r"<svg.*?</svg>", html, re.S).group(0)


def test_bar_chart_is_an_image_labelled_by_its_title_and_description():
    html = bar_chart([("Alice", 12), ("Bob", 30)], title="Children per IRO")
    svg = _svg(html)
    assert 'role="img"' in svg
    ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert len(ids) == 2
    assert f'<title id="{ids[0]}">Children per IRO</title>' in svg
    assert f'<desc id="{ids[1]}">Alice: 12; Bob: 30.</desc>' in svg


def test_every_chart_has_a_data_table_with_the_same_figures():
    html = bar_chart([("Alice", 12), ("Bob", 30)], title="Children per IRO", value_heading="n")
    table = html[html.index("<table") :]
    assert "<caption" in table and "Children per IRO" in table
    assert re.findall(r'<th scope="row" class="govuk-table__header">(\w+)</th>', table) == [
        "Alice",
        "Bob",
    ]
    assert ">12</td>" in table and ">30</td>" in table


def test_text_is_escaped_everywhere():
    html = bar_chart([("<script>x</script>", 1, '/a?b=1&c="2"')], title="<b>T</b>")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="/a?b=1&amp;c=&quot;2&quot;"' in html


def test_no_style_attributes_so_the_csp_allows_the_chart():
    html = (
        bar_chart([("A", 1)], title="a", markers=[Marker("Target", 2)])
        + stacked_bar_chart([("A", [1, 2])], series=["x", "y"], title="b")
        + line_chart([("Apr", 1), ("May", 2)], title="c")
    )
    assert "style=" not in html and "<style" not in html


def test_a_null_value_draws_no_bar_and_reads_no_data():
    html = bar_chart([("CLA reviews", None), ("ICPCs", 50.0)], title="On time", unit="%")
    svg = _svg(html)
    assert svg.count("<rect") == 1
    assert "CLA reviews: no data" in svg
    assert ">no data</td>" in html and ">50%</td>" in html


def test_a_chart_of_nothing_but_nulls_still_draws():
    html = bar_chart([("CLA reviews", None)], title="On time", max_value=100, unit="%")
    assert "<rect" not in _svg(html) and "CLA reviews: no data" in html


def test_bars_scale_to_max_value_and_markers_widen_the_scale():
    half = _svg(bar_chart([("A", 50)], title="t", max_value=100))
    full = _svg(bar_chart([("A", 100)], title="t", max_value=100))
    width = lambda svg: float(re.search(r'<rect[^>]*width="([\d.]+)"', svg).group(1))  # noqa: E731
    assert width(half) * 2 == width(full)
    marked = _svg(bar_chart([("A", 50)], title="t", markers=[Marker("Target 80", 80)]))
    assert width(marked) < width(_svg(bar_chart([("A", 50)], title="t")))
    assert "Target 80" in marked and "stroke-dasharray" in marked


def test_row_links_go_on_the_table_not_the_picture():
    html = bar_chart([("Alice", 3, "/reports/dashboard/caseload/?iro=1")], title="t")
    assert "<a" not in _svg(html)
    assert '<a class="govuk-link" href="/reports/dashboard/caseload/?iro=1">Alice</a>' in html


def test_stacked_chart_has_a_legend_a_column_per_series_and_cell_links():
    html = stacked_bar_chart(
        [("Alice", [1, 0], ["/r?iro=1", "/c?iro=1"]), ("Bob", [2, 3], "/all?iro=2")],
        series=["Reviews", "Conferences"],
        title="Overdue by IRO",
    )
    svg = _svg(html)
    assert "Reviews" in svg and "Conferences" in svg
    assert "Alice: Reviews 1, Conferences 0; Bob: Reviews 2, Conferences 3" in svg
    assert '<a class="govuk-link" href="/r?iro=1">1</a>' in html
    # A zero is not a link: there is nothing behind it.
    assert 'href="/c?iro=1"' not in html
    assert '<a class="govuk-link" href="/all?iro=2">Bob</a>' in html
    assert ">Total</th>" in html and ">5</td>" in html


def test_line_chart_breaks_at_a_missing_point():
    svg = _svg(line_chart([("Apr", 1), ("May", None), ("Jun", 3), ("Jul", 4)], title="t"))
    assert svg.count("<circle") == 3
    assert svg.count("<polyline") == 1


def test_an_empty_chart_says_so():
    html = bar_chart([], title="Nothing")
    assert "No rows." in html and "Nothing to show." in html


def test_format_value():
    assert format_value(3) == "3"
    assert format_value(2.0) == "2"
    assert format_value(66.666) == "66.7"
    assert format_value(1234) == "1,234"
    assert format_value(None) == "no data"
    assert format_value(97.5, "%") == "97.5%"
