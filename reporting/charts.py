"""Server-rendered SVG charts, each with its data table beside it.

Pages and the annual report PDF (WeasyPrint renders inline SVG) call one of:

    bar_chart(rows, *, title, ...)              horizontal bars, one per row
    stacked_bar_chart(rows, *, series, title)   horizontal bars split into series
    line_chart(points, *, title, ...)           a trend over ordered categories

Each returns a ``SafeString``: a GOV.UK grid row with the chart (``role="img"``, labelled
by its ``<title>`` and described by its ``<desc>``, which reads out every value) in one
column and a ``govuk-table`` with the same figures in the other (under the chart when the
table has more than three columns), so the figures never depend on seeing the picture
(WCAG 1.1.1, 1.4.1). A row may carry a link as its third
item: the table's row heading links to it (the drill-down); a stacked row may instead carry
one link per series, on its cells. The picture itself stays non-interactive.

The SVG uses presentation attributes only (no ``style``), so the strict CSP
(``style-src 'self'``) allows it; every text is escaped. A value of ``None`` (a percentage
whose denominator is zero, ANNUAL-REPORT-METRICS.md) draws no bar and reads "no data".
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

Number = int | float | Decimal
# (label, value) or (label, value, link)
Row = tuple[str, Number | None] | tuple[str, Number | None, str | None]
# (label, values) or (label, values, link): the link is the row's, or one per series
StackedRow = (
    tuple[str, Sequence[Number | None]]
    | tuple[str, Sequence[Number | None], str | Sequence[str | None] | None]
)
Cell = tuple[str, str | None]

# GOV.UK Frontend colour palette: dark enough for 3:1 against white (WCAG 1.4.11).
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#d4351c", "#4c2c92", "#28a197", "#d53880")
# Red, amber, green for audit ratings (in that order).
RAG_COLOURS = ("#d4351c", "#f47738", "#00703c")
TEXT = "#0b0c0c"
AXIS = "#505a5f"
MARKER = "#0b0c0c"
# Drawn at about its own size in a half-width column, so 13px text reads as 13px.
WIDTH = 460
LABEL_WIDTH = 170
VALUE_WIDTH = 60
BAR_HEIGHT = 22
GAP = 10
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"'
MAX_LABEL = 21
NO_DATA = "no data"


@dataclass(frozen=True)
class Marker:
    """A reference line across a bar chart: guidance or a target (``value`` in chart units)."""

    label: str
    value: Number


def format_value(value: Number | None, unit: str = "") -> str:
    """Integers as they are; other numbers to one decimal place; None as "no data"."""
    if value is None:
        return NO_DATA
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{float(value):,.1f}"
    return f"{text}{unit}"


def bar_chart(
    rows: Sequence[Row],
    *,
    title: str,
    max_value: Number | None = None,
    unit: str = "",
    label_heading: str = "",
    value_heading: str = "Value",
    markers: Sequence[Marker] = (),
    description: str = "",
) -> SafeString:
    """Horizontal bars, one per row, with optional reference lines (``markers``)."""
    items = [_row(row) for row in rows]
    scale = _scale([value for _, value, _ in items] + [m.value for m in markers], max_value)
    chart_id = _chart_id(title, rows)
    top = 36 if markers else 0
    height = top + max(len(items), 1) * (BAR_HEIGHT + GAP) + GAP
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [_svg_open(chart_id, title, _describe(items, unit, description, markers), height)]
    for index, (label, value, _) in enumerate(items):
        y = top + GAP + index * (BAR_HEIGHT + GAP)
        parts.append(_label(label, y))
        width = 0.0 if value is None else plot * float(value) / scale
        if width:
            parts.append(_rect(LABEL_WIDTH, y, width, PALETTE[0]))
        parts.append(_value_text(LABEL_WIDTH + width + 6, y, format_value(value, unit)))
    parts += _markers(markers, scale, plot, top, height)
    parts.append(_axis(top, height))
    parts.append("</svg>")
    table = _table(
        title,
        [label_heading, value_heading],
        [(label, [(format_value(value, unit), None)], link) for label, value, link in items],
    )
    return _figure("".join(parts), table)


def stacked_bar_chart(
    rows: Sequence[StackedRow],
    *,
    series: Sequence[str],
    title: str,
    max_value: Number | None = None,
    unit: str = "",
    label_heading: str = "",
    total_heading: str = "Total",
    description: str = "",
    colours: Sequence[str] = PALETTE,
) -> SafeString:
    """Horizontal bars split into ``series`` (a legend names each colour; the table has a
    column per series and the total). ``colours`` may give each series its own (red, amber
    and green for ratings)."""
    items = []
    for row in rows:
        label, values = str(row[0]), [value or 0 for value in row[1]]
        links = row[2] if len(row) > 2 else None  # type: ignore[misc]
        items.append((label, values, links))
    scale = _scale([sum(values) for _, values, _ in items], max_value)
    chart_id = _chart_id(title, rows)
    legend, top = _legend(series, colours)
    height = top + max(len(items), 1) * (BAR_HEIGHT + GAP) + GAP
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    summary = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {format_value(v, unit)}" for name, v in zip(series, values, strict=True)
        )
        for label, values, _ in items
    )
    desc = " ".join(filter(None, [description, summary or "No rows."]))
    parts = [_svg_open(chart_id, title, desc, height), legend]
    for index, (label, values, _) in enumerate(items):
        y = top + GAP + index * (BAR_HEIGHT + GAP)
        parts.append(_label(label, y))
        x = float(LABEL_WIDTH)
        for n, value in enumerate(values):
            width = plot * float(value) / scale
            if width:
                parts.append(_rect(x, y, width, colours[n % len(colours)]))
                x += width
        parts.append(_value_text(x + 6, y, format_value(sum(values), unit)))
    parts.append(_axis(top, height))
    parts.append("</svg>")
    table = _table(
        title,
        [label_heading, *series, total_heading],
        [_stacked_table_row(label, values, links, unit) for label, values, links in items],
    )
    return _figure("".join(parts), table, columns=len(series) + 2)


def line_chart(
    points: Sequence[Row],
    *,
    title: str,
    max_value: Number | None = None,
    unit: str = "",
    label_heading: str = "",
    value_heading: str = "Value",
    description: str = "",
) -> SafeString:
    """A trend over ordered categories (months, years); a ``None`` value breaks the line."""
    items = [_row(point) for point in points]
    scale = _scale([value for _, value, _ in items], max_value)
    chart_id = _chart_id(title, points)
    height, left, right, top, bottom = 260, 48, WIDTH - 24, 16, 260 - 40
    step = (right - left) / max(len(items) - 1, 1)
    parts = [_svg_open(chart_id, title, _describe(items, unit, description, ()), height)]
    for fraction in (0, 0.5, 1):
        y = bottom - (bottom - top) * fraction
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#b1b4b6" '
            f'stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{AXIS}" {FONT}>{escape(format_value(scale * fraction, unit))}</text>'
        )
    segment: list[str] = []
    for index, (label, value, _) in enumerate(items):
        x = left + step * index
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT}" {FONT}>{escape(_short(label, 10))}</text>'
        )
        if value is None:
            parts.append(_polyline(segment))
            segment = []
            continue
        y = bottom - (bottom - top) * float(value) / scale
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[0]}"/>')
    parts.append(_polyline(segment))
    parts.append("</svg>")
    table = _table(
        title,
        [label_heading, value_heading],
        [(label, [(format_value(value, unit), None)], link) for label, value, link in items],
    )
    return _figure("".join(parts), table)


# Pieces ----------------------------------------------------------------------------------


def _row(row: Row) -> tuple[str, Number | None, str | None]:
    return str(row[0]), row[1], row[2] if len(row) > 2 else None  # type: ignore[misc]


def _scale(values: Sequence[Number | None], max_value: Number | None) -> float:
    """The value at the right-hand end of the plot: ``max_value`` or the largest value."""
    if max_value is not None and float(max_value) > 0:
        return max([float(max_value), *(float(v) for v in values if v is not None)])
    largest = max((float(v) for v in values if v is not None), default=0.0)
    return largest if largest > 0 else 1.0


def _chart_id(title: str, rows: Sequence[object]) -> str:
    """A stable id, unique on a page unless the same chart is drawn twice."""
    digest = hashlib.sha256(repr((title, list(rows))).encode()).hexdigest()[:6]
    return f"chart-{slugify(title)[:40]}-{digest}"


def _describe(
    items: Sequence[tuple[str, Number | None, str | None]],
    unit: str,
    description: str,
    markers: Sequence[Marker],
) -> str:
    values = "; ".join(f"{label}: {format_value(value, unit)}" for label, value, _ in items)
    lines = "; ".join(f"{m.label} at {format_value(m.value, unit)}" for m in markers)
    parts = [
        description,
        f"{values}." if values else "No rows.",
        f"Lines: {lines}." if lines else "",
    ]
    return " ".join(part for part in parts if part)


def _svg_open(chart_id: str, title: str, desc: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
        f'width="100%" viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _short(label: str, length: int = MAX_LABEL) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def _label(label: str, y: float) -> str:
    return (
        f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
        f'font-size="13" fill="{TEXT}" {FONT}>{escape(_short(label))}</text>'
    )


def _rect(x: float, y: float, width: float, colour: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
    )


def _value_text(x: float, y: float, text: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" font-size="13" font-weight="bold" '
        f'fill="{TEXT}" {FONT}>{escape(text)}</text>'
    )


def _axis(top: int, height: int) -> str:
    return (
        f'<line x1="{LABEL_WIDTH}" y1="{top}" x2="{LABEL_WIDTH}" y2="{height}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )


def _legend(series: Sequence[str], colours: Sequence[str]) -> tuple[str, int]:
    """The key to the colours, wrapped onto as many lines as it needs; and its height."""
    parts, x, y = [], 0.0, 6
    for n, name in enumerate(series):
        width = 26 + 7.5 * min(len(name), 22)
        if x and x + width > WIDTH:
            x, y = 0.0, y + 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="14" height="14" fill="{colours[n % len(colours)]}"/>'
            f'<text x="{x + 18:.1f}" y="{y + 12}" font-size="13" fill="{TEXT}" {FONT}>'
            f"{escape(_short(name, 22))}</text>"
        )
        x += width
    return "".join(parts), y + 24


def _markers(
    markers: Sequence[Marker], scale: float, plot: float, top: int, height: int
) -> list[str]:
    """Dashed vertical lines, labelled along the top, for guidance and targets."""
    parts = []
    for n, marker in enumerate(sorted(markers, key=lambda m: float(m.value))):
        x = LABEL_WIDTH + plot * float(marker.value) / scale
        # Alternate the labels between two lines, so that close lines' labels do not overlap.
        label_y = 12 if n % 2 == 0 else 28
        parts.append(
            f'<line x1="{x:.1f}" y1="{label_y + 3}" x2="{x:.1f}" y2="{height}" stroke="{MARKER}" '
            f'stroke-width="2" stroke-dasharray="5 4"/>'
            f'<text x="{x:.1f}" y="{label_y}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}" {FONT}>{escape(_short(marker.label, 18))}</text>'
        )
    return parts


def _polyline(points: list[str]) -> str:
    if len(points) < 2:
        return ""
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[0]}" '
        f'stroke-width="3"/>'
    )


def _series_values(series: Sequence[str], values: Sequence[Number], unit: str) -> list[str]:
    return [f"{name} {format_value(v, unit)}" for name, v in zip(series, values, strict=True)]


def _stacked_table_row(
    label: str, values: list[Number], links: str | Sequence[str | None] | None, unit: str
) -> tuple[str, list[Cell], str | None]:
    per_cell = list(links) if links is not None and not isinstance(links, str) else []
    cells: list[Cell] = [
        (format_value(value, unit), per_cell[n] if n < len(per_cell) and value else None)
        for n, value in enumerate(values)
    ]
    cells.append((format_value(sum(values), unit), None))
    return label, cells, links if isinstance(links, str) else None


def _link(text: str, href: str | None) -> str:
    if not href:
        return escape(text)
    return f'<a class="govuk-link" href="{escape(href)}">{escape(text)}</a>'


def _table(
    caption: str, headings: Sequence[str], rows: Sequence[tuple[str, Sequence[Cell], str | None]]
) -> str:
    head = "".join(
        f'<th scope="col" class="govuk-table__header'
        f'{" govuk-table__header--numeric" if n else ""}">{escape(heading)}</th>'
        for n, heading in enumerate(headings)
    )
    body = []
    for label, cells, link in rows:
        body.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f"{_link(label, link)}</th>"
            + "".join(
                f'<td class="govuk-table__cell govuk-table__cell--numeric">{_link(text, href)}</td>'
                for text, href in cells
            )
            + "</tr>"
        )
    if not body:
        body.append(
            f'<tr class="govuk-table__row"><td class="govuk-table__cell" '
            f'colspan="{len(headings)}">Nothing to show.</td></tr>'
        )
    return (
        f'<table class="govuk-table app-chart__table"><caption class="govuk-table__caption '
        f'govuk-table__caption--s">{escape(caption)}</caption><thead class="govuk-table__head">'
        f'<tr class="govuk-table__row">{head}</tr></thead><tbody class="govuk-table__body">'
        f"{''.join(body)}</tbody></table>"
    )


def _figure(svg: str, table: str, columns: int = 2) -> SafeString:
    """The chart and its table side by side; a table of more than three columns goes under
    the chart instead, at full width, so that no column is squeezed."""
    if columns > 3:
        markup = (
            f'<div class="app-chart"><div class="govuk-grid-row"><div class="govuk-grid-column-'
            f'two-thirds">{svg}</div></div><div class="govuk-grid-row"><div class="govuk-grid-'
            f'column-full">{table}</div></div></div>'
        )
    else:
        markup = (
            f'<div class="govuk-grid-row app-chart"><div class="govuk-grid-column-one-half">{svg}'
            f'</div><div class="govuk-grid-column-one-half">{table}</div></div>'
        )
    # Every piece above escapes its text, so the assembled markup is safe.
    return mark_safe(markup)  # noqa: S308
