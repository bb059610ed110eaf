"""Outcome letters and minutes as PDF (WeasyPrint).

Documents leave the service, so they carry only what the recipient needs (SECURITY.md T3,
T4): a withheld address never appears, nor does the address when the person producing the
document may not read it (``children.policies.document_address``: business support, heads
of service and the director); a restricted child's letter names nobody and carries the
conference reference only, since its recipients are outside the allow-list.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from children.policies import document_address
from conferences.models import Conference, Invitation
from people.models import User


def _child_details(conference: Conference, by: User) -> dict[str, object]:
    child = conference.child
    if child.restricted:
        return {"name": None, "date_of_birth": None, "address": None}
    return {
        "name": child.full_name,
        "date_of_birth": child.date_of_birth,
        "address": document_address(by, child),
    }


def outcome_letter_html(conference: Conference, recipient: Invitation | None, *, by: User) -> str:
    """The outcome and decisions sent to attendees within 1 WD (CP-OUTCOME)."""
    return render_to_string(
        "conferences/documents/outcome_letter.html",
        {
            "conference": conference,
            "recipient": recipient,
            "child": _child_details(conference, by),
            "today": timezone.localdate(),
        },
    )


def minutes_html(conference: Conference, *, by: User) -> str:
    """The minutes (CP-MINUTES), with attendance by agency and the decision."""
    return render_to_string(
        "conferences/documents/minutes.html",
        {
            "conference": conference,
            "child": _child_details(conference, by),
            "invitations": conference.invitations.all(),
            "today": timezone.localdate(),
        },
    )


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it is slow to load and only used for PDFs

    return HTML(string=html).write_pdf()
