"""Sign-in steps after the password: the second factor, and the session timer."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from iro_service.core.middleware import SessionLimitsMiddleware, session_seconds_left
from people.mfa import (
    mfa_enrolled,
    passkey_remove,
    passkeys_of,
    totp_confirm,
    totp_pending_device,
    totp_qr_svg,
    totp_secret,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if allowed else "/"


def mfa_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator app, or a recovery code."""
    if not mfa_enrolled(request.user):
        return redirect(f"{reverse('mfa-setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    form.fields[
        "code"
    ].help_text = "The 6-digit code from your authenticator app, or a recovery code."
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "The code is not right. Check your app and try again.")
    context = {
        "form": form,
        "next": _next_url(request),
        "has_passkey": bool(passkeys_of(request.user)),
    }
    return render(request, "people/mfa_verify.html", context)


def mfa_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up an authenticator app, then show the recovery codes once."""
    if mfa_enrolled(request.user):
        return redirect("mfa-verify")
    device = totp_pending_device(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your app shows for IRO Service."
    if request.method == "POST" and form.is_valid():
        codes = totp_confirm(user=request.user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            context = {"codes": codes, "next": _next_url(request)}
            return render(request, "people/mfa_recovery_codes.html", context)
        form.add_error("code", "The code is not right. Check the time on your phone and try again.")
    context = {
        "form": form,
        "qr_svg": totp_qr_svg(device),
        "secret": totp_secret(device),
        "next": _next_url(request),
    }
    return render(request, "people/mfa_setup.html", context)


def passkeys(request: HttpRequest) -> HttpResponse:
    """The user's passkeys, and adding one (the browser's WebAuthn, so it needs JavaScript);
    a second factor beside the authenticator app, asked for on the security code page."""
    return render(request, "people/passkeys.html", {"passkeys": passkeys_of(request.user)})


@require_POST
def passkey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not passkey_remove(user=request.user, pk=pk):
        raise Http404("No such passkey")
    messages.success(request, "Passkey removed")
    return redirect("passkeys")


def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds left in the session, for the timeout warning; does not count as activity."""
    return JsonResponse({"seconds_left": session_seconds_left(request)})


@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """'Stay signed in': renews the idle timer from now."""
    SessionLimitsMiddleware.seen(request, at_least_every=0)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"seconds_left": session_seconds_left(request)})
    messages.success(request, "You are still signed in.")
    return redirect(_next_url(request))
