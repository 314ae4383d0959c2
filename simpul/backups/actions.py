"""Every write of the backups app: the canary, a backup, a restore drill; each audited.

These run as the system (the scheduler's jobs, an operator's command), so the audit entries
have no actor. A failure is recorded (a failed row with a reason code, an audit entry with
outcome `failed`) and raised again for the command or job to report.
"""

import hashlib
import logging
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from simpul.audit.log import record as audit
from simpul.audit.models import Outcome as AuditOutcome
from simpul.backups.choices import FailureReason, Outcome
from simpul.backups.database import ClientVersionError, Target
from simpul.backups.drill import DrillFailure, check_restored, scratch_database
from simpul.backups.dumping import DumpError, write_backup
from simpul.backups.fileformat import BackupFileError, BackupKeyMissing, keyring
from simpul.backups.models import Backup, Canary, RestoreDrill
from simpul.backups.restoring import restore
from simpul.backups.sealing import canary_aad
from simpul.identity.crypto import keyring as vault_keyring
from simpul.identity.crypto import seal_text

logger = logging.getLogger("simpul.backups")


class BackupFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def ensure_canary() -> Canary:
    """The canary sealed under the current vault key; a new one after a vault key change."""
    current = vault_keyring().current_id
    canary = Canary.objects.filter(key_id=current).order_by("-created_at").first()
    if canary is not None:
        return canary
    token = secrets.token_hex(32)
    with transaction.atomic():
        canary = Canary(key_id=current, digest=hashlib.sha256(token.encode()).hexdigest())
        canary.sealed = seal_text(token, canary_aad(canary.id))
        canary.save()
        audit("backup.canary", record=canary, fields=["sealed"])
    return canary


def default_path(vendor: str) -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BACKUP_DIR) / f"simpul-{vendor}-{stamp}-{secrets.token_hex(3)}.simpulbak"


def _finish_backup(backup: Backup, outcome: str, reason: str = "") -> Backup:
    backup.outcome, backup.failure_reason = outcome, reason
    backup.finished_at = timezone.now()
    with transaction.atomic():
        backup.save()
        audit(
            "backup.create",
            record=backup,
            count=backup.rows,
            reason=reason,
            outcome=AuditOutcome.OK if outcome == Outcome.OK else AuditOutcome.FAILED,
        )
    return backup


def create_backup(output: Path | None = None) -> Backup:
    """Write an encrypted backup of the database (to `output`, or a new file in
    SIMPUL_BACKUP_DIR) and record it. BackupFailed (after recording the failure) otherwise."""
    target = Target.default()
    backup = Backup(started_at=timezone.now(), outcome=Outcome.RUNNING, vendor=target.vendor)
    try:
        ring = keyring()
    except BackupKeyMissing as exc:
        _finish_backup(backup, Outcome.FAILED, FailureReason.NO_KEY)
        raise BackupFailed(FailureReason.NO_KEY, str(exc)) from exc
    canary = ensure_canary()
    path = Path(output) if output else default_path(target.vendor)
    backup.path, backup.key_id = str(path.resolve()), ring.current_id
    try:
        manifest = write_backup(target, path, ring, {"id": str(canary.id), "digest": canary.digest})
    except ClientVersionError as exc:
        _finish_backup(backup, Outcome.FAILED, FailureReason.CLIENT_VERSION)
        raise BackupFailed(FailureReason.CLIENT_VERSION, str(exc)) from exc
    except (DumpError, OSError) as exc:
        _finish_backup(backup, Outcome.FAILED, FailureReason.DUMP_FAILED)
        raise BackupFailed(FailureReason.DUMP_FAILED, str(exc)) from exc
    backup.size_bytes = path.stat().st_size
    backup.tables = len(manifest["tables"])
    backup.rows = sum(manifest["tables"].values())
    backup.audit_entries = manifest["audit"]["count"]
    # The manifest's time is the snapshot's: what a restore of this file brings back.
    backup.started_at = parse_datetime(manifest["created_at"]) or backup.started_at
    logger.info("backup written: %s (%d bytes)", path.name, backup.size_bytes)
    _finish_backup(backup, Outcome.OK)
    prune_backups()
    return backup


