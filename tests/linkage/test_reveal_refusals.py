"""Issue 21, finding 8: a refused reveal on the linkage pair page (no reason) is audited as a
denied `person.reveal` of each person shown, and nothing is revealed."""

from datetime import date

import pytest

from simpul.audit.models import AuditEvent
from simpul.linkage.models import LinkedPair, PairStatus
from tests.linkage.helpers import SEBUNGA, add_person, nik, run

pytestmark = pytest.mark.django_db


def test_a_pair_reveal_without_a_reason_is_audited_as_refused(signed_in, world):
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
    pair = LinkedPair.objects.get(status=PairStatus.REVIEW)
    client = signed_in("supervisor.sambas")
    refused = client.post(f"/linkage/review/{pair.id}/reveal/", {"reason": "short"})
    assert "Rina Marlina" not in refused.content.decode()
    denied = AuditEvent.objects.filter(action="person.reveal", outcome="denied")
    assert sorted(denied.values_list("record_id", flat=True)) == sorted(
        [str(pair.person_a_id), str(pair.person_b_id)]
    )
    assert set(denied.values_list("reason", flat=True)) == {"no_reason"}
    assert not AuditEvent.objects.filter(action="person.reveal", outcome="ok").exists()
