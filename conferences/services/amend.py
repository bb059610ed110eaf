"""Amending a held conference's record (issue 5, "the same amend rule as reviews"), and the
amend form's draft, kept as the person types so an interrupted amendment is not lost."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from children.services import event_record
from conferences import policies
from conferences.models import AmendmentDraft, Conference, ConferenceAmendment
from conferences.services._common import check_version
from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.rich_text import plain_text
from people.models import User

# What an amendment may change: the narrative of the record. The decision, categories and
# end reason started, continued or ended a plan; they are not rewritten after the event.
AMENDABLE_FIELDS = (
    "child_participation",
    "child_views",
    "parents_participation",
    "parents_views",
    "not_quorate_reason",
    "outline_plan",
    "core_group_members",
    "minutes",
)
# What an amend draft keeps of the posted form: its fields, not its buttons.
AMEND_FORM_FIELDS = (*AMENDABLE_FIELDS, "reason", "version")
MAY_NOT_AMEND = "Only the chair or the IRO service manager can amend this record."


def _snapshot(conference: Conference) -> dict[str, Any]:
    return {name: getattr(conference, name) for name in AMENDABLE_FIELDS}


@transaction.atomic
def conference_amend(
    *,
    conference: Conference,
    values: Mapping[str, Any],
    reason: str,
    version: int | None,
    by: User,
) -> ConferenceAmendment:
    """Change a held conference's record (issue 5, "the same amend rule as reviews"): the
    record as it was is kept with the reason, and the change is on the child's timeline.
    Only the narrative changes (``AMENDABLE_FIELDS``); a ``version`` older than the
    record's is refused, so two people amending at once cannot overwrite each other (T8).
    The person's amend draft, now sent, is discarded."""
    conference = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=conference.pk)
    )
    if not policies.can_amend(by, conference):
        if conference.status != Conference.Status.HELD:
            raise RuleViolation("Only a held conference's record can be amended.")
        raise NotPermitted(MAY_NOT_AMEND)
    check_version(conference, version)
    if not reason.strip():
        raise RuleViolation("Say why the record is being amended.", field="reason")
    original = _snapshot(conference)
    changed = [
        name
        for name in AMENDABLE_FIELDS
        if name in values and (values[name] or "") != original[name]
    ]
    if not changed:
        raise RuleViolation("Change something in the record, or go back without amending.")
    amendment = ConferenceAmendment.objects.create(
        conference=conference, reason=reason.strip(), original=original, by=by
    )
    for name in changed:
        value = values[name] or ""
        setattr(conference, name, plain_text(value) if name == "minutes" else value)
    conference.version += 1
    conference.save(update_fields=[*changed, "version"])
    AmendmentDraft.objects.filter(conference=conference, author=by).delete()
    event_record(
        child=conference.child,
        on=timezone.localdate(),
        kind="conference",
        summary=f"{conference.get_conference_type_display()} record amended",
        by=by,
    )
    return amendment


def conference_amend_draft_save(
    *, conference: Conference, data: Mapping[str, list[str]], by: User
) -> AmendmentDraft:
    """Keep what the person has typed into the amend form, as typed (no checks, no reason
    needed): an interrupted amendment is never lost. The draft is theirs alone, and records
    the version of the record they were amending (the form's ``version``, else the
    record's), so it cannot later overwrite someone else's amendment (T8)."""
    if not policies.can_amend(by, conference):
        raise NotPermitted(MAY_NOT_AMEND)
    version = (data.get("version") or [""])[0]
    draft, _ = AmendmentDraft.objects.update_or_create(
        conference=conference,
        author=by,
        defaults={
            "data": {name: list(data[name]) for name in AMEND_FORM_FIELDS if name in data},
            "based_on_version": int(version) if version.isdigit() else conference.version,
        },
    )
    return draft


def conference_amend_draft_discard(*, conference: Conference, by: User) -> None:
    """The person chose to start again from the record as it is: their draft goes."""
    AmendmentDraft.objects.filter(conference=conference, author=by).delete()
