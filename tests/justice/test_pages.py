"""A short flow through the real pages: the police record the report, the investigation, the
file and its P-19 round trip; the prosecutor records P-21, the court steps and a verdict whose
sentence is below the statutory minimum, which the page flags. Need to know on the pages."""

import pytest

from simpul.audit.models import AuditEvent, Outcome
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import LicenceStatus, RangeFlag, Stage
from simpul.justice.models import PerpetratorVictim, Proceeding, Sentence
from tests.cases.helpers import indonesian
from tests.justice.support import ago, justice_case
from tests.referrals.support import user

pytestmark = pytest.mark.django_db


def post_event(client, p, code, days, **extra):
    p.refresh_from_db()
    data = {"version": p.version, "code": code, "occurred_on": ago(days).isoformat(), **extra}
    return client.post(f"/justice/{p.id}/event/", data)


def test_police_and_prosecutor_flow(world, signed_in):
    case = justice_case()
    police = signed_in("polisi.sambas")
    response = police.post(
        f"/justice/case/{case.id}/open/",
        {"reported_on": ago(90).isoformat(), "police_report_number": "LP/B/99/2026"},
    )
    p = Proceeding.objects.get(case=case)
    assert response.status_code == 302 and response.url == f"/justice/{p.id}/"
    for code, days, extra in [
        (E.INVESTIGATION, 85, {}),
        (E.SPDP, 84, {"document_number": "SPDP/1"}),
    ]:
        assert post_event(police, p, code, days, **extra).status_code == 302
    assert (
        police.post(
            f"/justice/{p.id}/prosecutor/", {"prosecutor": user("jaksa.sambas").pk}
        ).status_code
        == 302
    )
    assert post_event(police, p, E.FILE_HANDED_OVER, 60).status_code == 302
    jaksa = signed_in("jaksa.sambas")
    assert post_event(jaksa, p, E.P19, 55, note="Periksa saksi tambahan.").status_code == 302
    # P-21 before the file is back: refused with the reason, nothing recorded.
    refused = post_event(jaksa, p, E.P21, 50)
    assert refused.status_code == 422
    assert (
        indonesian(
            "The file was returned to the investigator; it must come back before %(code)s.",
            code=indonesian("File complete (P-21)"),
        )
        in refused.content.decode()
    )
    p.refresh_from_db()
    assert p.event_count == 5
    assert post_event(police, p, E.FILE_HANDED_OVER, 45).status_code == 302
    for code, days, extra in [
        (E.P21, 40, {}),
        (E.P22, 38, {}),
        (E.P29, 36, {"document_number": "PDM-12/2026"}),
        (E.P31, 35, {}),
        (E.COURT_REGISTERED, 34, {"document_number": "12/Pid.Sus/2026/PN Sbs"}),
        (
            E.FIRST_HEARING,
            30,
            {
                "victim_testified": "on",
                "protective_measures": ["closed_hearing"],
                "next_hearing_on": ago(20).isoformat(),
            },
        ),
        (E.DEMAND, 20, {}),
        (E.VERDICT, 10, {"verdict_outcome": "convicted"}),
    ]:
        assert post_event(jaksa, p, code, days, **extra).status_code == 302, code
    p.refresh_from_db()
    assert (p.stage, p.p19_count, p.court_case_number) == (Stage.COURT, 1, "12/Pid.Sus/2026/PN Sbs")
    assert (
        jaksa.post(
            f"/justice/{p.id}/defendant/",
            {
                "kind": "person",
                "full_name": "Bambang Sutrisno",
                "licence_status": "none",
                "nationality": "ID",
                "sex": "M",
                "age_band": "35_44",
                "roles": ["RecruiterOrIntermediary"],
            },
        ).status_code
        == 302
    )
    defendant = p.defendants.get()
    assert (
        jaksa.post(
            f"/justice/{p.id}/charge/",
            {"defendant": defendant.pk, "law": "uu21_2007", "article": "2_1"},
        ).status_code
        == 302
    )
    charge = defendant.charges.get()
    assert (
        jaksa.post(
            f"/justice/{p.id}/sentence/",
            {"charge": charge.pk, "prison_months": "24", "fine": "50000000"},
        ).status_code
        == 302
    )
    assert Sentence.objects.get(charge=charge).prison_flag == RangeFlag.BELOW
    page = jaksa.get(f"/justice/{p.id}/").content.decode()
    assert 'data-flag="below"' in page
    assert indonesian("Below the statutory minimum") in page
    assert "Periksa saksi tambahan." in page  # the P-19 instructions, for the assigned users
    assert "Bambang Sutrisno" not in page  # the name stays in the vault
    # The prosecutor's list and home.
    listing = jaksa.get("/justice/")
    assert listing.status_code == 200 and listing.context["page"].paginator.count == 1
    # The case worker: the track with stages and dates; the proceeding itself is a 404.
    worker = signed_in("pekerja.sambas")
    track = worker.get(f"/justice/case/{case.id}/").content.decode()
    assert indonesian("Verdict") in track and "PDM-12/2026" not in track and "Periksa" not in track
    assert worker.get(f"/justice/{p.id}/").status_code == 404
    assert (
        AuditEvent.objects.filter(action="proceeding.access", outcome=Outcome.DENIED).count() == 1
    )
    assert signed_in("pekerja.tpi").get(f"/justice/case/{case.id}/").status_code == 404


