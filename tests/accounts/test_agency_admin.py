"""Agency administrators manage their own agency's users, and nobody else's."""

import pytest

from simpul.accounts.models import Agency, Membership, User
from simpul.audit.models import AuditEvent


@pytest.mark.django_db
def test_agency_admin_adds_a_case_worker_who_can_then_sign_in(signed_in):
    admin = signed_in("admin.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    page = admin.get("/accounts/agencies/")
    assert [a.name for a in page.context["agencies"]] == [agency.name]
    response = admin.post(
        f"/accounts/agencies/{agency.id}/members/new/",
        {
            "username": "baru.sambas",
            "first_name": "Ratna",
            "last_name": "Sari",
            "role": "case_worker",
        },
    )
    assert response.status_code == 200
    link = response.context["link"]
    membership = Membership.objects.get(user__username="baru.sambas")
    assert (membership.agency, membership.role, membership.is_active) == (
        agency,
        "case_worker",
        True,
    )
    assert AuditEvent.objects.filter(action="accounts.member_add").count() == 1
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    fresh = Client()
    assert fresh.get(link.replace("http://testserver", "")).status_code == 302
    password = "sungai-sambas-mengalir-2026"
    first = fresh.post("/accounts/enrol/", {"new_password1": password, "new_password2": password})
    assert first["Location"].startswith("/accounts/otp/setup/")
    assert TOTPDevice.objects.filter(user__username="baru.sambas", confirmed=True).count() == 0


@pytest.mark.django_db
def test_agency_admin_cannot_touch_another_agency_or_appoint_a_system_admin(signed_in):
    admin = signed_in("admin.sambas")
    other = Agency.objects.get(name="UPTD PPA Kota Tanjungpinang")
    users_before = User.objects.count()
    form = {
        "username": "penyusup",
        "first_name": "X",
        "role": "case_worker",
        "password": "sungai-sambas-mengalir-2026",
    }
    assert admin.post(f"/accounts/agencies/{other.id}/members/new/", form).status_code == 404
    own = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    form["role"] = "system_admin"
    refused = admin.post(f"/accounts/agencies/{own.id}/members/new/", form)
    assert refused.status_code == 422
    assert "role" in refused.context["form"].errors
    assert User.objects.count() == users_before
    tpi_member = Membership.objects.get(user__username="pekerja.tpi")
    assert admin.post(f"/accounts/members/{tpi_member.id}/toggle/").status_code == 404
    tpi_member.refresh_from_db()
    assert tpi_member.is_active is True


@pytest.mark.django_db
def test_the_administrator_no_longer_chooses_a_password(signed_in):
    admin = signed_in("admin.sambas")
    own = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    form = admin.get(f"/accounts/agencies/{own.id}/members/new/").context["form"]
    assert list(form.fields) == ["username", "first_name", "last_name", "role"]


@pytest.mark.django_db
def test_suspending_a_role_takes_effect_on_the_members_next_request(signed_in):
    worker = signed_in("pekerja.sambas")
    assert worker.get("/persons/").status_code == 200
    admin = signed_in("admin.sambas")
    membership = Membership.objects.get(user__username="pekerja.sambas")
    admin.post(f"/accounts/members/{membership.id}/toggle/")
    assert worker.get("/persons/").status_code == 403
    assert AuditEvent.objects.filter(action="accounts.member_deactivate").count() == 1
