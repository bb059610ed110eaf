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
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse

# (the signed-in user, the URL's keyword arguments, the posted data without the CSRF token)
# -> True if a draft was kept (False: nothing to keep for this user, e.g. not their record).
DraftKeeper = Callable[[object, Mapping[str, object], dict[str, list[str]]], bool]


@dataclass(frozen=True)
class _Keeper:
    keep: DraftKeeper
    restore_at: str
    restore_query: tuple[str, ...]


_KEEPERS: dict[str, _Keeper] = {}


def register_draft_keeper(
    url_name: str,
    keep: DraftKeeper,
    *,
    restore_at: str = "",
    restore_query: tuple[str, ...] = (),
) -> None:
    """``restore_at``: the URL name of the page that shows the draft, with the same
    keyword arguments (default: the form's own URL). ``restore_query``: posted fields that
    page needs in its query string to find the draft (the child a challenge is raised about,
    which the raise page takes as ``?child=``)."""
    _KEEPERS[url_name] = _Keeper(keep, restore_at or url_name, restore_query)


def posted_data(request: HttpRequest) -> dict[str, list[str]]:
    """The posted form as a draft keeps it: every value, without the CSRF token."""
    return {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}


def as_query(data: Mapping[str, list[str]]) -> QueryDict:
    """A kept draft as form data, to bind a form to it."""
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, list(values))
    return query


def initial_from_draft(form: forms.Form, data: Mapping[str, list[str]]) -> dict[str, Any]:
    """The values a kept draft holds, as the form's initial values: a draft is shown as
    typed, never validated (so it shows no errors when the person comes back to it)."""
    query = as_query(data)
    return {
        name: field.widget.value_from_datadict(query, {}, name)
        for name, field in form.fields.items()
        # A date input posts three boxes, not its own name; a checkbox posts nothing when
        # unticked: the widget knows whether the draft holds a value for it.
        if not field.widget.value_omitted_from_data(query, {}, name)
    }


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
    if not keeper.keep(request.user, match.kwargs, posted_data(request)):
        return ""
    url = reverse(keeper.restore_at, kwargs=match.kwargs)
    query = {name: request.POST[name] for name in keeper.restore_query if request.POST.get(name)}
    return f"{url}?{urlencode(query)}" if query else url
