"""Keeping a form being written when the session ends (SECURITY.md T5 with ARCHITECTURE.md
"no one loses a record they were writing").

An app registers, for the URL name of a long form, a function that keeps the posted data as
that person's draft (``register_draft_keeper`` in its AppConfig.ready). When a POST to that
form arrives after the session has expired, ``SessionLimitsMiddleware`` calls it before
signing the person out, then sends them to sign in with the form's page as the place to
return to; the form restores the draft when they get there.

Only a POST whose CSRF token is good is kept: an expired session is no reason to let another
site write into someone's draft.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse

# (the signed-in user, the URL's keyword arguments, the posted data without the CSRF token)
# -> True if a draft was kept (False: nothing to keep for this user, e.g. not their record).
DraftKeeper = Callable[[object, Mapping[str, object], dict[str, list[str]]], bool]


@dataclass(frozen=True)
class _Keeper:
    keep: DraftKeeper
    restore_at: str


_KEEPERS: dict[str, _Keeper] = {}


def register_draft_keeper(url_name: str, keep: DraftKeeper, *, restore_at: str = "") -> None:
    """``restore_at``: the URL name of the page that shows the draft, with the same
    keyword arguments (default: the form's own URL)."""
    _KEEPERS[url_name] = _Keeper(keep, restore_at or url_name)


def _csrf_ok(request: HttpRequest) -> bool:
    def never_called(request: HttpRequest) -> HttpResponse:  # pragma: no cover
        raise AssertionError

    return CsrfViewMiddleware(never_called).process_view(request, None, (), {}) is None


def draft_keep(request: HttpRequest) -> str:
    """Keep the posted form as a draft if its route has a keeper; the URL to return to after
    signing in again, or "" if nothing was kept."""
    if request.method != "POST":
        return ""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    keeper = _KEEPERS.get(match.view_name)
    if keeper is None or not _csrf_ok(request):
        return ""
    data = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
    if not keeper.keep(request.user, match.kwargs, data):
        return ""
    return reverse(keeper.restore_at, kwargs=match.kwargs)
