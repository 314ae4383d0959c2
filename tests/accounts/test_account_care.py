"""Issue 12 item 11: one's own password, an administrator's resets, other agencies' users,
roles by agency type."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django.utils.translation import override
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.actions import NOT_IN_AGENCY_TYPE, OTHER_AGENCY, OUT_OF_REACH, SELF_RESET
from simpul.accounts.models import Agency, AgencyType, Membership, User
from simpul.accounts.roles import ROLES_BY_AGENCY_TYPE, Role, roles_for_agency_type
from simpul.audit.models import AuditEvent

PASSWORD = "simpul-demo-2026"
NEW_PASSWORD = "kapuas-mengalir-ke-laut-2026"


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- One's own password ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_changes_their_own_password_from_the_user_menu(signed_in):
    laptop = signed_in("pekerja.sambas")
    # A second sign-in needs the next two-factor code (a code is never accepted twice).
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        _change_password_on_a_second_device(laptop, signed_in)


def _change_password_on_a_second_device(laptop, signed_in):
    phone = signed_in("pekerja.sambas")
    home = phone.get("/")
    assert 'href="/accounts/password/change/"' in home.content.decode()
    page = phone.get("/accounts/password/change/")
    assert page.status_code == 200
    assert list(page.context["form"].fields) == ["old_password", "new_password1", "new_password2"]

    wrong = phone.post(
        "/accounts/password/change/",
        {
            "old_password": "not-my-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 422
    assert "old_password" in wrong.context["form"].errors
    weak = phone.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert weak.status_code == 422
    assert "new_password2" in weak.context["form"].errors
    user = User.objects.get(username="pekerja.sambas")
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_change_failed").count() == 1
    assert AuditEvent.objects.filter(action="auth.password_changed").count() == 0

    done = phone.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_changed", actor_id=user.pk).count() == 1
    # This session goes on; the other one ended with the old password.
    assert phone.get("/").status_code == 200
    assert laptop.get("/").status_code == 302


# --- Resets by an agency administrator ---------------------------------------------------------


def _membership(username: str) -> Membership:
    return Membership.objects.get(user__username=username)


@pytest.mark.django_db
def test_an_agency_admin_resets_a_members_password_with_a_new_enrolment_link(signed_in):
    worker_session = signed_in("pekerja.sambas")
    admin = signed_in("admin.sambas")
    listing = admin.get("/accounts/agencies/").content.decode()
    member = _membership("pekerja.sambas")
    assert f"/accounts/members/{member.id}/reset-password/" in listing

    response = admin.post(f"/accounts/members/{member.id}/reset-password/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    link = response.context["link"]
    user = User.objects.get(username="pekerja.sambas")
    assert not user.has_usable_password()
    assert user.must_change_password is True
    assert (
        AuditEvent.objects.filter(action="accounts.password_reset", record_id=str(user.pk)).count()
        == 1
    )
    # The old password and the member's sessions stop working at once.
    assert worker_session.get("/").status_code == 302
    old = Client().post("/accounts/login/", {"username": "pekerja.sambas", "password": PASSWORD})
    assert old.status_code == 200  # the sign-in page again, with its error
    # The link lets the member choose a new password, once.
    fresh = Client()
    assert fresh.get(link.replace("http://testserver", "")).status_code == 302
    chosen = fresh.post(
        "/accounts/enrol/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert chosen.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.must_change_password is False
    assert Client().get(link.replace("http://testserver", "")).status_code == 410


@pytest.mark.django_db
def test_an_agency_admin_resets_a_members_second_factor(signed_in):
    worker_session = signed_in("pekerja.sambas")
    admin = signed_in("admin.sambas")
    user = User.objects.get(username="pekerja.sambas")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    member = _membership("pekerja.sambas")
    response = admin.post(f"/accounts/members/{member.id}/reset-second-factor/")
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 0
    event = AuditEvent.objects.get(action="accounts.second_factor_reset")
    assert (event.record_id, event.count) == (str(user.pk), 1)
    # A current session must set up a new device before anything else ...
    assert worker_session.get("/persons/")["Location"].startswith("/accounts/otp/")
    # ... and so must the next sign-in.
    again = Client().post("/accounts/login/", {"username": "pekerja.sambas", "password": PASSWORD})
    assert again["Location"].startswith("/accounts/otp/setup/")


@pytest.mark.django_db
def test_resets_are_refused_for_oneself_other_agencies_and_roles_above_reach(signed_in):
    admin = signed_in("admin.sambas")
    own = _membership("admin.sambas")
    admin_user = User.objects.get(username="admin.sambas")
    password_before = admin_user.password
    refused = admin.post(f"/accounts/members/{own.id}/reset-password/")
    assert refused.status_code == 302
    with override("id"):
        assert str(SELF_RESET) in _messages(refused)
    admin_user.refresh_from_db()
    assert admin_user.password == password_before

    # Another agency's member looks missing, and the attempt is audited.
    tpi = _membership("pekerja.tpi")
    assert admin.post(f"/accounts/members/{tpi.id}/reset-second-factor/").status_code == 404
    assert admin.post(f"/accounts/members/{tpi.id}/reset-password/").status_code == 404
    assert TOTPDevice.objects.filter(user__username="pekerja.tpi").count() == 1
    assert User.objects.get(username="pekerja.tpi").check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.member_reset", outcome="denied").count() == 2

    # Another administrator of the same agency is above an agency administrator's reach.
    colleague = User.objects.create_user("admin2.sambas", password=PASSWORD)
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    sysadmin_user = User.objects.get(username="sysadmin")
    above = Membership.objects.create(
        user=colleague, agency=sambas, role=Role.AGENCY_ADMIN, granted_by=sysadmin_user
    )
    refused = admin.post(f"/accounts/members/{above.id}/reset-password/")
    with override("id"):
        assert str(OUT_OF_REACH) in _messages(refused)
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)

    # A system administrator resets administrators, never a case role.
    sysadmin = signed_in("sysadmin")
    worker = _membership("pekerja.sambas")
    refused = sysadmin.post(f"/accounts/members/{worker.id}/reset-second-factor/")
    with override("id"):
        assert str(OUT_OF_REACH) in _messages(refused)
    assert TOTPDevice.objects.filter(user__username="pekerja.sambas").count() == 1
    assert sysadmin.post(f"/accounts/members/{own.id}/reset-second-factor/").status_code == 302
    assert TOTPDevice.objects.filter(user=admin_user).count() == 0
    assert AuditEvent.objects.filter(action="accounts.second_factor_reset").count() == 1
    assert AuditEvent.objects.filter(action="accounts.password_reset").count() == 0


# --- Another agency's username, roles by agency type -----------------------------------------


@pytest.mark.django_db
def test_adding_another_agencys_username_is_refused_at_the_field(signed_in):
    admin = signed_in("admin.sambas")
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    before = Membership.objects.count()
    refused = admin.post(
        f"/accounts/agencies/{sambas.id}/members/new/",
        {"username": "pekerja.tpi", "first_name": "Nurul", "role": "case_worker"},
    )
    assert refused.status_code == 422
    with override("id"):
        assert refused.context["form"].errors["username"] == [str(OTHER_AGENCY)]
    assert Membership.objects.count() == before
    assert not Membership.objects.filter(user__username="pekerja.tpi", agency=sambas).exists()
    # What was typed is still in the form.
    assert refused.context["form"]["first_name"].value() == "Nurul"


@pytest.mark.django_db
def test_the_roles_offered_and_given_match_the_agency_type(signed_in):
    admin = signed_in("admin.sambas")
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    form = admin.get(f"/accounts/agencies/{sambas.id}/members/new/").context["form"]
    offered = {value for value, _label in form.fields["role"].choices}
    assert offered == {
        "hotline_operator",
        "case_worker",
        "case_supervisor",
        "shelter_officer",
        "data_analyst",
    }
    refused = admin.post(
        f"/accounts/agencies/{sambas.id}/members/new/",
        {"username": "jaksa.baru", "first_name": "Ani", "role": "prosecutor"},
    )
    assert refused.status_code == 422
    assert not User.objects.filter(username="jaksa.baru").exists()

    # The action refuses it too, whatever the form offered.
    from django.core.exceptions import ValidationError

    from simpul.accounts import actions

    admin_user = User.objects.get(username="admin.sambas")
    with pytest.raises(ValidationError) as refusal:
        actions.add_member(
            admin_user,
            sambas,
            username="jaksa.baru",
            first_name="Ani",
            last_name="",
            role="prosecutor",
        )
    with override("id"):
        assert refusal.value.message_dict == {"role": [str(NOT_IN_AGENCY_TYPE)]}
    assert not User.objects.filter(username="jaksa.baru").exists()


def test_the_role_table_covers_every_agency_type():
    assert set(ROLES_BY_AGENCY_TYPE) == set(AgencyType)
    assert Role.PROSECUTOR not in roles_for_agency_type("uptd_ppa")
    assert roles_for_agency_type("prosecutor") == {
        Role.PROSECUTOR,
        Role.AGENCY_ADMIN,
        Role.DATA_ANALYST,
    }
    assert roles_for_agency_type("no_such_type") == frozenset()


@pytest.mark.django_db
def test_every_role_of_the_demo_world_fits_its_agency_type(world):
    misfits = [
        (m.user.username, m.role, m.agency.agency_type)
        for m in Membership.objects.select_related("user", "agency")
        if Role(m.role) not in roles_for_agency_type(m.agency.agency_type)
    ]
    assert misfits == []


@pytest.mark.django_db
def test_another_agencys_member_pages_look_missing_and_the_attempt_is_audited(signed_in):
    admin = signed_in("admin.sambas")
    tpi = Agency.objects.get(name="UPTD PPA Kota Tanjungpinang")
    member = _membership("pekerja.tpi")
    assert admin.get(f"/accounts/agencies/{tpi.id}/members/new/").status_code == 404
    assert admin.post(f"/accounts/members/{member.id}/toggle/").status_code == 404
    member.refresh_from_db()
    assert member.is_active is True
    denied = AuditEvent.objects.filter(outcome="denied").values_list("action", "record_id")
    assert sorted(denied) == [
        ("accounts.member_add", str(tpi.id)),
        ("accounts.member_toggle", str(member.id)),
    ]
