"""AU-01..AU-04, SE-01..SE-03, PDP-06: signing in, second factor, throttling, sessions."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.models import User
from simpul.audit.models import AuditEvent
from tests.conftest import current_code, sign_in

PASSWORD = "simpul-demo-2026"


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2id(world):
    user = User.objects.get(username="pekerja.sambas")
    assert user.password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_an_old_pbkdf2_hash_is_upgraded_at_sign_in(world):
    user = User.objects.get(username="gt.kalbar")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    sign_in(Client(), "gt.kalbar")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_password_rules_refuse_common_and_short_but_allow_long_passphrases():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password1234")
    with pytest.raises(ValidationError):
        validate_password("short")
    validate_password("kopi tubruk di pinggir sungai kapuas " * 2)  # 74 characters


@pytest.mark.django_db
def test_a_role_that_reveals_identities_must_pass_a_second_factor(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "pekerja.sambas", "password": PASSWORD})
    assert response["Location"].startswith("/accounts/otp/")
    # With only the password, protected pages send the user back to the code page.
    blocked = client.get("/persons/")
    assert blocked.status_code == 302 and blocked["Location"] == "/accounts/otp/"
    wrong = client.post("/accounts/otp/", {"token": "000000"})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_failed").count() == 1


@pytest.mark.django_db
def test_a_used_totp_code_is_refused_the_second_time(world):
    user = User.objects.get(username="pekerja.sambas")
    code = current_code(user)
    first = Client()
    first.post("/accounts/login/", {"username": "pekerja.sambas", "password": PASSWORD})
    assert first.post("/accounts/otp/", {"token": code}).status_code == 302
    second = Client()
    second.post("/accounts/login/", {"username": "pekerja.sambas", "password": PASSWORD})
    replay = second.post("/accounts/otp/", {"token": code})
    assert replay.status_code == 200
    with translation.override("id"):
        expected = gettext("That code is wrong or was already used. Wait for the next code.")
    assert expected in replay.content.decode()


@pytest.mark.django_db
def test_a_new_user_sets_up_totp_before_anything_else(world):
    user = User.objects.get(username="supervisor.sambas")
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/otp/setup/")
    page = client.get("/accounts/otp/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/accounts/otp/setup/", {"token": current_code_of(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True


def current_code_of(device: TOTPDevice) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


@pytest.mark.django_db
def test_the_confidentiality_agreement_is_required_once(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "gt.kalbar", "password": PASSWORD})
    assert response["Location"].startswith("/accounts/agreement/")
    assert client.get("/").status_code == 302
    refused = client.post("/accounts/agreement/", {})
    assert refused.status_code == 200
    assert User.objects.get(username="gt.kalbar").confidentiality_accepted_at is None
    client.post("/accounts/agreement/", {"accept": "on"})
    assert client.get("/").status_code == 200
    second = Client()
    again = second.post("/accounts/login/", {"username": "gt.kalbar", "password": PASSWORD})
    assert again["Location"] == "/"


@pytest.mark.django_db
def test_repeated_failures_lock_that_user_from_that_address_only(world):
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        r = attacker.post("/accounts/login/", {"username": "gt.kalbar", "password": "wrong-guess"})
    assert r.status_code == 429
    locked = attacker.post("/accounts/login/", {"username": "gt.kalbar", "password": PASSWORD})
    assert locked.status_code == 429
    # The real user at their own address is not locked out by the attacker.
    own = Client(REMOTE_ADDR="10.1.1.1")
    assert (
        own.post("/accounts/login/", {"username": "gt.kalbar", "password": PASSWORD}).status_code
        == 302
    )
    # Another user from the attacker's address is not locked either.
    other = attacker.post("/accounts/login/", {"username": "analis.kepri", "password": PASSWORD})
    assert other.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 4


@pytest.mark.django_db
def test_sixteen_idle_minutes_end_the_session(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = sign_in(Client(), "gt.kalbar")
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=14))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=16))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_an_active_session_still_ends_after_twelve_hours(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = sign_in(Client(), "gt.kalbar")
        for _ in range(72):  # a request every 10 minutes for 12 hours
            clock.shift(timedelta(minutes=10))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/&reason=absolute"
        assert (
            AuditEvent.objects.filter(action="auth.session_timeout", reason="absolute").count() == 1
        )


@pytest.mark.django_db
def test_sign_in_rotates_the_session_and_sign_out_ends_it(world):
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, "gt.kalbar")
    after = client.cookies["simpul_session"].value
    assert after != before
    response = client.post("/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    stale = Client()
    stale.cookies["simpul_session"] = after
    assert stale.get("/").status_code == 302


@pytest.mark.django_db
def test_a_password_change_ends_the_users_other_sessions(world):
    laptop = sign_in(Client(), "gt.kalbar")
    user = User.objects.get(username="gt.kalbar")
    user.set_password("a-brand-new-long-passphrase")
    user.save()
    assert laptop.get("/").status_code == 302
