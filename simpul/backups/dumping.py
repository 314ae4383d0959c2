"""Writing a backup file: a consistent snapshot of the database, its manifest, encrypted.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the manifest (row counts,
migrations, audit head) is read in that transaction and `pg_dump -Fc --snapshot=...` dumps the
very same snapshot, streamed through the encryption, never on disk in clear. SQLite: the online
backup API copies the database into a private temporary directory (mode 0700); the manifest is
read from the copy, the copy is encrypted and deleted.
"""

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.utils import timezone
from psycopg import IsolationLevel

from simpul.audit.models import AuditEvent
from simpul.backups.database import (
    POSTGRESQL,
    SQLITE,
    Target,
    audit_head,
    check_client_versions,
    pg_program,
    row_counts,
    schema_heads,
)
from simpul.backups.fileformat import CHUNK_SIZE, BackupKeyring, BackupWriter

FORMAT = "simpul-backup"


class DumpError(Exception):
    """The database could not be dumped (the message carries the tool's last error lines)."""


def _manifest(cursor: Any, vendor: str, canary: dict[str, str] | None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "payload": "pg_dump-custom" if vendor == POSTGRESQL else "sqlite3",
        "tables": row_counts(cursor, vendor),
        "schema": schema_heads(cursor),
        "audit": audit_head(cursor, AuditEvent._meta.db_table),
        "canary": canary,
    }


def _tail(path: Any, lines: int = 5) -> str:
    path.seek(0)
    text = path.read().decode("utf-8", "replace").strip().splitlines()
    return " | ".join(text[-lines:])


def _dump_postgresql(
    target: Target, out: Any, ring: BackupKeyring, canary: dict[str, str] | None
) -> dict[str, Any]:
    check_client_versions(target, ("pg_dump",))
    with target.pg_connect() as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest = _manifest(cursor, POSTGRESQL, canary)
            writer = BackupWriter(out, manifest, ring)
            with tempfile.TemporaryFile() as errors, target.pg_dbname() as dbname:
                process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
                    [
                        pg_program("pg_dump"),
                        "-Fc",
                        "--no-password",
                        f"--snapshot={snapshot}",
                        f"--dbname={dbname}",
                    ],
                    stdout=subprocess.PIPE,
                    stderr=errors,
                )
                assert process.stdout is not None
                for block in iter(lambda: process.stdout.read(CHUNK_SIZE), b""):  # type: ignore[union-attr]
                    writer.write(block)
                if process.wait() != 0:
                    raise DumpError(f"pg_dump failed: {_tail(errors)}")
            writer.close()
    return manifest


def _dump_sqlite(
    target: Target, out: Any, ring: BackupKeyring, canary: dict[str, str] | None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="simpul-backup-") as work:
        copy = Path(work) / "copy.sqlite3"
        source = sqlite3.connect(target.name)
        destination = sqlite3.connect(copy)
        try:
            source.backup(destination)  # one step: a consistent snapshot of the committed data
        finally:
            source.close()
        try:
            destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            manifest = _manifest(destination.cursor(), SQLITE, canary)
        finally:
            destination.close()
        writer = BackupWriter(out, manifest, ring)
        with open(copy, "rb") as fh:
            for block in iter(lambda: fh.read(CHUNK_SIZE), b""):
                writer.write(block)
        writer.close()
    return manifest


def write_backup(
    target: Target, path: Path, ring: BackupKeyring, canary: dict[str, str] | None
) -> dict[str, Any]:
    """Write the encrypted backup of `target` to `path` (created 0600, never overwritten):
    first as `<path>.partial`, renamed once complete and flushed. Returns the manifest."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        raise FileExistsError(f"{path} exists already; a backup never overwrites a file.")
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            if target.vendor == POSTGRESQL:
                manifest = _dump_postgresql(target, out, ring, canary)
            else:
                manifest = _dump_sqlite(target, out, ring, canary)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest
