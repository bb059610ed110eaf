"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor beside the authenticator app
(issue 10 "Sign-in"). The browser's part is played by a software authenticator made here: a
P-256 key that answers the service's real registration and sign-in challenges, so the
library's own checks (challenge, origin, relying party, signature, counter) all run."""

import json
import os
from base64 import urlsafe_b64encode
from hashlib import sha256

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

pytestmark = pytest.mark.django_db
ORIGIN, RP_ID = "http://testserver", "testserver"
USER_PRESENT_AND_VERIFIED, ATTESTED = 0x01 | 0x04, 0x40


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftAuthenticator:
    """A platform authenticator holding one key, as a browser would drive it."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": ORIGIN}).encode()

    def _authenticator_data(self, flags: int, attested: bytes = b"") -> bytes:
        count = self.sign_count.to_bytes(4, "big")
        return sha256(RP_ID.encode()).digest() + bytes([flags]) + count + attested

    def create(self, options: dict) -> dict:
        assert options["rp"] == {"id": RP_ID, "name": "IRO Service"}
        numbers = self.key.public_key().public_numbers()
        cose = {
            1: 2,
            3: -7,
            -1: 1,
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        data = self._authenticator_data(
            USER_PRESENT_AND_VERIFIED | ATTESTED, attested + cbor2.dumps(cose)
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": data})
        return self._credential(
            {
                "clientDataJSON": b64url(
                    self._client_data("webauthn.create", options["challenge"])
                ),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            }
        )

    def get(self, options: dict) -> dict:
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"])
        data = self._authenticator_data(USER_PRESENT_AND_VERIFIED)
        signature = self.key.sign(data + sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return self._credential(
            {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(data),
                "signature": b64url(signature),
            }
        )

    def _credential(self, response: dict) -> dict:
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }


@pytest.fixture
def mfa(settings):
    settings.MFA_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]
    return settings


def post_json(client: Client, name: str, body: dict | None = None):
    return client.post(reverse(name), json.dumps(body or {}), content_type="application/json")


def signed_in_with_password(user) -> Client:
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    return client


def verified_with_app(user) -> Client:
    """Signed in with the password and a code from the authenticator app."""
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    client = signed_in_with_password(user)
    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("mfa-verify"), {"code": code}).status_code == 302
    return client


def add_passkey(client: Client, authenticator: SoftAuthenticator):
    options = post_json(client, "otp_webauthn:credential-registration-begin").json()
    return post_json(
        client, "otp_webauthn:credential-registration-complete", authenticator.create(options)
    )


def test_a_passkey_added_after_the_app_code_finishes_a_later_sign_in(mfa, people):
    alice, authenticator = people["alice"], SoftAuthenticator()
    client = verified_with_app(alice)
    assert client.get(reverse("passkeys")).status_code == 200
    assert add_passkey(client, authenticator).status_code == 200
    assert "You have no passkeys" not in client.get(reverse("passkeys")).text

    later = signed_in_with_password(alice)
    assert later.get("/children/")["Location"].startswith(reverse("mfa-verify"))
    page = later.get(reverse("mfa-verify"))
    assert "Use a passkey" in page.text
    options = post_json(later, "otp_webauthn:credential-authentication-begin").json()
    assert options["allowCredentials"][0]["id"] == b64url(authenticator.credential_id)
    done = post_json(
        later, "otp_webauthn:credential-authentication-complete", authenticator.get(options)
    )
    assert done.status_code == 200
    assert later.get("/children/").status_code == 200
    assert WebAuthnCredential.objects.get(user=alice).sign_count == 1


def test_a_session_that_has_not_given_its_code_cannot_add_a_passkey(mfa, people):
    """Else a stolen password would be enough to add an attacker's passkey."""
    alice = people["alice"]
    TOTPDevice.objects.create(user=alice, name="App", confirmed=True)
    client = signed_in_with_password(alice)
    refused = post_json(client, "otp_webauthn:credential-registration-begin")
    assert refused.status_code in (302, 403)
    assert not WebAuthnCredential.objects.exists()


def test_someone_elses_passkey_does_not_finish_your_sign_in(mfa, people):
    bob_key = SoftAuthenticator()
    add_passkey(verified_with_app(people["bob"]), bob_key)

    alice = people["alice"]
    TOTPDevice.objects.create(user=alice, name="App", confirmed=True)
    client = signed_in_with_password(alice)
    options = post_json(client, "otp_webauthn:credential-authentication-begin").json()
    refused = post_json(
        client, "otp_webauthn:credential-authentication-complete", bob_key.get(options)
    )
    assert refused.status_code == 403
    assert client.get("/children/")["Location"].startswith(reverse("mfa-verify"))


def test_a_replayed_or_forged_answer_is_refused(mfa, people):
    alice, authenticator = people["alice"], SoftAuthenticator()
    add_passkey(verified_with_app(alice), authenticator)
    client = signed_in_with_password(alice)
    options = post_json(client, "otp_webauthn:credential-authentication-begin").json()
    forged = authenticator.get(options | {"challenge": b64url(b"not the challenge")})
    assert (
        post_json(client, "otp_webauthn:credential-authentication-complete", forged).status_code
        >= 400
    )
    replay = authenticator.get(options)  # the challenge was used up by the refused attempt
    assert (
        post_json(client, "otp_webauthn:credential-authentication-complete", replay).status_code
        >= 400
    )
    assert client.get("/children/")["Location"].startswith(reverse("mfa-verify"))


def test_passkeys_are_never_a_way_in_without_the_password(mfa, people):
    response = post_json(Client(), "otp_webauthn:credential-authentication-begin")
    assert response.status_code in (302, 403)


def test_people_remove_only_their_own_passkeys(mfa, people):
    alice_client = verified_with_app(people["alice"])
    add_passkey(alice_client, SoftAuthenticator())
    passkey = WebAuthnCredential.objects.get()
    bob_client = verified_with_app(people["bob"])
    url = reverse("passkey-remove", args=[passkey.pk])
    assert bob_client.post(url).status_code == 404
    assert alice_client.post(url).status_code == 302
    assert not WebAuthnCredential.objects.exists()
