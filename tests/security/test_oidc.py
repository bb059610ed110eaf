"""Single sign-on through the council's identity provider (``people.oidc``), against a
mocked provider in the way mozilla-django-oidc tests itself: its ``requests`` calls to the
token, user-info and key endpoints are replaced, and the ID token is a real RS256 token
signed with a key made here (no network)."""

import json
from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from people.models import User
from people.oidc import OIDC_BACKEND
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
PROVIDER = "https://login.council.example"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def sso(settings):
    """Single sign-on configured as the environment variables would, with MFA required."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "iro-service"
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROVIDER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{PROVIDER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{PROVIDER}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{PROVIDER}/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    settings.MFA_REQUIRED = True
    return settings


def _response(body: dict, status: int = 200) -> mock.Mock:
    response = mock.Mock(status_code=status, headers={"content-type": "application/json"})
    response.json.return_value = body
    response.raise_for_status.return_value = None
    return response


def provider(claims: dict, nonce: str) -> mock.Mock:
    """The provider's endpoints: the token for the code, then the user's claims and keys."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    id_token = jwt.encode(
        {"sub": "council-123", "nonce": nonce, "aud": "iro-service", "iss": PROVIDER},
        KEY,
        algorithm="RS256",
        headers={"kid": "council-key"},
    )
    fake = mock.Mock()
    fake.post.return_value = _response({"id_token": id_token, "access_token": "access"})
    endpoints = {
        f"{PROVIDER}/userinfo": _response(claims),
        f"{PROVIDER}/jwks": _response({"keys": [public | {"kid": "council-key", "alg": "RS256"}]}),
    }
    fake.get.side_effect = lambda url, **kwargs: endpoints[url]
    return fake


def sign_in_with_provider(client: Client, claims: dict, next_url: str = "/children/"):
    """Start at the service, 'sign in' at the provider, come back with a code."""
    start = client.get(reverse("oidc-start"), {"next": next_url})
    assert start.status_code == 302 and start["Location"].startswith(f"{PROVIDER}/authorize?")
    asked = parse_qs(urlparse(start["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["scope"] == ["openid email"]
    fake = provider(claims, nonce=asked["nonce"][0])
    with mock.patch("mozilla_django_oidc.auth.requests", fake):
        back = client.get(reverse("oidc-callback"), {"code": "code-1", "state": asked["state"][0]})
    return back, fake


def test_staff_sign_in_with_the_council_account_and_need_no_second_code(sso, people):
    client = Client()
    back, fake = sign_in_with_provider(client, {"email": "Alice@Staff.Example.org"})

    assert back.status_code == 302 and back["Location"] == "/children/"
    assert fake.post.call_args.kwargs["data"]["code"] == "code-1"
    assert "code_verifier" in fake.post.call_args.kwargs["data"]  # PKCE
    page = client.get("/children/")
    assert page.status_code == 200  # the provider's MFA counts: no redirect to our code
    assert page.wsgi_request.user == people["alice"]


def test_an_email_with_no_staff_account_signs_nobody_in_and_creates_nobody(sso, people):
    client = Client()
    before = User.objects.count()
    back, _ = sign_in_with_provider(client, {"email": "stranger@council.example"})

    assert back["Location"] == reverse("login")
    assert User.objects.count() == before
    page = client.get(reverse("login"))
    assert "could not be signed in with your council account" in page.text
    assert client.get("/children/").status_code == 302


def test_a_deactivated_account_cannot_sign_in_through_the_provider(sso, people):
    people["alice"].is_active = False
    people["alice"].save(update_fields=["is_active"])
    back, _ = sign_in_with_provider(Client(), {"email": "alice@staff.example.org"})
    assert back["Location"] == reverse("login")


def test_an_email_the_provider_has_not_verified_is_refused(sso, people):
    claims = {"email": "alice@staff.example.org", "email_verified": False}
    back, _ = sign_in_with_provider(Client(), claims)
    assert back["Location"] == reverse("login")


def test_a_password_sign_in_still_needs_the_second_code(sso, people):
    client = Client()
    client.force_login(people["alice"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/children/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa-verify"))


def test_a_new_user_account_is_never_made_even_with_a_role_claim(sso, people):
    claims = {"email": "new.manager@staff.example.org", "roles": ["IRO service manager"]}
    back, _ = sign_in_with_provider(Client(), claims)
    assert back["Location"] == reverse("login")
    assert not User.objects.filter(email__iexact=claims["email"]).exists()


def test_the_sign_in_page_offers_the_council_account_only_when_set_up(sso, people):
    assert "Sign in with your council account" in Client().get(reverse("login")).text
    sso.OIDC_ENABLED = False
    assert "Sign in with your council account" not in Client().get(reverse("login")).text
    assert Client().get(reverse("oidc-start")).status_code == 404
    assert Client().get(reverse("oidc-callback")).status_code == 404


def test_a_new_staff_member_signing_in_is_matched_not_created(sso, org):
    make_user("newstarter", None, org["team"])
    back, _ = sign_in_with_provider(Client(), {"email": "newstarter@staff.example.org"})
    assert back["Location"] == "/children/"
