"""Issue 14's done-when: a linkage run queued from the page and a new return's one-record check
both run through a real `simpul worker` process, with no manual command; the return that matches
an open missing report alerts the village officer within the test, on the home page."""

import re
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.accounts.models import User
from simpul.identity.data import IdentityData
from simpul.jobs.actions import enqueue
from simpul.jobs.models import Job
from simpul.linkage import tasks
from simpul.linkage.models import AlertKind, LinkageAlert, LinkageRun, RunStatus
from simpul.migration import actions as migration
from simpul.migration.models import MissingReport, ReturnEvent
from simpul.regions.models import Region
from tests.conftest import sign_in
from tests.jobs.support import drain, start, wait_for
from tests.linkage.helpers import SEBUNGA, nik

BORN = date(1997, 8, 9)


def _report_missing() -> MissingReport:
    return migration.report_missing(
        User.objects.get(username="desa.sebunga"),
        migration.MissingInput(reported_on=date.today(), reported_by="family"),
        identity=IdentityData(
            full_name="Theresia Ningkan",
            nik=nik(BORN, 8801),
            birth_date=BORN.isoformat(),
            sex="F",
        ),
        home_village=Region.objects.get(pk=SEBUNGA),
    )


def _home_work(client: Client) -> dict[str, int]:
    html = client.get("/").content.decode()
    return {k: int(c) for k, c in re.findall(r'data-work="([^"]+)" data-count="(\d+)"', html)}


@pytest.mark.django_db(transaction=True)
def test_a_return_matching_an_open_missing_report_alerts_the_village_officer_through_the_worker(
    world,
):
    report = _report_missing()
    worker = start("worker", "--worker-id", "alerts", "--interval", "0.2", "--heartbeat", "1")
    try:
        # A linkage run queued from the runs page runs in the worker, its progress on the row.
        supervisor = sign_in(Client(), "supervisor.sambas")
        assert supervisor.post("/linkage/runs/", {"mode": "full", "engine": "duckdb"}).status_code
        run = LinkageRun.objects.get()
        wait_for(
            lambda: LinkageRun.objects.get(pk=run.pk).status == RunStatus.DONE,
            timeout=180,
            what="the linkage run to finish in the worker",
            process=worker,
        )
        run.refresh_from_db()
        assert (run.progress, run.stage, run.alerts) == (1.0, "done", 0)
        page = supervisor.get(f"/linkage/runs/{run.pk}/progress/").content.decode()
        assert "every 2s" not in page and 'value="100"' in page
        [run_job] = Job.objects.filter(task_name="run_linkage")
        assert run_job.progress == 100 and f"linkage run {run.pk}:" in run_job.log

        # The border post records the deportee through the real page: no NIK, name in capitals.
        border = sign_in(Client(), "pos.aruk")
        response = border.post(
            "/migration/returns/new/",
            {
                "full_name": "THERESIA NINGKAN",
                "birth_date": BORN.isoformat(),
                "sex": "F",
                "home_region": "61.01.09",
                "returned_on": timezone.localdate().isoformat(),
                "entry_point": "PLBN_ARUK",
                "kind": "deportation",
                "from_country": "MY",
                "travel_document": "splp",
                "passport": "SPLP 99812",
            },
        )
        assert response.status_code == 302
        event = ReturnEvent.objects.get()
        alert = wait_for(
            lambda: LinkageAlert.objects.filter(missing_report=report).first(),
            timeout=90,
            what="the alert raised by the worker",
            process=worker,
        )
        officer = sign_in(Client(), "desa.sebunga")
        wait_for(
            lambda: _home_work(officer).get("linkage.alerts_open") == 1,
            timeout=30,
            what="the alert on the officer's home page",
        )
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output

    assert (alert.kind, alert.source_kind, alert.source_id, alert.status) == (
        AlertKind.MISSING_MATCH,
        "return",
        str(event.pk),
        "open",
    )
    assert alert.user.username == "desa.sebunga" and alert.agency_id == report.owner_agency_id
    assert alert.person_id == event.person_id and alert.matched_person_id == report.person_id
    [check] = Job.objects.filter(task_name="check_return")
    result = DBTaskResult.objects.get(pk=check.pk)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    # The officer's alert list shows it; the border post (another agency) has nothing waiting.
    assert report.reference in officer.get("/linkage/alerts/").content.decode()
    assert "linkage.alerts_open" not in _home_work(border)

    # Idempotent: the same check run again (a retry, a second queue row) raises nothing new.
    again = enqueue(tasks.check_return, return_id=str(event.pk))
    drain()
    assert DBTaskResult.objects.get(pk=again.pk).return_value == 0
    assert LinkageAlert.objects.count() == 1
