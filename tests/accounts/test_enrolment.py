"""Issue 21, finding 1: a new account is enrolled through a one-time link, never through a
password chosen by the administrator; a flagged account must change its password first."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.models import Agency, EnrolmentToken, User
from simpul.audit.models import AuditEvent
from tests.conftest import sign_in

NEW_PASSWORD = "perahu-kecil-di-sungai-kapuas"


def _add_worker(admin: Client, username: str = "baru.sambas") -> str:
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    response = admin.post(
        f"/accounts/agencies/{agency.id}/members/new/",
        {"username": username, "first_name": "Ratna", "last_name": "Sari", "role": "case_worker"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(rb'id="enrolment-link"[^>]*>\s*(http[^<\s]+)', response.content)
    assert match, response.content[:2000]
    return match.group(1).decode().replace("http://testserver", "")


@pytest.mark.django_db
def test_a_new_account_has_no_password_until_it_is_enrolled(signed_in):
    admin = signed_in("admin.sambas")
    link = _add_worker(admin)
    user = User.objects.get(username="baru.sambas")
    assert not user.has_usable_password()
    assert user.must_change_password is True
    token = EnrolmentToken.objects.get(user=user)
    raw = link.rstrip("/").rsplit("/", 1)[1]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in token.token_hash
    assert token.expires_at - token.created_at == timedelta(hours=72)
    # No password signs the account in, not even an empty one or the old temporary kind.
    for password in ("", "sungai-sambas-mengalir-2026", "!"):
        r = Client().post("/accounts/login/", {"username": "baru.sambas", "password": password})
        assert r.status_code == 200


@pytest.mark.django_db
def test_the_enrolment_link_sets_a_password_then_the_second_factor_once(signed_in):
    admin = signed_in("admin.sambas")
    link = _add_worker(admin)
    newcomer = Client()
    opened = newcomer.get(link)
    assert opened.status_code == 302 and opened["Location"] == "/accounts/enrol/"
    form = newcomer.get("/accounts/enrol/")
    assert form.status_code == 200
    weak = newcomer.post(
        "/accounts/enrol/", {"new_password1": "password", "new_password2": "password"}
    )
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    done = newcomer.post(
        "/accounts/enrol/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"].startswith("/accounts/otp/setup/")
    user = User.objects.get(username="baru.sambas")
    assert user.check_password(NEW_PASSWORD)
    assert user.must_change_password is False
    assert EnrolmentToken.objects.get(user=user).used_at is not None
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 0
    assert AuditEvent.objects.filter(action="accounts.enrolled").count() == 1
    # The link works once.
    again = Client().get(link)
    assert again.status_code == 410
    # With the password only, the account is sent to enrol its second factor.
    fresh = Client().post("/accounts/login/", {"username": "baru.sambas", "password": NEW_PASSWORD})
    assert fresh["Location"].startswith("/accounts/otp/setup/")


@pytest.mark.django_db
def test_an_enrolment_link_expires_after_72_hours(signed_in):
    admin = signed_in("admin.sambas")
    link = _add_worker(admin)
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        late = Client()
        assert late.get(link).status_code == 410
        assert late.post(
            "/accounts/enrol/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        ).status_code in (302, 410)
    assert not User.objects.get(username="baru.sambas").has_usable_password()


@pytest.mark.django_db
def test_a_made_up_link_is_refused(world):
    assert Client().get("/accounts/enrol/not-a-real-token-at-all/").status_code == 410


@pytest.mark.django_db
def test_a_flagged_account_must_change_its_password_after_signing_in(world):
    user = User.objects.get(username="gt.kalbar")
    user.must_change_password = True
    user.save()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "gt.kalbar", "password": "simpul-demo-2026"}
    )
    assert response["Location"].startswith("/accounts/password/")
    blocked = client.get("/")
    assert blocked.status_code == 302 and blocked["Location"] == "/accounts/password/"
    changed = client.post(
        "/accounts/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False and user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_changed").count() == 1
    client.post("/accounts/agreement/", {"accept": "on"})
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_demo_accounts_are_not_forced_into_enrolment(world):
    assert not User.objects.filter(must_change_password=True).exists()
    sign_in(Client(), "pekerja.sambas")
