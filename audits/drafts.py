"""The audit form, kept as the auditor's draft when a save arrives after the session ended
(``iro_service.core.drafts``): the answers, comments and overall comment are saved to the
draft audit itself (``audit_save_draft``), which the form shows after signing in again. A
"Complete" posted after the session ended is kept as a draft, not completed: completing is
done signed in."""

from collections.abc import Mapping

from django.http import Http404

from audits import policies, selectors, services
from audits.forms import AuditForm
from iro_service.core.drafts import as_query
from iro_service.core.errors import ApplicationError


def keep_audit_draft(
    user: object, kwargs: Mapping[str, object], data: dict[str, list[str]]
) -> bool:
    """Nothing is kept for anyone but the auditor of a draft audit, nor from a form whose
    choices are not on it (tampered with)."""
    try:
        audit = selectors.audit_get_for_user(user=user, pk=int(str(kwargs["pk"])))
    except Http404:
        return False
    if not policies.can_edit(user, audit):
        return False
    form = AuditForm(as_query(data), answers=selectors.audit_answers(audit))
    if not form.is_valid():
        return False
    try:
        services.audit_save_draft(
            audit=audit,
            answers=form.answer_inputs(),
            summary=form.cleaned_data["summary"],
            by=user,
        )
    except ApplicationError:
        return False
    return True
