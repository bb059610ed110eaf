"""The rows of the review tables of My reviews and Reviews to schedule, written in Python
(``iro_service.core.rows``, issue 11). Each writes the HTML its template loop wrote, byte
for byte, the template's whitespace included (tests/reviews/test_tables.py)."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from iro_service.core.rows import pk_urls, short_date
from reminders.calendars import Meeting
from reviews import workflow
from reviews.models import Review
from reviews.selectors import QueueRow

register = template.Library()

# The badge of each status; any other status reads "Cancelled".
_STATUS_BADGES = {
    workflow.DUE: ("blue", "Due"),
    workflow.SCHEDULED: ("purple", "Scheduled"),
    workflow.HELD: ("green", "Held"),
    workflow.ADJOURNED: ("orange", "Adjourned"),
}
_OTHER_STATUS = ("grey", "Cancelled")
_EXTRA = ' <strong class="moj-badge">Early or extra</strong>'

_REVIEW_ROW = (
    '\n    <tr class="govuk-table__row">'
    '\n      <td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a>'
    ' <span class="govuk-hint govuk-!-display-inline">{}</span></td>'
    "\n      "
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    "\n      "
    '\n      <td class="govuk-table__cell">{}\n</td>'
    "\n    </tr>\n  "
)

_QUEUE_ROW = (
    '\n    <tr class="govuk-table__row">'
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell"><a class="govuk-link" href="{}">Book'
    '<span class="govuk-visually-hidden"> the review of {}</span></a></td>'
    "\n    </tr>\n  "
)


@register.simple_tag
def status_badges(review: Review) -> SafeString:
    """The status badge, and one for an early or extra review: the rows here and every page
    that shows a review's status (reviews/_status.html)."""
    colour, label = _STATUS_BADGES.get(review.status, _OTHER_STATUS)
    extra = _EXTRA if review.kind == Review.Kind.EXTRA else ""
    return mark_safe(f'<strong class="moj-badge moj-badge--{colour}">{label}</strong>{extra}')  # noqa: S308 - constants


@register.simple_tag
def review_rows(reviews: Iterable[Review], held: bool = False, due_label: str = "") -> SafeString:
    """The rows of reviews/_review_table.html: the child, then the due date and the date
    booked, or for held reviews the date held and the record's due date (the decisions'
    when ``due_label`` is "Decisions due"), then the status."""
    detail = pk_urls("reviews:detail")
    rows = []
    for review in reviews:
        if held:
            due = review.decisions_due if due_label == "Decisions due" else review.record_due
            first, second = short_date(review.held_date), short_date(due)
        else:
            first = short_date(review.due_date)
            second = short_date(review.scheduled_date) or "Not booked"
        child = review.child
        cells = (detail(review.pk), child.full_name, child.la_child_id, first, second)
        rows.append(format_html(_REVIEW_ROW, *cells, status_badges(review)))
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html's


def _meeting(meeting: Meeting) -> SafeString:
    if meeting.time_known:
        at = f"{template_localtime(meeting.starts):%H:%M}"
        return format_html("{} at {}", meeting.reference, at)
    return format_html("{}, no time set", meeting.reference)


def _other_meetings(meetings: list[Meeting]) -> SafeString | str:
    """The IRO's other meetings on the day, one a line, or "None"."""
    if not meetings:
        return "None"
    return mark_safe("<br>".join(_meeting(meeting) for meeting in meetings))  # noqa: S308 - format_html's


@register.simple_tag
def queue_rows(rows: Iterable[QueueRow]) -> SafeString:
    """The rows of reviews/schedule_queue.html: the due date, the child, their IRO, the
    IRO's other meetings that day (reference and time, one a line) and the booking link."""
    detail, book = pk_urls("reviews:detail"), pk_urls("reviews:book")
    written = []
    for row in rows:
        review, child = row.review, row.review.child
        cells = (
            short_date(review.due_date),
            detail(review.pk),
            child.full_name,
            child.iro or "Not allocated",
            _other_meetings(row.other_meetings),
            book(review.pk),
            child.full_name,
        )
        written.append(format_html(_QUEUE_ROW, *cells))
    return mark_safe("".join(written))  # noqa: S308 - each row is format_html's
