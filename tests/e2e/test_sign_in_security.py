"""Signing in with a second factor, and the session timeout warning (SECURITY.md T5)."""

from base64 import b32decode
from urllib.parse import urlparse

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.e2e.helpers import sign_in


def code_for(secret: str) -> str:
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def test_first_sign_in_sets_up_an_authenticator_app(
    page: Page, people, settings, axe_check, screenshot
) -> None:
    settings.MFA_REQUIRED = True
    sign_in(page, people["alice"])

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    axe_check(page)
    screenshot(page, "mfa-setup")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code").fill(code_for(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    axe_check(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")


def test_timeout_warning_appears_and_stay_signed_in_works(
    page: Page, people, settings, axe_check, screenshot
) -> None:
    settings.SESSION_IDLE_SECONDS = 125  # the warning (2 minutes) is due 5 seconds in
    sign_in(page, people["alice"])
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")

    title = "You\N{RIGHT SINGLE QUOTATION MARK}re about to be signed out"
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible(timeout=15000)
    expect(dialog).to_contain_text("we will sign you out in 2 minutes")
    axe_check(page)
    screenshot(page, "timeout-warning")
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    seconds_left = page.evaluate("fetch('/accounts/session/').then((r) => r.json())")[
        "seconds_left"
    ]
    assert seconds_left > 120


def test_a_passkey_added_in_the_browser_finishes_the_next_sign_in(
    page: Page, people, settings, live_server, axe_check, screenshot
) -> None:
    """Chromium's virtual authenticator stands in for a fingerprint reader."""
    settings.MFA_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = urlparse(live_server.url).hostname
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    alice = people["alice"]
    device = TOTPDevice.objects.create(user=alice, name="Authenticator app", confirmed=True)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})

    sign_in(page, alice)
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    page.goto("/accounts/passkeys/")
    axe_check(page)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("status")).to_have_text("Registration successful!")
    page.reload()
    expect(page.get_by_role("table")).to_contain_text("Not yet")
    screenshot(page, "passkeys")

    sign_in(page, alice)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    axe_check(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
