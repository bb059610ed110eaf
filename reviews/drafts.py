"""The review record form's draft, kept when a save arrives after the session ended
(``iro_service.core.drafts``): the IRO signs in again and finds their text in the form."""

from collections.abc import Mapping

from django.http import Http404

from iro_service.core.errors import ApplicationError
from reviews import services
from reviews.selectors import review_get_for_user


def keep_record_draft(
    user: object, kwargs: Mapping[str, object], data: dict[str, list[str]]
) -> bool:
    try:
        review = review_get_for_user(user=user, pk=int(str(kwargs["pk"])))
        version = (data.get("version") or [""])[0]
        services.review_draft_save(
            review=review, data=data, version=int(version) if version.isdigit() else None, by=user
        )
    except (Http404, ApplicationError):
        return False
    return True
