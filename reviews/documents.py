"""Printable documents (WeasyPrint): an invitation letter per invitee and the decisions for
circulation. A child whose address is withheld never has it printed (SECURITY.md T4), nor
is it printed for someone who may not read it (``children.policies.document_address``), and
letters carry no placement details."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from children.policies import document_address
from people.models import User
from reviews.models import Invitation, Review


def _context(review: Review, by: User) -> dict[str, object]:
    return {
        "review": review,
        "child": review.child,
        "council": settings.COUNCIL_NAME or settings.SERVICE_NAME,
        "today": timezone.localdate(),
        "address": document_address(by, review.child),
    }


def invitation_letter_html(invitation: Invitation, *, by: User) -> str:
    context = _context(invitation.review, by) | {"invitation": invitation}
    return render_to_string("reviews/documents/invitation_letter.html", context)


def decisions_html(review: Review, *, by: User) -> str:
    context = _context(review, by) | {"decisions": review.decisions.select_related("owner")}
    return render_to_string("reviews/documents/decisions.html", context)


def to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint parses its stylesheets on import, which pages need not wait for.
    from weasyprint import HTML

    # No base_url: the documents use no external resources, so nothing is fetched.
    return HTML(string=html).write_pdf()