def test_home_shows_justice_work(world, signed_in):
    home = signed_in("jaksa.sambas").get("/")
    keys = [w.key for w in home.context["work"]]
    assert {"justice.deadlines", "justice.stalled", "justice.hearings"} <= set(keys)
    assert "justice.deadlines" not in [
        w.key for w in signed_in("pekerja.sambas").get("/").context["work"]
    ]


def test_company_sanction_and_victim_relation_through_the_page(world, signed_in):
    case = justice_case()
    police = signed_in("polisi.sambas")
    police.post(
        f"/justice/case/{case.id}/open/",
        {"reported_on": ago(30).isoformat(), "police_report_number": "LP/5"},
    )
    p = Proceeding.objects.get(case=case)
    company = {
        "kind": "company",
        "company_name": "PT Sinar Harapan Jaya",
        "licence_number": "P3MI/77/2019",
        "licence_status": "active",
        "nationality": "ID",
        "sex": "U",
        "age_band": "unknown",
    }
    assert police.post(f"/justice/{p.id}/defendant/", company).status_code == 302
    defendant = p.defendants.get()
    refused = police.post(
        f"/justice/{p.id}/sanction/",
        {
            "perpetrator": defendant.pk,
            "kind": "full_suspension",
            "decision_number": "Kep 7/2026",
            "decided_on": ago(3).isoformat(),
        },
    )
    assert refused.status_code == 422
    assert indonesian("A suspension needs its start and end dates.") in refused.content.decode()
    ok = police.post(
        f"/justice/{p.id}/sanction/",
        {
            "perpetrator": defendant.pk,
            "kind": "full_suspension",
            "decision_number": "Kep 7/2026",
            "decided_on": ago(3).isoformat(),
            "effective_from": ago(2).isoformat(),
            "effective_to": ago(-88).isoformat(),
        },
    )
    assert ok.status_code == 302
    defendant.perpetrator.refresh_from_db()
    assert defendant.perpetrator.licence_status == LicenceStatus.SUSPENDED
    victim = case.victims.get().person
    assert (
        police.post(
            f"/justice/{p.id}/relation/",
            {"perpetrator": defendant.pk, "victim": victim.pk, "relation": "recruiter"},
        ).status_code
        == 302
    )
    assert PerpetratorVictim.objects.get().relation == "recruiter"
    page = police.get(f"/justice/{p.id}/").content.decode()
    assert indonesian("Licence suspended") in page
    # The forms' buttons say what they do ("Catat"), not the noun "Data" of the audit table.
    assert '<button type="submit">Catat</button>' in page
    assert '<button type="submit">Data</button>' not in page
