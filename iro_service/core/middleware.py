"""Small request/response middleware shared by every app."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from iro_service.core.access_log import access_log_write, logged_route
from iro_service.core.drafts import draft_keep
from iro_service.core.kept import note_change


class NoStoreMiddleware:
    """Case pages must never sit in a browser or proxy cache (SECURITY.md, headers check).

    Every response to a signed-in user carries ``Cache-Control: no-store``; static files are
    served before this by WhiteNoise and keep their long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SessionLimitsMiddleware:
    """Idle (30 minutes) and absolute (12 hours) session limits, in one place (SECURITY.md T5).

    The session records when it started and when it was last used; a request past either
    limit signs the user out and goes to the sign-in page, which says why and returns them
    to where they were. ``/accounts/session/`` reports the time left without counting as
    activity, so the timeout warning can poll it.
    """

    STARTED = "session_started_at"
    LAST_SEEN = "session_last_seen_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self.expired(request)
            if expired:
                return self.sign_out(request, expired)
            if request.path != reverse("session-status"):
                self.seen(request)
        return self.get_response(request)

    @classmethod
    def seen(cls, request: HttpRequest, *, at_least_every: int = 60) -> None:
        """Record activity, at most once a minute: saving the session on every request
        would cost a database write each time, for a timer that only needs minutes."""
        now = int(time.time())
        if now - request.session.get(cls.LAST_SEEN, 0) >= at_least_every:
            request.session[cls.LAST_SEEN] = now

    def expired(self, request: HttpRequest) -> str:
        now = int(time.time())
        started = request.session.setdefault(self.STARTED, now)
        last_seen = request.session.get(self.LAST_SEEN, now)
        if now - started > settings.SESSION_ABSOLUTE_SECONDS:
            return "You have been signed out because you signed in more than 12 hours ago."
        if now - last_seen > settings.SESSION_IDLE_SECONDS:
            return "You have been signed out because you were inactive for 30 minutes."
        return ""

    def sign_out(self, request: HttpRequest, reason: str) -> HttpResponse:
        # A form posted after the session ended is kept as a draft first (drafts.py).
        kept_at = draft_keep(request)
        logout(request)
        if kept_at:
            reason += " What you were writing has been kept: it is there when you return."
        messages.info(request, f"{reason} Sign in again to carry on.")
        if request.headers.get("HX-Request") or request.path.startswith("/api/"):
            return HttpResponse(reason, status=401)
        back = kept_at or (request.get_full_path() if request.method == "GET" else "")
        query = urlencode({"next": back}) if back else ""
        return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


def session_started(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """Start both clocks at sign-in (connected to ``user_logged_in`` in CoreConfig.ready)."""
    now = int(time.time())
    request.session[SessionLimitsMiddleware.STARTED] = now
    request.session[SessionLimitsMiddleware.LAST_SEEN] = now


def session_seconds_left(request: HttpRequest) -> int:
    """Seconds until the current session ends by either limit."""
    now = int(time.time())
    started = request.session.get(SessionLimitsMiddleware.STARTED, now)
    last_seen = request.session.get(SessionLimitsMiddleware.LAST_SEEN, now)
    return max(
        0,
        min(
            started + settings.SESSION_ABSOLUTE_SECONDS - now,
            last_seen + settings.SESSION_IDLE_SECONDS - now,
        ),
    )


class AccessLogMiddleware:
    """Write the access log row for every request to a record route (see ``access_log``),
    in the same request: if the write fails, the user gets an error page, not the record.

    Requests that do not reach a view (signed out, MFA pending) are not views of a record.
    The status is recorded, so an attempt at a child one cannot see shows as a 404.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = logged_route(match.view_name if match else None)
        if route is not None and request.user.is_authenticated and match is not None:
            record_id = str(match.kwargs.get(route.id_kwarg, ""))
            access_log_write(
                request=request,
                route=route,
                url_name=match.view_name,
                record_id=record_id,
                status=response.status_code,
            )
        return response


class ChangeStampMiddleware:
    """Stamp the session after every change a signed-in user makes (a POST, PUT, PATCH or
    DELETE answered without an error), so the page parts kept for them (``kept``) are
    worked out again and show their change at once."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        changed = request.method not in self.SAFE_METHODS and response.status_code < 400
        if changed and request.user.is_authenticated and hasattr(request, "session"):
            note_change(request)
        return response
