"""The raise and response forms, kept as the person's draft when they are sent after the
session ended (``iro_service.core.drafts``): they sign in again and find their text in the
form. Nothing is kept for anyone who could not have sent the form."""

from collections.abc import Mapping

from django.http import Http404

from challenges import services
from challenges.selectors import challenge_get_for_user
from children.selectors import child_get_for_user
from iro_service.core.errors import ApplicationError


def _pk(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() else None


def keep_raise_draft(
    user: object, kwargs: Mapping[str, object], data: dict[str, list[str]]
) -> bool:
    """The raise form names its child in a hidden field."""
    child_pk = _pk((data.get("child") or [""])[0])
    if child_pk is None:
        return False
    try:
        child = child_get_for_user(user=user, pk=child_pk)
        services.challenge_draft_save(data=data, child=child, by=user)
    except (Http404, ApplicationError):
        return False
    return True


def keep_response_draft(
    user: object, kwargs: Mapping[str, object], data: dict[str, list[str]]
) -> bool:
    try:
        challenge = challenge_get_for_user(user=user, pk=int(str(kwargs["pk"])))
        services.challenge_draft_save(data=data, challenge=challenge, by=user)
    except (Http404, ApplicationError):
        return False
    return True
