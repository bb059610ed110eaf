"""Security headers on every page (SECURITY.md headers check)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    ["home", "children:list", "timescales:rules", "child-list", "api-schema", "mfa-verify"],
)
def test_signed_in_pages_carry_the_security_headers_and_are_never_cached(people, url_name):
    client = Client()
    client.force_login(people["alice"])
    response = client.get(reverse(url_name))
    assert response.status_code in (200, 302)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    if response["Content-Type"].startswith("text/html") and response.status_code == 200:
        assert "script-src 'self' 'nonce-" in csp  # the page's one inline script
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_child_page_is_never_cached(child, people):
    client = Client()
    client.force_login(people["alice"])
    response = client.get(reverse("children:detail", args=[child.pk]))
    assert "no-store" in response["Cache-Control"]


def test_sign_in_page_has_the_csp_too():
    response = Client().get(reverse("login"))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
