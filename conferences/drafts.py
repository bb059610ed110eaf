"""The drafts of the conference's two long forms (ARCHITECTURE.md: "no one loses a record
they were writing"): the chair's record, whose draft is the record itself
(``conference_record_draft``), and the amend form of a held record, whose draft is the
person's own ``AmendmentDraft``.

A form's draft is kept the same way whichever way it arrives: by htmx as the person types,
by the form's "Save draft" button without JavaScript, and, when a save arrives after the
session ended, by ``iro_service.core.drafts`` (``keeper``), so that the person signs in
again and finds their text in the form.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from conferences import policies, selectors, services
from conferences.forms import RecordForm
from conferences.models import Conference
from conferences.services.amend import MAY_NOT_AMEND
from iro_service.core.drafts import DraftKeeper, as_query
from iro_service.core.errors import ApplicationError, NotPermitted
from people.models import User

PostedData = Mapping[str, list[str]]


@dataclass(frozen=True)
class DraftForm:
    """One form's draft: who may write it (``refusal`` says why not), and how a posted form
    is kept (``save`` answers when it was kept, or None if nothing was). ``discardable``:
    the form offers "Discard draft" once there is a draft, whichever way it was saved (the
    htmx answer then brings the button too, so it appears without a reload)."""

    may_write: Callable[[User, Conference], bool]
    refusal: str
    save: Callable[[Conference, User, PostedData], datetime | None]
    discardable: bool = False

    def conference(self, *, user: User, pk: int) -> Conference:
        """The conference whose form this is: Http404 if the user cannot see it,
        NotPermitted if they may not write this form."""
        conference = selectors.conference_get_for_user(user=user, pk=pk)
        if not self.may_write(user, conference):
            raise NotPermitted(self.refusal)
        return conference

    def keep(self, *, conference: Conference, user: User, data: PostedData) -> datetime | None:
        """Keep the posted form as the user's draft; a service's refusal (the conference
        was held or amended meanwhile) keeps nothing."""
        try:
            return self.save(conference, user, data)
        except ApplicationError:
            return None

    def keeper(self) -> DraftKeeper:
        """The session-end keeper of this form (``register_draft_keeper``): nothing is kept
        for someone who could not have saved the draft signed in."""

        def keep(user: object, kwargs: Mapping[str, object], data: dict[str, list[str]]) -> bool:
            try:
                conference = self.conference(user=user, pk=int(str(kwargs["pk"])))
            except (Http404, NotPermitted):
                return False
            return self.keep(conference=conference, user=user, data=data) is not None

        return keep


def _save_record(conference: Conference, user: User, data: PostedData) -> datetime | None:
    """Nothing is kept once the conference is held, nor from a form whose choices are not
    on it (tampered with)."""
    if conference.status != Conference.Status.SCHEDULED:
        return None
    form = RecordForm(as_query(data), conference=conference)
    if not form.is_valid():
        return None
    conference = services.conference_record_draft(
        conference=conference, by=user, attendance=form.attendance(), **form.record_fields()
    )
    return conference.draft_saved_at


def _save_amendment(conference: Conference, user: User, data: PostedData) -> datetime | None:
    """Kept as typed. A "Discard draft" that arrives after the session ended discards
    nothing and keeps nothing: the person finds their draft and chooses again."""
    if "discard" in data:
        return None
    draft = services.conference_amend_draft_save(conference=conference, data=data, by=user)
    return draft.saved_at


RECORD = DraftForm(
    may_write=policies.can_record,
    refusal="Only the chair of this conference can record it.",
    save=_save_record,
)
AMENDMENT = DraftForm(
    may_write=policies.can_amend,
    refusal=MAY_NOT_AMEND,
    save=_save_amendment,
    discardable=True,
)
