"""The placement-company register beyond prosecution: the task force registers licensed
companies and records sanctions; the migration registry's check and the public job-offer check
read them; everyone signed in reads the register, nobody else writes it."""

from datetime import date, timedelta

import pytest

from simpul.audit.models import AuditEvent
from simpul.justice import actions, queries
from simpul.justice.actions import CompanyInput
from simpul.justice.codes import LicenceStatus, PerpetratorKind
from simpul.justice.models import LicenceSanction, Perpetrator, PlacementCompany
from tests.cases.helpers import indonesian
from tests.referrals.support import agency, user

pytestmark = pytest.mark.django_db

NEW = {
    "name": "PT Maju Bersama Sejahtera",
    "nib": "9120001234567",
    "licence_number": "B-3/2021/KEMNAKER",
    "licence_status": "active",
    "source": "Daftar P3MI Kemnaker, 1 November 2026",
}


def days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def test_the_task_force_registers_a_company_and_the_checks_read_it(world, signed_in):
    assert queries.company_licence_status("PT Maju Bersama Sejahtera").status == "unknown"
    gt = signed_in("gt.kalbar")
    assert gt.get("/justice/companies/new/").status_code == 200
    response = gt.post("/justice/companies/new/", NEW)
    assert response.status_code == 302
    company = PlacementCompany.objects.get()
    assert response["Location"] == f"/justice/companies/{company.pk}/"
    assert (company.name, company.licence_status) == (NEW["name"], LicenceStatus.ACTIVE)
    assert company.registered_by == user("gt.kalbar")
    event = AuditEvent.objects.get(action="company.register")
    assert event.record_id == str(company.pk)
    assert "nib" in event.fields

    for text in ("pt maju  bersama sejahtera", "9120001234567", "B-3/2021/KEMNAKER"):
        check = queries.company_licence_status(text)
        assert (check.status, check.licence_number) == ("active", "B-3/2021/KEMNAKER")
        assert not check.flagged
    departure = queries.placement_company_check(NEW["name"], "", placement_channel=True)
    assert departure is not None and not departure.flagged

    # A village officer reads the register (and finds it in the menu) but cannot write it.
    village = signed_in("desa.sebunga")
    listing = village.get("/justice/companies/?q=maju").content.decode()
    assert 'data-count="1"' in listing
    assert NEW["name"] in listing
    assert indonesian("Register a company") not in listing
    assert 'href="/justice/companies/"' in village.get("/").content.decode()
    page = village.get(f"/justice/companies/{company.pk}/").content.decode()
    assert indonesian("Licence active") in page
    assert indonesian("Record a sanction") not in page


def test_refused_registrations_store_nothing(world, signed_in):
    gt = signed_in("gt.kalbar")
    assert gt.post("/justice/companies/new/", NEW).status_code == 302
    events = AuditEvent.objects.filter(action="company.register").count()

    same_licence = gt.post("/justice/companies/new/", {**NEW, "name": "PT Lain", "nib": ""})
    assert same_licence.status_code == 422
    assert indonesian("A company with this licence number is registered.") in (
        same_licence.content.decode()
    )
    assert 'value="PT Lain"' in same_licence.content.decode()  # nothing typed is lost
    no_licence = gt.post(
        "/justice/companies/new/",
        {**NEW, "name": "PT Tanpa Nomor", "nib": "", "licence_number": ""},
    )
    assert no_licence.status_code == 422
    assert indonesian("Enter the placement licence number.") in no_licence.content.decode()
    bad_nib = gt.post(
        "/justice/companies/new/",
        {**NEW, "name": "PT Huruf", "nib": "12AB", "licence_number": "X/1"},
    )
    assert bad_nib.status_code == 422
    assert indonesian("A business number (NIB) has digits only.") in bad_nib.content.decode()
    # A suspension is not a starting status (the form does not offer it; the action refuses it).
    with pytest.raises(Exception) as refused:
        actions.register_company(
            user("gt.kalbar"),
            CompanyInput(name="PT Skors", licence_number="S/1", licence_status="suspended"),
        )
    assert "licence_status" in refused.value.message_dict  # type: ignore[attr-defined]

    village = signed_in("desa.sebunga")
    forbidden = village.post("/justice/companies/new/", {**NEW, "name": "PT Desa", "nib": ""})
    assert forbidden.status_code == 403
    assert PlacementCompany.objects.count() == 1
    assert AuditEvent.objects.filter(action="company.register").count() == events


