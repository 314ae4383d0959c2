"""Linkage's two getters go through `core.scoping.get_in_scope`: a pair or alert outside the
reader's scope is a 404 like a missing one, and the refused attempt is audited (issue 13,
item 2)."""

from datetime import date

import pytest

from simpul.accounts.models import Agency
from simpul.audit.models import AuditEvent, Outcome
from simpul.linkage.models import AlertKind, AlertStatus, LinkageAlert, LinkedPair, PairStatus
from tests.linkage.helpers import add_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def tpi_only(world):
    """A pair and an alert wholly in Tanjungpinang, outside UPTD PPA Sambas's scope."""
    a = add_person("pekerja.tpi", "21.72", full_name="Rina Marlina", birth_date="1991", sex="F")
    b = add_person("pekerja.tpi", "21.72", full_name="Rina Marlin", birth_date="1991", sex="F")
    a, b = sorted([a, b], key=lambda p: str(p.pk))
    pair = LinkedPair.objects.create(
        person_a=a,
        person_b=b,
        probability=0.8,
        match_weight=3.0,
        weights={"name": 9.0},
        status=PairStatus.REVIEW,
    )
    alert = LinkageAlert.objects.create(
        kind=AlertKind.KNOWN_VICTIM,
        agency=Agency.objects.get(name="UPTD PPA Kota Tanjungpinang"),
        person=a,
        matched_person=b,
        source_kind="intake",
        source_date=date(2026, 1, 5),
        probability=0.9,
    )
    return pair, alert


def _denied(action):
    return list(
        AuditEvent.objects.filter(action=action, outcome=Outcome.DENIED).values_list(
            "record_id", "actor_username"
        )
    )


def test_an_out_of_scope_pair_is_a_404_and_the_refusal_is_audited(signed_in, tpi_only):
    pair, _alert = tpi_only
    client = signed_in("supervisor.sambas")
    assert client.get(f"/linkage/review/{pair.id}/").status_code == 404
    assert _denied("linkage.pair.access") == [(str(pair.id), "supervisor.sambas")]
    # A pair that does not exist: the same 404, nothing to audit.
    assert client.get("/linkage/review/999999/").status_code == 404
    assert len(_denied("linkage.pair.access")) == 1
    assert LinkedPair.objects.get(pk=pair.pk).status == PairStatus.REVIEW


def test_another_agency_alert_is_a_404_the_refusal_audited_and_nothing_changed(signed_in, tpi_only):
    _pair, alert = tpi_only
    client = signed_in("supervisor.sambas")
    response = client.post(f"/linkage/alerts/{alert.id}/", {"outcome": "dismiss"})
    assert response.status_code == 404
    assert _denied("linkage.alert.access") == [(str(alert.id), "supervisor.sambas")]
    assert LinkageAlert.objects.get(pk=alert.pk).status == AlertStatus.OPEN
