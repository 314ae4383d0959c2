"""Issue 12, item 2: reports never vanish. Every report in scope is listed, filtered and
searched; triaged reports not yet done stay on the worklist; the home-page counts."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.intake.actions import IntakeDetails, record_intake, triage
from simpul.intake.models import Intake, Status
from simpul.intake.queries import ReportFilters, reports, waiting_work
from simpul.regions.models import Region


def _operator() -> User:
    return User.objects.get(username="operator.sambas")


def _report(channel: str = "hotline", **details: object) -> Intake:
    return record_intake(
        _operator(),
        IntakeDetails(channel=channel, narrative="Laporan.", **details),  # type: ignore[arg-type]
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
    )


def _triage(intake: Intake, decision: str, **kw: object) -> Intake:
    return triage(_operator(), intake, decision, immediate_danger=False, child_involved=False, **kw)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_every_report_in_scope_is_listed_with_filters_and_search(world):
    operator = _operator()
    village = Region.objects.get(pk="61.01.09.2002")
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = _report("sms")
    danger = _report(immediate_danger=True, place_region=village)
    child = _report("whatsapp", child_involved=True)
    screened = _report()
    _triage(screened, "screen")
    closed = _report()
    _triage(closed, "no_action", reason="Salah sambung, bukan TPPO.")
    assert set(reports(operator)) == {old, danger, child, screened, closed}
    assert list(reports(operator, ReportFilters(status=Status.TRIAGED))) == [screened]
    assert list(reports(operator, ReportFilters(status=Status.CLOSED))) == [closed]
    assert list(reports(operator, ReportFilters(channel="sms"))) == [old]
    assert list(reports(operator, ReportFilters(urgency="immediate_danger"))) == [danger]
    assert list(reports(operator, ReportFilters(urgency="child"))) == [child]
    assert list(reports(operator, ReportFilters(region="61.01.09"))) == [danger]
    today = timezone.localdate()
    assert old not in reports(operator, ReportFilters(received_from=today - timedelta(days=2)))
    assert list(reports(operator, ReportFilters(received_to=today - timedelta(days=5)))) == [old]
    assert list(reports(operator, ReportFilters(reference=child.reference[-6:].lower()))) == [child]
    # Another agency's worker sees none of them.
    assert list(reports(User.objects.get(username="pekerja.tpi"))) == []


@pytest.mark.django_db
def test_the_report_list_page_filters_and_keeps_its_query_count_as_it_grows(signed_in):
    client = signed_in("operator.sambas")
    for _ in range(3):
        _report()
    with CaptureQueriesContext(connection) as small:
        page = client.get("/intake/", {"status": "new"})
    assert page.status_code == 200
    assert page.content.decode().count("data-reference=") == 3
    for _ in range(30):
        _report(immediate_danger=True)
    with CaptureQueriesContext(connection) as large:
        page = client.get("/intake/", {"status": "new"})
    assert page.content.decode().count("data-reference=") == 25  # paged
    assert len(large.captured_queries) == len(small.captured_queries)
    second = client.get("/intake/", {"status": "new", "page": 2})
    assert second.content.decode().count("data-reference=") == 8
    refused = client.get("/intake/", {"status": "bogus"})
    assert refused.status_code == 422
    assert "status" in refused.context["form"].errors


@pytest.mark.django_db
def test_triaged_reports_not_yet_done_stay_on_the_worklist(signed_in):
    client = signed_in("operator.sambas")
    waiting = _report()
    screened = _report()
    _triage(screened, "screen")
    closed = _report()
    _triage(closed, "no_action", reason="Iseng.")
    page = client.get("/intake/queue/").content.decode()
    assert f'data-reference="{waiting.reference}"' in page
    assert f'data-reference="{screened.reference}"' in page
    assert f'data-reference="{closed.reference}"' not in page


@pytest.mark.django_db
def test_waiting_work_counts_reports_for_the_roles_that_triage_only(world):
    _report()
    _report(immediate_danger=True)
    _triage(_report(), "screen")
    _triage(_report(), "no_action", reason="Bukan kasus.")
    for username in ("operator.sambas", "supervisor.sambas"):
        work = {w.key: w for w in waiting_work(User.objects.get(username=username))}
        assert set(work) == {"intake.waiting_triage", "intake.triaged_not_done"}
        assert (work["intake.waiting_triage"].count, work["intake.waiting_triage"].urgent) == (
            2,
            True,
        )
        assert work["intake.triaged_not_done"].count == 1
        assert work["intake.waiting_triage"].url == "/intake/?status=new"
        assert work["intake.triaged_not_done"].url == "/intake/?status=triaged"
    for username in (
        "jaksa.sambas",
        "pekerja.sambas",
        "polisi.sambas",
        "gt.kalbar",
        "desa.sebunga",
    ):
        assert waiting_work(User.objects.get(username=username)) == []
    # Another UPTD's supervisor-less operator world: nothing of Sambas counted elsewhere.
    assert waiting_work(User.objects.get(username="pekerja.tpi")) == []