def test_a_sanction_on_a_registered_company_changes_what_the_checks_say(world, signed_in):
    gt = signed_in("gt.kalbar")
    gt.post("/justice/companies/new/", NEW)
    company = PlacementCompany.objects.get()
    url = f"/justice/companies/{company.pk}/sanction/"

    no_dates = gt.post(
        url, {"kind": "full_suspension", "decision_number": "Kep 9/2026", "decided_on": days(-1)}
    )
    assert no_dates.status_code == 422
    assert indonesian("A suspension needs its start and end dates.") in no_dates.content.decode()
    assert LicenceSanction.objects.count() == 0

    suspended = gt.post(
        url,
        {
            "kind": "full_suspension",
            "decision_number": "Kep 9/2026",
            "decided_on": days(-1),
            "effective_from": days(-1),
            "effective_to": days(89),
        },
    )
    assert suspended.status_code == 302
    company.refresh_from_db()
    assert company.licence_status == LicenceStatus.SUSPENDED
    assert queries.company_licence_status(NEW["nib"]).status == "suspended"
    assert queries.company_licence_status(NEW["nib"], date.today() + timedelta(days=90)).status == (
        "active"
    )  # the suspension has ended by then
    assert queries.placement_company_check(NEW["name"], "", placement_channel=True).flagged

    gt.post(url, {"kind": "revocation", "decision_number": "Kep 12/2026", "decided_on": days(0)})
    company.refresh_from_db()
    assert (company.licence_status, company.suspended_to) == (LicenceStatus.REVOKED, None)
    assert (
        '<button type="submit">Catat</button>'
        in gt.get(f"/justice/companies/{company.pk}/").content.decode()
    )
    assert AuditEvent.objects.filter(action="company.sanction").count() == 2
    village = signed_in("desa.sebunga")
    page = village.get(f"/justice/companies/{company.pk}/").content.decode()
    assert page.count('data-kind="') == 2
    assert indonesian("Licence revoked") in page
    forbidden = village.post(
        url, {"kind": "reinstated", "decision_number": "X", "decided_on": days(0)}
    )
    assert forbidden.status_code == 403
    company.refresh_from_db()
    assert company.licence_status == LicenceStatus.REVOKED


def test_the_stricter_of_the_register_and_a_proceeding_wins(world):
    actions.register_company(user("gt.kalbar"), CompanyInput(**NEW))
    Perpetrator.objects.create(
        code="PRP-T1",
        owner_agency=agency("police"),
        kind=PerpetratorKind.COMPANY,
        company_name="PT Maju Bersama Sejahtera",
        licence_number=NEW["licence_number"],
        licence_status=LicenceStatus.REVOKED,
    )
    assert queries.company_licence_status(NEW["name"]).status == "revoked"
    assert queries.company_licence_status(NEW["licence_number"]).status == "revoked"


def test_the_register_pages_and_filters(world, signed_in):
    gt_user = user("gt.kalbar")
    for i in range(30):
        actions.register_company(
            gt_user,
            CompanyInput(
                name=f"PT Contoh {i:02d}",
                licence_number=f"L/{i}",
                licence_status="revoked" if i % 10 == 0 else "active",
            ),
        )
    client = signed_in("jaksa.sambas")
    first = client.get("/justice/companies/").content.decode()
    assert 'data-count="30"' in first
    assert first.count("data-company=") == 25
    second = client.get("/justice/companies/?page=2").content.decode()
    assert second.count("data-company=") == 5
    revoked = client.get("/justice/companies/?status=revoked").content.decode()
    assert 'data-count="3"' in revoked
    assert revoked.count('data-status="revoked"') == 3
    by_licence = client.get("/justice/companies/?q=L/7").content.decode()
    assert 'data-count="1"' in by_licence and "PT Contoh 07" in by_licence
    unknown_status = client.get("/justice/companies/?status=bogus").content.decode()
    assert 'data-count="30"' in unknown_status
