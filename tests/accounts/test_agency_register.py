"""Issue 12 item 11: system administrators register, edit and deactivate agencies from a page."""

import pytest
from django.test import Client
from django.utils.translation import override

from simpul.accounts.actions import OWN_AGENCY
from simpul.accounts.models import Agency, AgencyType, Membership, User
from simpul.audit.models import AuditEvent
from tests.conftest import sign_in


def _many(n: int, region: str | None = "61.01", prefix: str = "Yayasan Contoh") -> None:
    Agency.objects.bulk_create(
        Agency(name=f"{prefix} {i:03d}", agency_type=AgencyType.NGO, jurisdiction_id=region)
        for i in range(n)
    )


@pytest.mark.django_db
def test_the_agency_list_pages_filters_and_searches(signed_in, django_assert_max_num_queries):
    sysadmin = signed_in("sysadmin")
    _many(40)
    first = sysadmin.get("/accounts/agencies/")
    assert first.status_code == 200
    total = Agency.objects.count()
    assert first.context["page"].paginator.count == total
    assert len(first.context["agencies"]) == 25
    assert 'href="/accounts/agencies/new/"' in first.content.decode()

    ngos = sysadmin.get("/accounts/agencies/", {"agency_type": "ngo"})
    assert ngos.context["page"].paginator.count == 40
    police = sysadmin.get("/accounts/agencies/", {"agency_type": "police"})
    assert [a.name for a in police.context["agencies"]] == ["Unit PPA Polres Sambas"]
    found = sysadmin.get("/accounts/agencies/", {"q": "contoh 03"})
    assert [a.name for a in found.context["agencies"]] == [
        f"Yayasan Contoh {i:03d}" for i in range(30, 40)
    ]
    in_tanjungpinang = sysadmin.get("/accounts/agencies/", {"region": "21.72"})
    assert sorted(a.name for a in in_tanjungpinang.context["agencies"]) == [
        "RPTC Tanjungpinang",
        "Tim Terpadu Pelabuhan Sri Bintan Pura",
        "UPTD PPA Kota Tanjungpinang",
    ]
    second = sysadmin.get("/accounts/agencies/", {"agency_type": "ngo", "page": 2})
    assert len(second.context["agencies"]) == 15
    assert 'href="?agency_type=ngo&amp;page=1"' in second.content.decode()

    # The query count does not grow with the list or with its members.
    with django_assert_max_num_queries(40) as small:
        sysadmin.get("/accounts/agencies/", {"agency_type": "ngo"})
    _many(40, region="21.72", prefix="Lembaga Lain")
    Membership.objects.bulk_create(
        Membership(user=user, agency=agency, role="case_worker")
        for agency in Agency.objects.filter(agency_type="ngo")
        for user in [User.objects.get(username="pekerja.tpi")]
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        bigger = sysadmin.get("/accounts/agencies/", {"agency_type": "ngo"})
    assert bigger.context["page"].paginator.count == 80


@pytest.mark.django_db
def test_a_system_admin_registers_and_edits_an_agency(signed_in):
    sysadmin = signed_in("sysadmin")
    gt = Agency.objects.get(name="GT PP-TPPO Provinsi Kalimantan Barat")
    response = sysadmin.post(
        "/accounts/agencies/new/",
        {
            "name": "Dinas Sosial Kabupaten Sambas",
            "short_name": "Dinsos Sambas",
            "agency_type": "dinas_sosial",
            "jurisdiction": "61.01",
            "parent": gt.id,
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Dinas Sosial Kabupaten Sambas")
    assert (agency.agency_type, agency.jurisdiction_id, agency.parent, agency.is_active) == (
        "dinas_sosial",
        "61.01",
        gt,
        True,
    )
    assert (
        AuditEvent.objects.filter(
            action="accounts.agency_registered", record_id=str(agency.id)
        ).count()
        == 1
    )

    duplicate = sysadmin.post(
        "/accounts/agencies/new/",
        {"name": "dinas sosial kabupaten sambas", "agency_type": "ngo"},
    )
    assert duplicate.status_code == 422
    assert "name" in duplicate.context["form"].errors
    assert Agency.objects.filter(name__iexact="dinas sosial kabupaten sambas").count() == 1

    edited = sysadmin.post(
        f"/accounts/agencies/{agency.id}/edit/",
        {"name": "Dinas Sosial Sambas", "agency_type": "dinas_sosial", "jurisdiction": "61.01"},
    )
    assert edited.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.parent) == ("Dinas Sosial Sambas", None)
    event = AuditEvent.objects.get(action="accounts.agency_edited")
    assert sorted(event.fields) == ["name", "parent", "short_name"]


@pytest.mark.django_db
def test_a_type_that_lacks_its_members_roles_and_a_parent_loop_are_refused(signed_in):
    sysadmin = signed_in("sysadmin")
    uptd = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    refused = sysadmin.post(
        f"/accounts/agencies/{uptd.id}/edit/",
        {"name": uptd.name, "agency_type": "prosecutor", "jurisdiction": "61.01"},
    )
    assert refused.status_code == 422
    assert "agency_type" in refused.context["form"].errors
    unit = Agency.objects.create(name="Unit Layanan Sambas", agency_type="uptd_ppa", parent=uptd)
    loop = sysadmin.post(
        f"/accounts/agencies/{uptd.id}/edit/",
        {"name": uptd.name, "agency_type": "uptd_ppa", "jurisdiction": "61.01", "parent": unit.id},
    )
    assert loop.status_code == 422
    assert "parent" in loop.context["form"].errors
    uptd.refresh_from_db()
    assert (uptd.agency_type, uptd.parent) == ("uptd_ppa", None)
    assert AuditEvent.objects.filter(action="accounts.agency_edited").count() == 0


@pytest.mark.django_db
def test_members_of_a_deactivated_agency_can_no_longer_act(signed_in):
    worker = signed_in("pekerja.sambas")
    assert worker.get("/persons/").status_code == 200
    sysadmin = signed_in("sysadmin")
    uptd = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    assert sysadmin.post(f"/accounts/agencies/{uptd.id}/toggle/").status_code == 302
    uptd.refresh_from_db()
    assert uptd.is_active is False
    assert AuditEvent.objects.filter(action="accounts.agency_deactivated").count() == 1
    # The current session and a new one get nothing.
    assert worker.get("/persons/").status_code == 403
    fresh = sign_in(Client(), "pekerja.sambas")
    assert fresh.get("/").status_code == 403
    assert fresh.get("/cases/").status_code == 403
    # Reactivated, the member acts again.
    assert sysadmin.post(f"/accounts/agencies/{uptd.id}/toggle/").status_code == 302
    assert worker.get("/persons/").status_code == 200


@pytest.mark.django_db
def test_only_a_system_admin_manages_agencies_and_never_deactivates_its_own(signed_in):
    admin = signed_in("admin.sambas")
    uptd = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    assert admin.get("/accounts/agencies/new/").status_code == 403
    assert admin.post(f"/accounts/agencies/{uptd.id}/toggle/").status_code == 403
    assert 'href="/accounts/agencies/new/"' not in admin.get("/accounts/agencies/").content.decode()
    sysadmin = signed_in("sysadmin")
    ops = Agency.objects.get(name="Sekretariat Simpul")
    refused = sysadmin.post(f"/accounts/agencies/{ops.id}/toggle/")
    assert refused.status_code == 302
    with override("id"):
        assert [str(m) for m in refused.wsgi_request._messages] == [str(OWN_AGENCY)]
    ops.refresh_from_db()
    uptd.refresh_from_db()
    assert ops.is_active is True and uptd.is_active is True
    assert AuditEvent.objects.filter(action="accounts.agency_deactivated").count() == 0
