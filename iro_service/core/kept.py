"""Page parts kept for a short while (issue 11): the dashboards' figures are worked out once
and served from the cache until they are ``seconds`` old, instead of on every request.

The cache is Django's local-memory cache (``settings.CACHES``): each web process keeps its
own copy, so case data never leaves the process that read it from the database. An entry
belongs to one user (its key holds the user's id and nothing readable), and three things
make a new one at once:

- the user changes something: any successful POST, PUT, PATCH or DELETE they make stamps
  their session (``ChangeStampMiddleware``), and the stamp is part of every key, in every
  process;
- the user asks for the figures again (``?fresh=1``, the "Update now" link), which stamps
  the session the same way;
- the day changes, or anything else the caller names in ``vary`` (the sort order).

Changes made by other people show when the entry expires; each page says when its figures
were worked out and for how long they are kept.
"""

import hashlib
import secrets
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.http import HttpRequest

CHANGE_STAMP = "data_change_stamp"
FRESH_PARAMETER = "fresh"


def note_change(request: HttpRequest) -> None:
    """Stamp the session with a new random value: every part kept for this user is worked
    out again."""
    request.session[CHANGE_STAMP] = secrets.token_hex(8)


def kept(
    request: HttpRequest,
    name: str,
    vary: tuple[Hashable, ...],
    seconds: int,
    build: Callable[[], str],
) -> str:
    """The part called ``name`` for this user, from the cache when it was built less than
    ``seconds`` ago for the same ``vary`` and session stamp, else ``build()`` (and kept)."""
    if request.GET.get(FRESH_PARAMETER):
        note_change(request)
    parts = (request.user.pk, request.session.get(CHANGE_STAMP, 0), *vary)
    key = f"kept:{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    return cache.get_or_set(key, build, seconds)
