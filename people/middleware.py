"""MFA for everyone (SECURITY.md T5): a signed-in user who has not yet proved a second
factor in this session can only reach the MFA pages and sign out. A session signed in
through the council's identity provider has proved its factor there (``people.oidc``)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from people.oidc import signed_in_by_provider

ALLOWED_BEFORE_MFA = (
    "mfa-verify",
    "mfa-setup",
    "logout",
    "session-status",
    "session-keep-alive",
    # Proving a passkey (the verify page); adding one needs a verified session.
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
)


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (settings.MFA_REQUIRED and user.is_authenticated) or user.is_verified():
            return self.get_response(request)
        if signed_in_by_provider(request):
            return self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        allowed = {reverse(name) for name in ALLOWED_BEFORE_MFA}
        if request.path in allowed:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Finish signing in with your second factor."}, status=403
            )
        return redirect(f"{reverse('mfa-verify')}?{urlencode({'next': request.get_full_path()})}")
