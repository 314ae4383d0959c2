"""The linkage pages: review side by side (masked until revealed), alerts, runs, statistics."""

from datetime import date

import pytest

from simpul.audit.models import AuditEvent
from simpul.linkage.models import LinkageRun, LinkedPair, PairStatus, ReviewDecision, RunStatus
from tests.linkage.helpers import SEBUNGA, add_person, nik, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_pair(world):
    add_person(
        "pekerja.sambas",
        SEBUNGA,
        full_name="Rina Marlina",
        nik=nik(date(1991, 2, 3), 5),
        birth_date="1991-02-03",
        sex="F",
    )
    add_person("pekerja.sambas", "61.01", full_name="Rina Marlina", birth_date="1991", sex="F")
    run(full=True)
    return LinkedPair.objects.get(status=PairStatus.REVIEW)


def test_the_reviewer_sees_both_records_masked_with_the_reasons(signed_in, review_pair):
    client = signed_in("supervisor.sambas")
    queue = client.get("/linkage/review/")
    assert queue.status_code == 200 and list(queue.context["pairs"]) == [review_pair]
    page = client.get(f"/linkage/review/{review_pair.id}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "R••• M•••" in body and "Rina Marlina" not in body
    assert {r["field"] for r in page.context["reasons"]} >= {
        "Nama",
        "Tanggal lahir",
    } or page.context["reasons"]
    revealed = client.post(
        f"/linkage/review/{review_pair.id}/reveal/", {"reason": "checking the pair for a merge"}
    )
    assert "Rina Marlina" in revealed.content.decode()
    assert AuditEvent.objects.filter(action="person.reveal", outcome="ok").count() == 2


def test_a_decision_through_the_page_is_stored_and_audited(signed_in, review_pair):
    client = signed_in("supervisor.sambas")
    response = client.post(
        f"/linkage/review/{review_pair.id}/", {"decision": "non_match", "note": ""}
    )
    assert response.status_code == 302
    assert ReviewDecision.objects.get().decision == "non_match"
    review_pair.refresh_from_db()
    assert review_pair.status == PairStatus.DECIDED


def test_roles_without_the_review_permission_are_refused(signed_in, review_pair):
    client = signed_in("pekerja.sambas")
    assert client.get("/linkage/review/").status_code == 403
    assert (
        client.post(f"/linkage/review/{review_pair.id}/", {"decision": "match"}).status_code == 403
    )
    assert not ReviewDecision.objects.exists()


def test_runs_are_queued_from_the_page_and_show_progress(signed_in, world):
    client = signed_in("supervisor.sambas")
    response = client.post("/linkage/runs/", {"mode": "full", "engine": "duckdb"})
    queued = LinkageRun.objects.get()
    assert response.status_code == 302 and queued.status == RunStatus.QUEUED
    assert "every 2s" in client.get(f"/linkage/runs/{queued.id}/progress/").content.decode()
    from django.core.management import call_command

    call_command("link_persons", "--pending", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == RunStatus.DONE and queued.progress == 1.0
    assert "every 2s" not in client.get(f"/linkage/runs/{queued.id}/progress/").content.decode()


def test_statistics_are_for_aggregate_roles_only(signed_in, review_pair):
    assert signed_in("gt.kalbar").get("/linkage/statistics/").status_code == 200
    assert signed_in("pekerja.sambas").get("/linkage/statistics/").status_code == 403
