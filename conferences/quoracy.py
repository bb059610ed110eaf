"""Quoracy of a conference: children's social care plus at least N other agencies
(Working Together as applied locally; N is the setting ``CONFERENCE_QUORUM_OTHER_AGENCIES``,
default 2). Family members are invited but are not an agency. Pure functions."""

from collections.abc import Iterable

from django.conf import settings

from conferences.codes import NON_AGENCY

SOCIAL_CARE = "social_care"
DEFAULT_OTHER_AGENCIES = 2


def other_agencies_needed() -> int:
    return int(getattr(settings, "CONFERENCE_QUORUM_OTHER_AGENCIES", DEFAULT_OTHER_AGENCIES))


def is_quorate(agencies_attending: Iterable[str], *, other_needed: int) -> bool:
    """Social care attended, and at least ``other_needed`` distinct other agencies."""
    present = set(agencies_attending)
    others = present - {SOCIAL_CARE} - NON_AGENCY
    return SOCIAL_CARE in present and len(others) >= other_needed
