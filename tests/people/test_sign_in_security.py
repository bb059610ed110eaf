"""Sign-in and sessions (SECURITY.md T5): lockout, MFA, idle and absolute expiry, sign-out."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
START = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def sign_in(client: Client, email: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_five_wrong_passwords_lock_that_account_from_that_address_only(people):
    alice = people["alice"]
    for _ in range(4):
        assert sign_in(Client(), alice.email, "wrong password").status_code == 200
    assert sign_in(Client(), alice.email, "wrong password").status_code == 429
    locked = sign_in(Client(), alice.email)
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.text
    # Nobody can lock a colleague out from elsewhere: another address still signs in.
    assert sign_in(Client(), alice.email, ip="10.0.0.2").status_code == 302


def test_lockout_lifts_after_the_cool_off(people):
    alice = people["alice"]
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            sign_in(Client(), alice.email, "wrong password")
        assert sign_in(Client(), alice.email).status_code == 429
        clock.shift(timedelta(minutes=16))
        assert sign_in(Client(), alice.email).status_code == 302


def test_mfa_is_set_up_on_first_sign_in_and_required_after(settings, people):
    settings.MFA_REQUIRED = True
    with time_machine.travel(START, tick=False) as clock:
        alice, client = people["alice"], Client()
        sign_in(client, alice.email)
        response = client.get(reverse("children:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa-verify"))
        setup = client.get(reverse("mfa-setup"))
        assert "Set up two-factor sign-in" in setup.text
        assert "<svg" in setup.text
        device = TOTPDevice.objects.get(user=alice)
        assert client.post(reverse("mfa-setup"), {"code": "000000"}).status_code == 200
        clock.shift(timedelta(seconds=5))  # django-otp throttles a device after a wrong code
        codes_page = client.post(reverse("mfa-setup"), {"code": current_code(device)})
        assert "Your recovery codes" in codes_page.text
        assert client.get(reverse("children:list")).status_code == 200

        second = Client()
        sign_in(second, alice.email)
        assert second.get(reverse("children:list")).status_code == 302
        assert second.get(reverse("mfa-setup")).status_code == 302  # enrolled: verify instead
        wrong = second.post(reverse("mfa-verify"), {"code": "123456"})
        assert "The code is not right" in wrong.text
        clock.shift(timedelta(seconds=5))
        recovery = codes_page.context["codes"][0]
        assert second.post(reverse("mfa-verify"), {"code": recovery}).status_code == 302
        assert second.get(reverse("children:list")).status_code == 200

        third = Client()
        sign_in(third, alice.email)
        reused = third.post(reverse("mfa-verify"), {"code": recovery})
        assert "The code is not right" in reused.text  # a recovery code works once


def test_api_refuses_a_session_without_the_second_factor(settings, people):
    settings.MFA_REQUIRED = True
    client = Client()
    sign_in(client, people["alice"].email)
    response = client.get(reverse("child-list"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Finish signing in with your second factor."


def test_production_always_requires_mfa():
    import subprocess
    import sys

    env = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "s" * 60,
        "DJANGO_ALLOWED_HOSTS": "x",
        "IRO_MFA_REQUIRED": "0",
        "IRO_DEMO_MODE": "1",
        "PATH": "/usr/bin:/bin",
    }
    code = "from django.conf import settings; print(settings.MFA_REQUIRED, settings.DEMO_MODE)"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "True False"


def test_idle_session_ends_after_30_minutes(people):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, people["alice"].email)
        assert client.get(reverse("children:list")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("children:list")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("session-status")).json()["seconds_left"] == 60
        clock.shift(timedelta(minutes=2))  # the status check did not count as activity
        response = client.get(reverse("children:list"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next=%2Fchildren%2F"
    assert "inactive for 30 minutes" in response.text


def test_session_ends_12_hours_after_sign_in_however_active(people):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, people["alice"].email)
        for _ in range(36):
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=20))  # 12 hours 20 minutes after signing in
        response = client.get(reverse("home"), follow=True)
    assert "signed in more than 12 hours ago" in response.text


def test_stay_signed_in_renews_the_idle_timer(people):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, people["alice"].email)
        clock.shift(timedelta(minutes=29))
        renewed = client.post(reverse("session-keep-alive"), HTTP_ACCEPT="application/json")
        assert renewed.json()["seconds_left"] == 30 * 60
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200


def test_signing_out_deactivation_and_password_change_end_sessions(people, org):
    ChildFactory(team=org["team"])
    alice, bob, sarah = people["alice"], people["bob"], people["sarah"]
    clients = {}
    for user in (alice, bob, sarah):
        clients[user.pk] = Client()
        sign_in(clients[user.pk], user.email)
        assert clients[user.pk].get(reverse("child-list")).status_code == 200
    stolen_cookie = clients[alice.pk].cookies["sessionid"].value
    clients[alice.pk].post(reverse("logout"))
    replay = Client()
    replay.cookies["sessionid"] = stolen_cookie
    assert replay.get(reverse("children:list")).status_code == 302

    bob.is_active = False
    bob.save()
    assert clients[bob.pk].get(reverse("children:list")).status_code == 302

    sarah.set_password("a completely new passphrase")
    sarah.save()
    assert clients[sarah.pk].get(reverse("children:list")).status_code == 302


def test_activity_is_recorded_at_most_once_a_minute(people):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, people["alice"].email)
        clock.shift(timedelta(seconds=30))
        client.get(reverse("home"))
        assert client.get(reverse("session-status")).json()["seconds_left"] == 30 * 60 - 30
        clock.shift(timedelta(seconds=40))
        client.get(reverse("home"))
        assert client.get(reverse("session-status")).json()["seconds_left"] == 30 * 60
