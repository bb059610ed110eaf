"""Writes for conferences and core groups. Every write path (pages, API) comes here.

Each service checks the policy, moves the workflow under a row lock, takes every due date
from the clock engine (``timescales.sequences`` with ``rule_books()`` and
``working_calendar()``), saves with ``update_fields`` (history via simple-history) and writes
a ``ChildEvent`` for the child's timeline. Emails carry a link and a reference only.
"""

from conferences.services._common import EditConflict
from conferences.services.amend import (
    AMENDABLE_FIELDS,
    conference_amend,
    conference_amend_draft_discard,
    conference_amend_draft_save,
)
from conferences.services.booking import (
    chair_unavailability_add,
    conference_cancel,
    conference_schedule,
    invitation_add,
    invitation_send,
    report_receive,
    report_request,
)
from conferences.services.record import (
    RECORD_FIELDS,
    conference_circulate,
    conference_record_draft,
    conference_record_outcome,
    core_group_record,
    plan_latest_categories_set,
    s47_icpc_date_set,
)
from conferences.services.requests import (
    conference_request_icpc,
    conference_request_transfer_in,
)

__all__ = [
    "AMENDABLE_FIELDS",
    "RECORD_FIELDS",
    "EditConflict",
    "chair_unavailability_add",
    "conference_amend",
    "conference_amend_draft_discard",
    "conference_amend_draft_save",
    "conference_cancel",
    "conference_circulate",
    "conference_record_draft",
    "conference_record_outcome",
    "conference_request_icpc",
    "conference_request_transfer_in",
    "conference_schedule",
    "core_group_record",
    "invitation_add",
    "invitation_send",
    "plan_latest_categories_set",
    "report_receive",
    "report_request",
    "s47_icpc_date_set",
]
