"""Restitution, LPSK and statistics through the real pages; the placement-company register in
the migration registry and on the public job-offer check; the case page links to the track."""

from datetime import date

import pytest
from django.core.cache import cache

from simpul.justice import actions, statistics
from simpul.justice.actions import PerpetratorInput
from simpul.justice.codes import LicenceStatus, LpskStatus, PerpetratorKind
from simpul.justice.codes import RestitutionState as S
from simpul.justice.models import LpskApplication, Restitution
from tests.cases.helpers import indonesian
from tests.justice.support import ago, finalised, opened, step, two_victim_case
from tests.migration.builders import identity, register
from tests.referrals.support import user

pytestmark = pytest.mark.django_db


def test_restitution_and_lpsk_through_the_proceeding_page(world, signed_in):
    case, (a, b) = two_victim_case()
    p = finalised(case)
    jaksa = signed_in("jaksa.sambas")
    filed = {"victim": a.pk, "step": "filed", "occurred_on": ago(1).isoformat(), "channel": "lpsk"}
    assert jaksa.post(f"/justice/{p.id}/restitution/", filed).status_code == 302
    refused = jaksa.post(
        f"/justice/{p.id}/restitution/",
        {
            "victim": a.pk,
            "step": "awarded",
            "occurred_on": ago(1).isoformat(),
            "reference": "PUT/9",
        },
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert indonesian("Enter the amount awarded for at least one head of loss.") in body
    assert 'value="PUT/9"' in body  # kept as typed
    awarded = {
        "victim": a.pk,
        "step": "awarded",
        "occurred_on": ago(1).isoformat(),
        "lost_income": "7000000",
        "suffering": "3000000",
    }
    assert jaksa.post(f"/justice/{p.id}/restitution/", awarded).status_code == 302
    r = Restitution.objects.get()
    assert (r.state, r.awarded_total) == (S.AWARDED, 10_000_000)
    page = jaksa.get(f"/justice/{p.id}/").content.decode()
    assert "10.000.000" in page and indonesian("Awarded, not yet final") in page
    lpsk = {
        "victim": b.pk,
        "applied_on": ago(0).isoformat(),
        "applicant": "victim",
        "protections": ["a_security", "medical"],
    }
    assert jaksa.post(f"/justice/{p.id}/lpsk/", lpsk).status_code == 302
    app = LpskApplication.objects.get()
    assert app.status == LpskStatus.PENDING
    decided = jaksa.post(
        f"/justice/{p.id}/lpsk/decision/",
        {
            "application": app.pk,
            "decision": "accepted",
            "decided_on": ago(0).isoformat(),
            "granted": ["a_security"],
        },
    )
    assert decided.status_code == 302
    # The case worker's track: stages and states only.
    worker = signed_in("pekerja.sambas")
    track = worker.get(f"/justice/case/{case.id}/").content.decode()
    assert indonesian("Awarded, not yet final") in track
    assert indonesian("Protected by LPSK") in track
    assert "10.000.000" not in track
    # The case page links to the track.
    case_page = worker.get(f"/cases/{case.id}/").content.decode()
    assert f'href="/justice/case/{case.id}/"' in case_page


def test_statistics_summary_of_a_hand_made_example():
    facts = statistics.Facts(
        dates=[
            (date(2026, 1, 1), date(2026, 1, 31), date(2026, 3, 2), date(2026, 3, 12)),
            (date(2026, 1, 1), date(2026, 1, 11), date(2026, 2, 10), None),
            (date(2026, 1, 1), date(2026, 2, 20), None, None),
            (date(2026, 1, 1), None, None, None),
        ]
    )
    s = statistics.summarise(facts)
    # report→P-21: 30, 10, 50 → 30; P-21→verdict: 30, 30 → 30; verdict→final: 10.
    assert s.report_to_p21 == statistics.Median(30.0, 3)
    assert s.p21_to_verdict == statistics.Median(30.0, 2)
    assert s.verdict_to_final == statistics.Median(10.0, 1)


def test_statistics_load_and_the_task_force_page(world, signed_in):
    case, (a, _b) = two_victim_case()
    p = finalised(case, final_days_ago=2)
    jaksa = user("jaksa.sambas")
    actions.record_restitution(
        jaksa, p, a, actions.RestitutionInput("filed", ago(2), channel="lpsk")
    )
    actions.record_restitution(
        jaksa, p, a, actions.RestitutionInput("awarded", ago(2), heads={"suffering": 100})
    )
    actions.record_restitution(jaksa, p, a, actions.RestitutionInput("final", ago(2)))
    actions.record_restitution(jaksa, p, a, actions.RestitutionInput("payment", ago(1), amount=100))
    other = opened(two_victim_case()[0], reported=200)
    step(other, "polisi.sambas", "investigation", 150)
    facts = statistics.load()
    assert (facts.by_stage["final"], facts.by_stage["police"]) == (1, 1)
    assert facts.dates == [(ago(120), ago(28), ago(5), ago(2))]
    assert (facts.restitution_claimed, facts.restitution_awarded) == (1, 1)
    assert facts.restitution_paid_in_time == 1
    assert facts.stalled == 1  # the other one: last event 150 days ago
    page = signed_in("gt.kalbar").get("/justice/statistics/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "&lt;11" in body
    for secret in (p.code, case.code, other.code, "LP/B/12/2026"):
        assert secret not in body
    assert signed_in("polisi.sambas").get("/justice/statistics/").status_code == 403


def _company(name: str, status: str, licence: str) -> None:
    case, _victims = two_victim_case()
    p = opened(case, reported=10)
    actions.add_defendant(
        user("polisi.sambas"),
        p,
        PerpetratorInput(
            kind=PerpetratorKind.COMPANY,
            company_name=name,
            licence_number=licence,
            licence_status=status,
            nib="9120001234567",
        ),
    )


def test_public_company_check_shows_public_data_only_and_is_rate_limited(world, client):
    cache.clear()
    _company("PT Contoh Penempatan", LicenceStatus.REVOKED, "SIP3MI 123/2024")
    page = client.get("/prevention/cek-tawaran-kerja/", {"perusahaan": "pt contoh  penempatan"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-licence="revoked"' in body and "SIP3MI 123/2024" in body
    assert "9120001234567" not in body  # the NIB is a search key, not shown
    unknown = client.get(
        "/prevention/cek-tawaran-kerja/", {"perusahaan": "PT Tak Dikenal"}
    ).content.decode()
    assert 'data-licence="unknown"' in unknown
    for _ in range(28):
        client.get("/prevention/cek-tawaran-kerja/", {"perusahaan": "PT X"})
    assert client.get("/prevention/cek-tawaran-kerja/", {"perusahaan": "PT X"}).status_code == 429
    cache.clear()


def test_departure_with_a_revoked_or_unknown_company_is_flagged(world, signed_in):
    _company("PT Contoh Penempatan", LicenceStatus.REVOKED, "SIP3MI 123/2024")
    desa = user("desa.sebunga")
    revoked = register(desa, identity(name="Siti Aminah", serial=7100))
    unknown = register(desa, identity(name="Rina", serial=7101), placement_company="PT Lain")
    page = signed_in("desa.sebunga")
    assert (
        'id="company-flag" data-licence="revoked"'
        in page.get(f"/migration/departures/{revoked.id}/").content.decode()
    )
    assert (
        'id="company-flag" data-licence="unknown"'
        in page.get(f"/migration/departures/{unknown.id}/").content.decode()
    )


def test_the_statistics_page_reads_the_stored_figures_until_they_are_stale(world, signed_in):
    """The page shows what the job runner stored; stale or missing figures are recomputed."""
    from datetime import timedelta

    from django.utils import timezone

    from simpul.audit.models import AuditEvent
    from simpul.justice.models import StatisticsSnapshot
    from simpul.justice.models.statistics import STALE_AFTER

    finalised(two_victim_case()[0], final_days_ago=2)
    first = actions.refresh_statistics()
    restored = statistics.from_json(first.figures)
    assert restored.facts.by_stage["final"] == 1
    assert restored.report_to_p21 == statistics.Median(92.0, 1)
    assert restored.facts.dates == []

    # A second proceeding after the figures were stored: the fresh figures are shown as is.
    opened(two_victim_case()[0], reported=10)
    gt = signed_in("gt.kalbar")
    page = gt.get("/justice/statistics/")
    assert page.status_code == 200
    assert 'id="computed-at"' in page.content.decode()
    assert StatisticsSnapshot.objects.count() == 1
    assert StatisticsSnapshot.objects.get().figures["facts"]["by_stage"]["police"] == 0

    # Once stale, the page recomputes and stores them (rows older than a day are dropped).
    StatisticsSnapshot.objects.update(computed_at=timezone.now() - STALE_AFTER - timedelta(1))
    assert gt.get("/justice/statistics/").status_code == 200
    newest = StatisticsSnapshot.objects.latest()
    assert StatisticsSnapshot.objects.count() == 1  # the day-old row was dropped
    assert newest.figures["facts"]["by_stage"]["police"] == 1
    assert AuditEvent.objects.filter(action="justice.statistics_refresh").count() == 2
