"""Single sign-on through the council's identity provider (OpenID Connect, with
mozilla-django-oidc), configured by environment variables and off unless they are set
(``settings.OIDC_ENABLED``; docs/sign-in.md).

Staff sign in with their council account and are matched by email to an existing, active
IRO Service account: nobody is created by signing in, so nobody gets a role that way (roles
are given in the service). The provider enforces its own MFA, so a session signed in this
way counts as verified for ``MfaRequiredMiddleware`` (issue 10 "Sign-in").
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from people.models import User

OIDC_BACKEND = "people.oidc.CouncilOIDCBackend"


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """The provider's account is the active staff account with the same email address."""

    def verify_claims(self, claims: dict) -> bool:
        """An email the provider has not verified is no proof of who this is."""
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict) -> QuerySet[User]:
        return User.objects.filter(email__iexact=claims["email"].strip(), is_active=True)


def signed_in_by_provider(request: HttpRequest) -> bool:
    """Whether this session was signed in through the council's identity provider, whose
    MFA stands in for ours."""
    return request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND


class _Callback(OIDCAuthenticationCallbackView):
    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            f"You could not be signed in with {settings.OIDC_PROVIDER_LABEL}. It must use the "
            "same email address as an active IRO Service account: ask the IRO service "
            "manager to check yours, or sign in with your email address and password.",
        )
        return redirect("login")


def _require_enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404("Single sign-on is not set up")


@login_not_required
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider (state, nonce and PKCE kept in the session)."""
    _require_enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


@login_not_required
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code to exchange for the tokens."""
    _require_enabled()
    return _Callback.as_view()(request)
