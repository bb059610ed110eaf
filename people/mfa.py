"""Second-factor enrolment and checks with django-otp: an authenticator app (TOTP) and ten
single-use recovery codes, and passkeys (WebAuthn, django-otp-webauthn) added beside them."""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from people.models import User

RECOVERY_CODES = 10


def mfa_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passkeys_of(user: User) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"))


def passkey_remove(*, user: User, pk: int) -> bool:
    """Remove one of the user's own passkeys; False if they have none with that id."""
    removed, _ = WebAuthnCredential.objects.filter(user=user, pk=pk).delete()
    return bool(removed)


def totp_pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (one per user until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no script, no external image)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code")


def totp_secret(device: TOTPDevice) -> str:
    """The key for typing into an app by hand, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with a code from it; returns new recovery codes, or None if the code
    is wrong. Earlier recovery codes stop working."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes
