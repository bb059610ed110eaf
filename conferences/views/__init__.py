"""Conference pages: business support's queue, calendar and chasing list; the chair's
conferences and record form; managers' plan lists and timeliness. Thin: parse, call one
service or selector, render; POST-redirect-GET; every action works without JavaScript."""

from conferences.views.chair import (
    amend,
    amend_draft,
    core_group_add,
    mine,
    record,
    record_draft,
    unavailability,
)
from conferences.views.managers import minutes_pdf, outcome_pdf, plans, timeliness
from conferences.views.scheduling import (
    book,
    calendar,
    cancel,
    chasing,
    circulate,
    detail,
    home,
    invitation_add,
    invitation_send,
    queue,
    report_add,
    report_received,
    request_conference,
)

__all__ = [
    "amend",
    "amend_draft",
    "book",
    "calendar",
    "cancel",
    "chasing",
    "circulate",
    "core_group_add",
    "detail",
    "home",
    "invitation_add",
    "invitation_send",
    "mine",
    "minutes_pdf",
    "outcome_pdf",
    "plans",
    "queue",
    "record",
    "record_draft",
    "report_add",
    "report_received",
    "request_conference",
    "timeliness",
    "unavailability",
]