def prune_backups(keep: int | None = None) -> int:
    """Delete the files of good backups in SIMPUL_BACKUP_DIR beyond the newest `keep`
    (SIMPUL_BACKUP_KEEP); files written elsewhere (`--output`) are the operator's. Returns how
    many were removed."""
    keep = settings.BACKUP_KEEP if keep is None else keep
    directory = Path(settings.BACKUP_DIR).resolve()
    kept = Backup.objects.filter(outcome=Outcome.OK, removed_at__isnull=True)
    removed = 0
    for backup in kept.order_by("-started_at")[max(keep, 1) :]:
        path = Path(backup.path)
        if path.parent != directory:
            continue
        path.unlink(missing_ok=True)
        backup.removed_at = timezone.now()
        with transaction.atomic():
            backup.save(update_fields=["removed_at"])
            audit("backup.remove", record=backup, fields=["removed_at"])
        removed += 1
    return removed


def latest_backup() -> Backup | None:
    good = Backup.objects.filter(outcome=Outcome.OK, removed_at__isnull=True)
    return good.order_by("-started_at").first()


def _finish_drill(drill: RestoreDrill, outcome: str, reason: str = "") -> RestoreDrill:
    drill.outcome, drill.failure_reason = outcome, reason
    drill.finished_at = timezone.now()
    with transaction.atomic():
        drill.save()
        audit(
            "backup.drill",
            record=drill,
            count=drill.rows_checked,
            reason=reason,
            outcome=AuditOutcome.OK if outcome == Outcome.OK else AuditOutcome.FAILED,
        )
    return drill


def run_restore_drill(backup: Backup | None = None) -> RestoreDrill:
    """Restore the latest good backup into a scratch database, check it, record the drill.

    Returns the drill whatever its outcome (a failed drill is a result, not an error); the
    failure reason is a code, the detail goes to the log.
    """
    backup = backup or latest_backup()
    drill = RestoreDrill(started_at=timezone.now(), outcome=Outcome.RUNNING, backup=backup)
    if backup is None:
        return _finish_drill(drill, Outcome.FAILED, FailureReason.NO_BACKUP)
    drill.backup_path, drill.backup_created_at = backup.path, backup.started_at
    drill.rpo_seconds = (drill.started_at - backup.started_at).total_seconds()
    try:
        ring = keyring()
        source = Target.default()
        with scratch_database(source) as scratch:
            began = time.monotonic()
            restored = restore(Path(backup.path), scratch, ring)
            drill.rto_seconds = round(time.monotonic() - began, 3)
            manifest_time = parse_datetime(restored.manifest["created_at"])
            if manifest_time is not None:
                drill.backup_created_at = manifest_time
                drill.rpo_seconds = (drill.started_at - manifest_time).total_seconds()
            checks = check_restored(scratch, restored.manifest)
    except BackupKeyMissing:
        return _finish_drill(drill, Outcome.FAILED, FailureReason.NO_KEY)
    except (BackupFileError, DrillFailure) as exc:
        logger.warning("restore drill failed: %s (%s)", exc.code, exc)
        code = exc.code if exc.code in FailureReason.values else FailureReason.ERROR
        return _finish_drill(drill, Outcome.FAILED, code)
    except ClientVersionError as exc:
        logger.warning("restore drill failed: %s", exc)
        return _finish_drill(drill, Outcome.FAILED, FailureReason.CLIENT_VERSION)
    except Exception as exc:
        # The class only: a driver's message may quote row values.
        logger.error("restore drill failed unexpectedly: %s", type(exc).__name__)
        return _finish_drill(drill, Outcome.FAILED, FailureReason.ERROR)
    drill.tables_checked, drill.rows_checked = checks.tables, checks.rows
    drill.audit_entries_verified = checks.audit_entries
    return _finish_drill(drill, Outcome.OK)
