"""Issue 14, item 5: a backup of the demo world restores into an empty database intact, and the
scheduled drill restores the latest backup and records the RPO and RTO it achieved.

The commands run as real processes (`simpul backup`, `simpul restore`) against the test
database, so these tests commit (transactional); the restore target is a second database made
here (a new SQLite file, or a PostgreSQL database created and dropped).
"""

import glob
import hashlib
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from simpul.audit.chain import verify
from simpul.audit.models import AuditEvent
from simpul.backups.actions import create_backup, ensure_canary, run_restore_drill
from simpul.backups.choices import Outcome
from simpul.backups.database import POSTGRESQL, Target, counts_of, row_counts
from simpul.backups.drill import connection_to
from simpul.backups.models import Backup, RestoreDrill
from simpul.backups.sealing import canary_aad
from simpul.identity.crypto import open_text
from simpul.identity.models import Person
from simpul.identity.queries import IdentityOpener
from simpul.jobs.actions import enqueue_slots
from simpul.jobs.models import Job
from simpul.jobs.schedule import due_slots
from tests.backups.support import empty_database, run
from tests.jobs.support import drain


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return row_counts(cursor, connection.vendor)


@pytest.mark.django_db(transaction=True)
def test_the_demo_world_backed_up_restores_into_an_empty_database_with_everything_intact(
    world, tmp_path
):
    canary = ensure_canary()  # made now, so the command adds no row before its snapshot
    before = _counts()
    head = AuditEvent.objects.order_by("-id").first()
    assert before["identity_person"] > 0 and before["audit_auditevent"] >= 10
    file = tmp_path / "world.simpulbak"

    made = run("backup", "--output", str(file))

    assert made.returncode == 0, made.stderr
    raw = file.read_bytes()
    assert raw.startswith(b"SIMPULBK")
    assert b"UPTD PPA Kabupaten Sambas" not in raw  # an agency name stored in clear: encrypted
    backup = Backup.objects.get()
    assert (backup.outcome, backup.rows, backup.tables) == (
        Outcome.OK,
        sum(before.values()),
        len(before),
    )
    assert backup.audit_entries == before["audit_auditevent"]
    assert str(file) in made.stdout and oct(file.stat().st_mode & 0o777) == "0o600"

    with empty_database(tmp_path) as target:
        restored = run("restore", str(file), "--database-url", target.url())

        assert restored.returncode == 0, restored.stderr + restored.stdout
        assert "Row counts equal the manifest's." in restored.stdout
        assert counts_of(target) == before
        with connection_to(target) as alias:
            report = verify(AuditEvent.objects.using(alias).order_by("id").iterator())
            assert report.ok, report.problem
            assert (report.checked, report.head_id, report.head_hash) == (
                before["audit_auditevent"],
                head.id,
                head.entry_hash,
            )
            row = type(canary).objects.using(alias).get(pk=canary.pk)
            token = open_text(row.sealed, canary_aad(row.pk))
            assert hashlib.sha256(token.encode()).hexdigest() == canary.digest
            # Real identities open too, to the same bytes as in the source database.
            opener = IdentityOpener()
            for person in Person.objects.using(alias).order_by("pk")[:3]:
                source = Person.objects.get(pk=person.pk)
                assert opener.open(person.sealed_identity, str(person.pk)) == opener.open(
                    source.sealed_identity, str(source.pk)
                )

    # `simpul restore_drill` restores the same file (the latest backup) into a scratch copy.
    drill = run("restore_drill")
    assert drill.returncode == 0, drill.stderr + drill.stdout
    assert "Restore drill passed" in drill.stdout and "canary opened" in drill.stdout
    assert RestoreDrill.objects.get().backup_id == backup.pk


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_drill_restores_the_latest_backup_checks_it_and_records_rpo_and_rto(
    world,
):
    backup = create_backup()
    assert backup.outcome == Outcome.OK
    two_hours_later = timezone.now() + timedelta(hours=2)

    with time_machine.travel(two_hours_later, tick=True):
        slots = enqueue_slots([s for s in due_slots(timezone.now()) if s[0] == "restore_drill"])
        assert [s.job_name for s in slots] == ["restore_drill"]
        drain()  # what `simpul worker` does

    drill = RestoreDrill.objects.get()
    assert (drill.outcome, drill.failure_reason, drill.backup_id) == (Outcome.OK, "", backup.pk)
    assert 7200 <= drill.rpo_seconds < 7200 + 120  # the backup's age when the drill began
    assert 0 < drill.rto_seconds < 120  # the restore's wall time
    assert (drill.tables_checked, drill.rows_checked) == (backup.tables, backup.rows)
    assert drill.audit_entries_verified == backup.audit_entries
    job = Job.objects.get(pk=slots[0].result_id)
    assert f"drill {drill.pk}: ok" in job.log
    assert AuditEvent.objects.filter(action="backup.drill", record_id=str(drill.pk)).count() == 1
    # The scratch copy is gone.
    source = Target.default()
    if source.vendor == POSTGRESQL:
        with source.pg_connect() as conn:
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()]
        assert f"{source.name}_drill" not in names
    else:
        assert glob.glob(f"{tempfile.gettempdir()}/simpul-drill-*") == []


@pytest.mark.django_db
def test_a_drill_without_a_backup_or_of_a_damaged_one_fails_with_its_reason():
    assert run_restore_drill().failure_reason == "no_backup"
    backup = create_backup()
    with open(backup.path, "r+b") as fh:
        fh.truncate(fh.seek(0, 2) - 100)

    drill = run_restore_drill()

    assert (drill.outcome, drill.failure_reason) == (Outcome.FAILED, "truncated")
    assert drill.rto_seconds is None and drill.rpo_seconds >= 0
    failed = AuditEvent.objects.filter(action="backup.drill", outcome="failed")
    assert failed.count() == 2


@pytest.mark.django_db
def test_only_the_newest_backups_in_the_backup_directory_are_kept(settings, tmp_path):
    settings.BACKUP_KEEP = 2
    mine = create_backup(tmp_path / "mine.simpulbak")  # written elsewhere: the operator's
    made = [create_backup() for _ in range(3)]

    assert [Path(b.path).exists() for b in made] == [False, True, True]
    assert Backup.objects.get(pk=made[0].pk).removed_at is not None
    assert Path(mine.path).exists() and Backup.objects.get(pk=mine.pk).removed_at is None
    assert AuditEvent.objects.filter(action="backup.remove").count() == 1
