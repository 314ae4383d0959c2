"""Issue 21, finding 8 (storage): a search is audited with what it looked for, sealed.

The searched text is stored sealed under the vault keys and as a keyed blind index, so "who
searched for NIK X" can be answered by the audit page, and the term itself only revealed with a
reason, which is audited in turn. The cleartext is in no column, no chain input and no URL.
"""

import pytest
from django.db import connection
from django.utils import translation

from simpul.audit.chain import canonical, verify_all
from simpul.audit.log import open_searched, record, searched_index
from simpul.audit.models import AuditEvent

CANARY_NIK = "6101094101907777"
CANARY_PHONE = "0812-9876-5432"
CANARY_NAME = "Kenari Sumbawa"


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        return repr(cursor.fetchall())


@pytest.mark.django_db
def test_a_search_is_stored_sealed_with_a_blind_index_never_in_cleartext():
    event = record("person.search", record_type="identity.person", count=1, searched=CANARY_NIK)
    event.refresh_from_db()
    assert event.searched_sealed and event.searched_sealed != CANARY_NIK
    assert event.searched_index == searched_index("6101 0941 0190 7777")
    assert open_searched(event) == CANARY_NIK
    raw = _raw_rows()
    assert CANARY_NIK not in raw and "0941019077" not in raw
    assert CANARY_NIK.encode() not in canonical(event)
    assert verify_all().ok


@pytest.mark.django_db
def test_the_index_reads_identifiers_like_the_person_search():
    assert searched_index("6101-0941-0190-7777") == searched_index(CANARY_NIK)
    assert searched_index("+62 812 9876 5432") == searched_index(CANARY_PHONE)
    assert searched_index("  kenari  SUMBAWA ") == searched_index(CANARY_NAME)
    assert searched_index(CANARY_NAME) != searched_index("Kenari Sumatra")
    # Keyed: not a plain hash anyone could recompute from a guessed NIK.
    import hashlib

    assert searched_index(CANARY_NIK) != hashlib.sha256(CANARY_NIK.encode()).hexdigest()


@pytest.mark.django_db
def test_a_sealed_term_moved_to_another_entry_does_not_open():
    from simpul.identity.crypto import VaultIntegrityError

    first = record("person.search", searched=CANARY_NIK)
    second = record("person.search", searched="someone else")
    second.searched_sealed = first.searched_sealed  # in memory only
    with pytest.raises(VaultIntegrityError):
        open_searched(second)


@pytest.mark.django_db
def test_an_entry_without_a_search_stores_nothing():
    event = record("person.view", record_type="identity.person", record_id="x")
    assert (event.searched_sealed, event.searched_index) == ("", "")
    assert record("person.search", searched="   ").searched_sealed == ""


@pytest.mark.django_db
def test_the_audit_page_finds_searches_by_identifier_by_post_only(signed_in):
    hit = record("person.search", searched=CANARY_NIK)
    record("case.search", searched=CANARY_NAME)
    phone_hit = record("person.search", searched=CANARY_PHONE)
    client = signed_in("sysadmin")
    translation.activate("en")

    # A GET with the identifier in the URL does not look anything up.
    response = client.get("/audit/searched/", {"identifier": CANARY_NIK})
    assert response.status_code == 405

    response = client.post(
        "/audit/searched/", {"identifier": "6101 0941 0190 7777"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-lookup-count="1"' in body
    assert f'id="searched-{hit.id}"' in body
    assert f'id="searched-{phone_hit.id}"' not in body
    assert CANARY_NIK not in body and "6101 0941 0190 7777" not in body  # never echoed

    lookup = AuditEvent.objects.get(action="audit.searched_lookup")
    assert lookup.actor_username == "sysadmin"
    assert lookup.count == 1
    assert lookup.searched_index == searched_index(CANARY_NIK)  # the lookup is itself findable

    response = client.post("/audit/searched/", {"identifier": "+6281298765432"})
    assert 'data-lookup-count="1"' in response.content.decode()
    assert f'id="searched-{phone_hit.id}"' in response.content.decode()
    assert CANARY_NIK not in _raw_rows()


@pytest.mark.django_db
def test_revealing_a_searched_term_needs_a_reason_and_is_audited(signed_in):
    hit = record("person.search", searched=CANARY_NAME)
    client = signed_in("sysadmin")

    refused = client.post(f"/audit/{hit.id}/searched/", {"reason": "short"})
    assert refused.status_code == 422
    assert CANARY_NAME not in refused.content.decode()
    denied = AuditEvent.objects.get(action="audit.reveal_searched")
    assert (denied.outcome, denied.record_id) == ("denied", str(hit.id))

    reason = "pemeriksaan pengaduan 12/2026"
    response = client.post(f"/audit/{hit.id}/searched/", {"reason": reason})
    assert response.status_code == 200
    assert f'data-searched="{hit.id}">{CANARY_NAME}<' in response.content.decode()
    reveal = AuditEvent.objects.get(action="audit.reveal_searched", outcome="ok")
    assert reveal.reason == reason
    assert reveal.record_id == str(hit.id)
    assert reveal.fields == ["searched"]

    plain = record("person.view")
    assert client.post(f"/audit/{plain.id}/searched/", {"reason": "x" * 20}).status_code == 404
    assert verify_all().ok


@pytest.mark.django_db
def test_only_audit_readers_can_look_up_or_reveal(signed_in):
    hit = record("person.search", searched=CANARY_NIK)
    client = signed_in("pekerja.sambas")
    before = AuditEvent.objects.filter(
        action__in=["audit.reveal_searched", "audit.searched_lookup"]
    ).count()
    assert client.post("/audit/searched/", {"identifier": CANARY_NIK}).status_code == 403
    assert (
        client.post(f"/audit/{hit.id}/searched/", {"reason": "ingin tahu saja ya"}).status_code
        == 403
    )
    after = AuditEvent.objects.filter(
        action__in=["audit.reveal_searched", "audit.searched_lookup"]
    ).count()
    assert after == before == 0
