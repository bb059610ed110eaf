"""Helpers for writing the rows of long tables in Python (issue 11).

Through the template language a table row costs tens of microseconds: a lookup per dotted
name, an escape per value, an include per badge; ``{% url %}`` reverses the whole pattern
again for every row and ``|date`` parses its format again for every cell. The list pages
(My reviews, Reviews to schedule, the challenge tables) write their rows with
``format_html`` instead, using these for what ``{% url %}`` and ``|date`` gave.
"""

from collections.abc import Callable
from datetime import date

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.timezone import template_localtime

# A pk that no row has, to find where the pk goes in a reversed URL.
_MARK = "2147483647"


def pk_urls(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for each row: the URL reversed once, with a marker for
    the pk, and each row's pk put in the marker's place. For URL names taking one integer
    (a primary key)."""
    head, _, tail = reverse(name, args=[_MARK]).partition(_MARK)
    return lambda pk: f"{head}{int(pk)}{tail}"


def short_date(value: date | None) -> str:
    """What ``value|date:"j M Y"`` writes ("4 Mar 2026"; a time as its London day), and
    nothing for no date."""
    if not value:
        return ""
    value = template_localtime(value)
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year:04d}"
