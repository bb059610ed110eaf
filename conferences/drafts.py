"""The conference record form, kept as the chair's draft when a save arrives after the
session ended (``iro_service.core.drafts``): the chair signs in again and finds the record
as they left it, since the draft is the record itself (``conference_record_draft``)."""

from collections.abc import Mapping

from django.http import Http404

from conferences import policies, selectors, services
from conferences.forms import RecordForm
from conferences.models import Conference
from iro_service.core.drafts import as_query
from iro_service.core.errors import ApplicationError


def keep_record_draft(
    user: object, kwargs: Mapping[str, object], data: dict[str, list[str]]
) -> bool:
    """Nothing is kept for someone who may not record this conference, nor once it is
    held; a choice that is not on the form (tampered with) keeps nothing."""
    try:
        conference = selectors.conference_get_for_user(user=user, pk=int(str(kwargs["pk"])))
    except Http404:
        return False
    if not policies.can_record(user, conference):
        return False
    if conference.status != Conference.Status.SCHEDULED:
        return False
    form = RecordForm(as_query(data), conference=conference)
    if not form.is_valid():
        return False
    try:
        services.conference_record_draft(
            conference=conference, by=user, attendance=form.attendance(), **form.record_fields()
        )
    except ApplicationError:
        return False
    return True
