"""AL-01..AL-03: every access is audited, in the same transaction, on a tamper-evident chain."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from simpul.audit.chain import verify_all
from simpul.audit.log import record
from simpul.audit.models import AuditAppendOnlyError, AuditEvent
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person


def _tamper(event_id: int, reason: str) -> None:
    """Change a row the way a superuser with direct database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(
                "UPDATE audit_auditevent SET reason = %s WHERE id = %s", [reason, event_id]
            )
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute(
                "UPDATE audit_auditevent SET reason = %s WHERE id = %s", [reason, event_id]
            )


@pytest.mark.django_db
def test_a_fresh_chain_verifies(capsys):
    for i in range(5):
        record("test.event", record_type="x", record_id=str(i))
    call_command("verify_audit")
    assert "Audit chain intact: 5 entries verified." in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_audit_names_the_first_tampered_entry():
    events = [record("test.event", record_type="x", record_id=str(i)) for i in range(6)]
    _tamper(events[3].id, "edited afterwards")
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert f"Audit chain broken at entry #{events[3].id}" in str(exc.value)
    assert "entry was changed after it was written" in str(exc.value)


@pytest.mark.django_db
def test_a_deleted_entry_inside_the_chain_is_found():
    events = [record("test.event", record_type="x", record_id=str(i)) for i in range(4)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    report = verify_all()
    assert report.first_broken_id == events[2].id
    assert report.problem == "previous hash does not match"


@pytest.mark.django_db
def test_the_orm_cannot_change_or_delete_audit_entries():
    event = record("test.event")
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.reason = "x"
    with pytest.raises(AuditAppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db
def test_the_database_refuses_a_raw_update():
    event = record("test.event")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.id])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_postgres_refuses_a_raw_delete():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only trigger; SQLite allows DELETE for the test flush")
    event = record("test.event")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.id])
    assert AuditEvent.objects.filter(pk=event.pk).count() == 1


@pytest.mark.django_db
def test_a_failed_audit_write_rolls_the_change_back(world, monkeypatch):
    from simpul.accounts.models import Agency, User

    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    persons_before = Person.objects.count()
    events_before = AuditEvent.objects.count()

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("simpul.identity.actions.audit", broken_audit)
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        create_person(
            worker, IdentityData(full_name="Siti Aminah"), owner_agency=agency, scope_region=None
        )
    assert Person.objects.count() == persons_before
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db
def test_audit_entries_name_fields_never_values(world):
    from simpul.accounts.models import Agency, User

    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    person, _ = create_person(
        worker,
        IdentityData(full_name="Kanari Burung", nik="6101094101900002", phone="081234567890"),
        owner_agency=agency,
        scope_region=None,
    )
    event = AuditEvent.objects.get(action="person.create", record_id=str(person.id))
    assert event.fields == ["full_name", "nik", "phone"]
    assert event.actor_username == "pekerja.sambas"
    assert event.agency_id == agency.id
    text = str(list(AuditEvent.objects.values()))
    for secret in ["Kanari", "6101094101900002", "81234567890"]:
        assert secret not in text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_linear_chain():
    errors: list[Exception] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                record("test.concurrent", record_type="w", record_id=f"{n}-{i}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 80
    report = verify_all()
    assert report.ok, report
    assert report.checked == AuditEvent.objects.count()
