"""Restoring a backup file into an empty database, after checking the whole file.

Order, so that a refused file leaves the target untouched: read the header (magic, version,
key id known, key check), read the manifest, authenticate every chunk (`verify`), check the
vendor, check that the target is empty; only then load. PostgreSQL: the decrypted archive is
streamed into `pg_restore --single-transaction --exit-on-error` (all or nothing). SQLite: the
decrypted file is written to a private temporary directory, checked, and copied into the target
with the online backup API.
"""

import contextlib
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from simpul.backups.database import (
    POSTGRESQL,
    SQLITE,
    Target,
    check_client_versions,
    counts_of,
    is_empty,
    pg_program,
)
from simpul.backups.dumping import FORMAT
from simpul.backups.fileformat import BackupFileError, BackupKeyring, BackupReader

VENDOR_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


@dataclass(frozen=True)
class Checked:
    manifest: dict[str, Any]
    key_id: str
    payload_bytes: int


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]

    @property
    def differences(self) -> dict[str, tuple[int | None, int | None]]:
        """Tables whose row count differs from the manifest: name -> (manifest, restored)."""
        expected: dict[str, int] = self.manifest["tables"]
        return {
            name: (expected.get(name), self.counts.get(name))
            for name in sorted(set(expected) | set(self.counts))
            if expected.get(name) != self.counts.get(name)
        }


def _open(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except FileNotFoundError as exc:
        raise BackupFileError("file_missing", f"{path} does not exist.") from exc


def _checked(reader: BackupReader) -> Checked:
    """Every check that needs no database: the whole file authenticates under a known key."""
    size = reader.verify()
    manifest = reader.manifest
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupFileError("corrupt", "The backup manifest is not a Simpul manifest.")
    return Checked(manifest, reader.key_id, size)


def check_file(path: Path, ring: BackupKeyring) -> Checked:
    with _open(path) as fh:
        return _checked(BackupReader(fh, ring))


def _refuse_unsuitable_target(checked: Checked, target: Target) -> None:
    vendor = checked.manifest.get("vendor")
    if vendor != target.vendor:
        raise BackupFileError(
            "wrong_vendor",
            f"This is a {VENDOR_NAMES.get(str(vendor), vendor)} backup; it restores into "
            f"{VENDOR_NAMES.get(str(vendor), vendor)} only, not {VENDOR_NAMES[target.vendor]}.",
        )
    if not is_empty(target):
        raise BackupFileError(
            "target_not_empty",
            f"The target database {target.label()} is not empty: a backup is restored into an "
            "empty database only (create a new one).",
        )


def _load_postgresql(reader: BackupReader, target: Target) -> None:
    check_client_versions(target, ("pg_restore",))
    with tempfile.TemporaryFile() as errors, target.pg_dbname() as dbname:
        process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
            [
                pg_program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={dbname}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        assert process.stdin is not None
        try:
            for piece in reader.payload():
                process.stdin.write(piece)
        except BrokenPipeError:
            pass  # pg_restore stopped early: its exit code and error say why
        except BaseException:
            process.kill()  # the file changed under us: never let a partial load commit
            process.wait()
            raise
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        if process.wait() != 0:
            errors.seek(0)
            tail = " | ".join(errors.read().decode("utf-8", "replace").strip().splitlines()[-5:])
            raise BackupFileError("restore_failed", f"pg_restore failed: {tail}")


def _load_sqlite(reader: BackupReader, target: Target) -> None:
    with tempfile.TemporaryDirectory(prefix="simpul-restore-") as work:
        copy = Path(work) / "restored.sqlite3"
        with open(copy, "wb") as out:
            for piece in reader.payload():
                out.write(piece)
        source = sqlite3.connect(copy)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupFileError("restore_failed", "The restored SQLite file is damaged.")
            Path(target.name).parent.mkdir(parents=True, exist_ok=True)
            destination = sqlite3.connect(target.name)
            try:
                source.backup(destination)
                destination.execute("PRAGMA journal_mode=WAL")
            finally:
                destination.close()
        finally:
            source.close()


def restore(path: Path, target: Target, ring: BackupKeyring) -> Restored:
    """Check the whole file and the target, then restore; BackupFileError on any refusal.
    One open file throughout: the bytes loaded are the bytes checked (each chunk is
    authenticated again as it is loaded)."""
    with _open(path) as fh:
        reader = BackupReader(fh, ring)
        checked = _checked(reader)
        _refuse_unsuitable_target(checked, target)
        if target.vendor == POSTGRESQL:
            _load_postgresql(reader, target)
        else:
            _load_sqlite(reader, target)
    return Restored(checked.manifest, counts_of(target))
