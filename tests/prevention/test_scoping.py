"""Prevention reads follow each role's scope through `simpul.core.scoping.reach_q`, and the
coverage page lists only villages with data the viewer reaches (issue 13, item 2)."""

import pytest

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent, Outcome
from simpul.prevention import queries
from simpul.prevention.models import OutreachEvent
from tests.prevention.conftest import SANTABAN, SEBUNGA, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(coordinator, kalbar):
    """GT Kalbar (province task force) holds an event in Santaban; UPTD PPA Sambas (a case
    supervisor, agency scope, jurisdiction Sambas) one in Sebunga."""
    supervisor = User.objects.get(username="supervisor.sambas")
    uptd = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    gt_event = make_event(coordinator, kalbar, SANTABAN, n_questions=0)
    uptd_event = make_event(supervisor, uptd, SEBUNGA, n_questions=0)
    return supervisor, gt_event, uptd_event


def test_an_agency_scoped_role_reaches_its_own_agency_outreach_only(two_agencies, coordinator):
    supervisor, gt_event, uptd_event = two_agencies
    # Before: the supervisor's agency jurisdiction (Sambas) gave it the task force's event too.
    assert list(queries.events_for(supervisor)) == [uptd_event]
    # The task force (aggregates-only role) reaches its whole province.
    assert set(queries.events_for(coordinator)) == {gt_event, uptd_event}
    # The village officer (jurisdiction scope) reaches the events in their village.
    desa = User.objects.get(username="desa.sebunga")
    assert list(queries.events_for(desa)) == [uptd_event]


def test_another_agency_event_is_refused_and_the_refusal_audited(two_agencies, signed_in):
    _supervisor, gt_event, _uptd_event = two_agencies
    client = signed_in("supervisor.sambas")
    assert client.get(f"/prevention/events/{gt_event.id}/").status_code == 404
    refusal = AuditEvent.objects.get(action="prevention.event.access", outcome=Outcome.DENIED)
    assert refusal.record_id == str(gt_event.id) and refusal.actor_username == "supervisor.sambas"
    assert client.get("/prevention/events/").context["events"].count() == 1


def test_the_coverage_page_lists_no_village_of_an_out_of_scope_agency_event(
    two_agencies, signed_in
):
    client = signed_in("supervisor.sambas")
    response = client.get("/prevention/coverage/", {"area": "61.01"})  # a regency: villages
    assert response.status_code == 200  # with data only
    listed = [r.region.code for r in response.context["rows"]]
    assert listed == [SEBUNGA]  # the task force's event in Santaban does not list Santaban
    (row,) = response.context["rows"]
    assert row.events_12m == 1
    # The task force sees both villages for the same area.
    rows = signed_in("gt.kalbar").get("/prevention/coverage/", {"area": "61.01"}).context["rows"]
    assert sorted(r.region.code for r in rows) == [SEBUNGA, SANTABAN]
    assert OutreachEvent.objects.count() == 2
