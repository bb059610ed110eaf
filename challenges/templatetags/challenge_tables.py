"""The rows of the challenge tables (My challenges, For me to answer, All challenges),
written in Python (``iro_service.core.rows``, issue 11): the HTML the template loop wrote,
byte for byte, the template's whitespace included (tests/challenges/test_tables.py)."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from challenges import workflow
from challenges.models import Challenge
from iro_service.core.rows import pk_urls, short_date
from timescales.rules import Assessment, DeadlineStatus

register = template.Library()

_ROW = (
    '\n    <tr class="govuk-table__row">'
    '\n      <td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '\n      <td class="govuk-table__cell">{}\n</td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    '\n      <td class="govuk-table__cell">{}</td>'
    "\n    </tr>\n  "
)


@register.simple_tag
def deadline_badge(deadline: Assessment | None) -> SafeString:
    """The badge of a challenge's ``deadline`` (and the line's end): the rows here and the
    challenge page (challenges/_deadline.html)."""
    if deadline is None:
        return mark_safe("\n")
    if deadline.status == DeadlineStatus.OVERDUE:
        days = deadline.days_late
        return format_html(
            '<strong class="moj-badge moj-badge--red">Overdue by {} working day{}</strong>\n',
            days,
            "" if days == 1 else "s",
        )
    if deadline.status == DeadlineStatus.DUE_SOON:
        return mark_safe('<strong class="moj-badge moj-badge--purple">Due soon</strong>\n')
    return mark_safe('<strong class="moj-badge moj-badge--blue">Upcoming</strong>\n')


def _about(challenge: Challenge) -> str:
    """The children the user can see (``child_names``), or for a service-level challenge
    how many."""
    names = challenge.child_names
    if challenge.scope == Challenge.Scope.SERVICE:
        return f"Service-level: {len(names)} child{'' if len(names) == 1 else 'ren'}"
    return ", ".join(names)


@register.simple_tag
def challenge_rows(challenges: Iterable[Challenge]) -> SafeString:
    """The rows of challenges/_table.html, for challenges read by the selectors' tables
    (``reason_labels``, ``child_names``) and given their ``deadline`` by the view: the
    reference, the children, the reasons, the stage, who answers it, the response's due
    date and deadline while a response is awaited, and the status."""
    detail = pk_urls("challenges:detail")
    rows = []
    for challenge in challenges:
        current = challenge.current
        due = ""
        if challenge.status == workflow.AWAITING_RESPONSE and current and current.response_due:
            due = format_html(
                "{} {}", short_date(current.response_due), deadline_badge(challenge.deadline)
            )
        cells = (
            detail(challenge.pk),
            challenge.reference,
            _about(challenge),
            "; ".join(challenge.reason_labels),
            challenge.stage_label,
            (current.responder if current else None) or "",
            due,
            challenge.get_status_display(),
        )
        rows.append(format_html(_ROW, *cells))
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html's
