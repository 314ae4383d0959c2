"""Issue 21, finding 6: the audit chain can be rewritten or cut.

The probe, with database access: (a) deleted reveal events and recomputed the SHA-256 chain;
(b) deleted the newest rows. `verify_audit` reported both "intact". Now the chain is MACed with a
key outside the database and its head is anchored outside the database.
"""

import base64
import hashlib
import hmac
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from simpul.audit.chain import REKEY_ACTION, canonical, entry_hash, verify_all
from simpul.audit.log import record
from simpul.audit.models import AuditEvent


@pytest.fixture
def anchors(settings, tmp_path):
    path = tmp_path / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_PATH = str(path)
    return path


def _new_key(key_id: str) -> str:
    return f"{key_id}:" + base64.b64encode(os.urandom(32)).decode()


def _raw(sql_and_params: list[tuple[str, list[object]]]) -> None:
    """Statements run the way someone with direct database access could run them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
        for sql, params in sql_and_params:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def _delete(ids: list[int]) -> None:
    _raw([("DELETE FROM audit_auditevent WHERE id = %s", [i]) for i in ids])


def _rechain(mac, *, strip_key_id: bool = False) -> None:
    """Recompute every prev_hash/entry_hash with `mac(prev, event)`, as the probe did."""
    statements = []
    prev = "0" * 64
    for event in AuditEvent.objects.order_by("id"):
        if strip_key_id:
            event.key_id = ""
        new = mac(prev, event)
        statements.append(
            (
                "UPDATE audit_auditevent SET prev_hash = %s, entry_hash = %s, key_id = %s "
                "WHERE id = %s",
                [prev, new, event.key_id, event.id],
            )
        )
        prev = new
    _raw(statements)


def _plain_sha256(prev: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev.encode() + b"|" + canonical(event)).hexdigest()


def _reveals_and_others() -> tuple[list[AuditEvent], list[AuditEvent]]:
    events = []
    for i in range(8):
        action = "person.reveal" if i in (2, 5) else "person.view"
        events.append(record(action, record_type="identity.person", record_id=str(i)))
    reveals = [e for e in events if e.action == "person.reveal"]
    return reveals, events


def _verify_fails(*fragments: str) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", "--no-anchor")
    message = str(exc.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.django_db
def test_an_untouched_chain_verifies_and_is_anchored(anchors, capsys):
    _reveals_and_others()
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "Audit chain intact: 8 entries verified." in out
    last = AuditEvent.objects.order_by("-id").first()
    assert f"Anchored entry #{last.id} (8 entries)" in out
    lines = anchors.read_text().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert (line["last_id"], line["count"], line["head"]) == (last.id, 8, last.entry_hash)
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {"a1"}
    record("person.view")
    call_command("anchor_audit")
    assert len(anchors.read_text().splitlines()) == 2
    assert verify_all().ok


@pytest.mark.django_db
def test_entries_are_hmac_not_plain_sha256():
    event = record("person.view")
    assert event.entry_hash != _plain_sha256(event.prev_hash, event)
    assert event.entry_hash == entry_hash(event.prev_hash, event)


@pytest.mark.django_db
def test_deleted_reveals_with_the_chain_recomputed_in_plain_sha256_are_found():
    reveals, events = _reveals_and_others()
    assert verify_all().ok
    _delete([e.id for e in reveals])
    _rechain(_plain_sha256)
    assert AuditEvent.objects.count() == 6
    _verify_fails(f"Audit chain broken at entry #{events[0].id}", "changed after it was written")


@pytest.mark.django_db
def test_a_chain_recomputed_as_unkeyed_legacy_sha256_is_not_trusted():
    reveals, _events = _reveals_and_others()
    _delete([e.id for e in reveals])
    _rechain(_plain_sha256, strip_key_id=True)
    _verify_fails("chain is not keyed")


@pytest.mark.django_db
def test_deleted_reveals_with_the_chain_recomputed_under_a_wrong_key_are_found():
    reveals, events = _reveals_and_others()
    wrong = os.urandom(32)
    _delete([e.id for e in reveals])
    _rechain(
        lambda prev, e: hmac.new(wrong, prev.encode() + b"|" + canonical(e), "sha256").hexdigest()
    )
    _verify_fails(f"Audit chain broken at entry #{events[0].id}", "changed after it was written")


@pytest.mark.django_db
def test_deleting_the_newest_entries_is_found_through_the_anchor(anchors):
    _reveals_and_others()
    call_command("anchor_audit")
    newest = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:3])
    _delete(newest)
    assert verify_all().first_broken_id == newest[0]  # the anchored head is gone
    _verify_fails("the chain was cut")
    # ...also when the application has written new entries on top of the cut chain.
    record("person.view")
    record("person.view")
    _verify_fails("the chain was cut")
    # and an anchoring run refuses to vouch for it: nothing is appended.
    with pytest.raises(CommandError, match="the chain was cut"):
        call_command("anchor_audit")
    assert len(anchors.read_text().splitlines()) == 1


@pytest.mark.django_db
def test_without_an_anchor_a_cut_tail_would_pass(settings):
    """Why the anchor exists: the chain alone cannot see its newest entries deleted."""
    settings.AUDIT_ANCHOR_PATH = ""
    _reveals_and_others()
    _delete(list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:3]))
    assert verify_all().ok


@pytest.mark.django_db
def test_an_edited_anchor_line_is_found(anchors):
    _reveals_and_others()
    call_command("anchor_audit")
    line = json.loads(anchors.read_text())
    line["count"] = 5
    anchors.write_text(json.dumps(line) + "\n")
    _verify_fails("Audit chain cannot be trusted", "anchor line 1 was altered")


@pytest.mark.django_db
def test_an_anchor_names_a_head_that_was_rewritten(anchors, settings):
    _reveals_and_others()
    call_command("anchor_audit")
    # Someone who holds the key but not the anchors rewrites the chain without the reveals.
    reveals = AuditEvent.objects.filter(action="person.reveal")
    _delete(list(reveals.values_list("id", flat=True)))
    _rechain(entry_hash)
    assert AuditEvent.objects.count() == 6
    _verify_fails("rewritten")


@pytest.mark.django_db
def test_key_rotation_old_entries_verify_with_the_old_key(anchors, settings):
    old = settings.AUDIT_KEYS
    first = [record("person.view") for _ in range(3)]
    call_command("anchor_audit")
    settings.AUDIT_KEYS = f"{_new_key('a2')},{old}"
    second = [record("person.view") for _ in range(3)]
    assert {e.key_id for e in first} == {"a1"}
    assert {e.key_id for e in second} == {"a2"}
    call_command("verify_audit")  # the old anchor (a1) and chain verify; a new anchor (a2)
    assert json.loads(anchors.read_text().splitlines()[-1])["key_id"] == "a2"
    # Dropping the old key is refused: its entries can no longer be checked.
    settings.AUDIT_KEYS = settings.AUDIT_KEYS.split(",")[0]
    _verify_fails("unknown audit key")


def _legacy(count: int) -> list[AuditEvent]:
    """Entries as the code before the keyed chain wrote them (plain SHA-256, no key id)."""
    events, prev = [], "0" * 64
    for i in range(count):
        event = AuditEvent(
            occurred_at=timezone.now(),
            action="person.reveal" if i == 1 else "person.view",
            record_type="identity.person",
            record_id=str(i),
            prev_hash=prev,
        )
        event.entry_hash = entry_hash(prev, event)
        event.save()
        events.append(event)
        prev = event.entry_hash
    return events


@pytest.mark.django_db
def test_a_legacy_chain_is_keyed_by_a_marker_and_then_verifies(capsys):
    legacy = _legacy(4)
    assert legacy[0].entry_hash == _plain_sha256("0" * 64, legacy[0])
    _verify_fails("chain is not keyed (run simpul rekey_audit)")
    call_command("rekey_audit")
    assert "binds 4 legacy entries" in capsys.readouterr().out
    marker = AuditEvent.objects.order_by("-id").first()
    assert (marker.action, marker.count, marker.prev_hash) == (
        REKEY_ACTION,
        4,
        legacy[-1].entry_hash,
    )
    record("person.view")
    call_command("verify_audit", "--no-anchor")
    assert "Audit chain intact: 6 entries verified." in capsys.readouterr().out
    call_command("rekey_audit")
    assert "already keyed" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_first_entry_after_the_upgrade_keys_a_legacy_chain():
    _legacy(3)
    event = record("person.view")
    marker = AuditEvent.objects.get(action=REKEY_ACTION)
    assert (marker.count, event.prev_hash) == (3, marker.entry_hash)
    assert verify_all().ok


@pytest.mark.django_db
def test_a_legacy_prefix_rewritten_after_the_marker_is_found():
    legacy = _legacy(4)
    record("person.view")  # keys the chain
    # Delete the legacy reveal and recompute the legacy prefix in plain SHA-256.
    _delete([legacy[1].id])
    statements, prev = [], "0" * 64
    for event in AuditEvent.objects.filter(key_id="").order_by("id"):
        new = _plain_sha256(prev, event)
        statements.append(
            (
                "UPDATE audit_auditevent SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                [prev, new, event.id],
            )
        )
        prev = new
    _raw(statements)
    marker = AuditEvent.objects.get(action=REKEY_ACTION)
    _verify_fails(f"broken at entry #{marker.id}", "previous hash does not match")


def test_production_refuses_to_start_without_the_audit_key():
    from tests.test_headers_and_settings import _import_settings, _settings_env

    env = _settings_env(
        SIMPUL_SECRET_KEY=base64.b64encode(os.urandom(48)).decode(),
        SIMPUL_VAULT_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_ALLOWED_HOSTS="simpul.example.go.id",
    )
    result = _import_settings(env)
    assert result.returncode == 1
    assert "SIMPUL_AUDIT_KEY must be set outside development and demo mode." in result.stderr


@pytest.mark.django_db
def test_an_emptied_table_is_found_through_the_anchor(anchors):
    _reveals_and_others()
    call_command("anchor_audit")
    _delete(list(AuditEvent.objects.values_list("id", flat=True)))
    assert AuditEvent.objects.count() == 0
    _verify_fails("(8 entries) is gone: the chain was cut")


@pytest.mark.django_db
def test_the_audit_page_reports_a_cut_chain(anchors, signed_in):
    client = signed_in("sysadmin")
    call_command("anchor_audit")
    assert (
        "Chain intact" in client.post("/audit/verify/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    call_command("anchor_audit")
    _delete([newest])
    body = client.post("/audit/verify/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Chain broken at entry #{newest}." in body
    assert "the chain was cut" in body
