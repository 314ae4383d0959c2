"""`simpul restore` refuses a wrong key, an unknown key, a truncated, damaged or foreign file
and a non-empty target, with a clear message and a non-zero exit, and leaves the target as it
was. The backup is of the test database's committed state (its migrated schema)."""

import base64
import hashlib
import os
from pathlib import Path

import pytest

from simpul.backups.actions import create_backup
from simpul.backups.database import SQLITE, Target, is_empty
from tests.backups.support import empty_database, run


def _other_key(key_id: str = "b1") -> str:
    return f"{key_id}:" + base64.b64encode(os.urandom(32)).decode()


def _state(target: Target) -> str:
    """What the target holds: for SQLite the file's bytes (or its absence), for PostgreSQL
    whether it is still empty."""
    if target.vendor == SQLITE:
        path = Path(target.name)
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"
    return "empty" if is_empty(target) else "not empty"


@pytest.fixture
def backup_file(db, tmp_path) -> Path:
    backup = create_backup(tmp_path / "base.simpulbak")
    return Path(backup.path)


def _damaged(source: Path, tmp_path: Path) -> dict[str, Path]:
    raw = source.read_bytes()
    files = {
        "truncated": raw[: len(raw) // 2],
        "one byte changed": raw[:200] + bytes([raw[200] ^ 1]) + raw[201:],
        "not a backup": b"PGDMP" + os.urandom(400),
    }
    paths = {}
    for name, data in files.items():
        path = tmp_path / (name.replace(" ", "-") + ".simpulbak")
        path.write_bytes(data)
        paths[name] = path
    return paths


def test_a_wrong_key_a_damaged_file_and_a_foreign_file_are_refused_and_the_target_untouched(
    backup_file, tmp_path
):
    damaged = _damaged(backup_file, tmp_path)
    cases = [
        (backup_file, {"SIMPUL_BACKUP_KEY": _other_key()}, "wrong_key", "Wrong backup key"),
        (
            backup_file,
            {"SIMPUL_BACKUP_KEY": _other_key("b7")},
            "unknown_key",
            "which is not in SIMPUL_BACKUP_KEY",
        ),
        (damaged["truncated"], {}, "truncated", "truncated"),
        (damaged["one byte changed"], {}, "corrupt", "does not authenticate"),
        (damaged["not a backup"], {}, "not_a_backup", "not a Simpul backup"),
    ]
    with empty_database(tmp_path) as target:
        before = _state(target)
        for path, env, code, message in cases:
            result = run("restore", str(path), "--database-url", target.url(), **env)
            assert result.returncode == 1, (code, result.stdout)
            assert f"Restore refused ({code})" in result.stderr, (code, result.stderr)
            assert message in result.stderr, (code, result.stderr)
            assert _state(target) == before, code
        assert before in {"absent", "empty"}
        # The good file with the right key restores into that same untouched target.
        good = run("restore", str(backup_file), "--database-url", target.url())
        assert good.returncode == 0, good.stderr
        assert not is_empty(target)


@pytest.mark.django_db
def test_a_non_empty_target_is_refused_and_left_as_it_was(backup_file, tmp_path):
    with empty_database(tmp_path) as target:
        if target.vendor == SQLITE:
            import sqlite3

            with sqlite3.connect(target.name) as conn:
                conn.execute("CREATE TABLE notes (body TEXT)")
                conn.execute("INSERT INTO notes VALUES ('keep me')")
            conn.close()
        else:
            with target.pg_connect(autocommit=True) as conn:
                conn.execute("CREATE TABLE notes (body TEXT)")
                conn.execute("INSERT INTO notes VALUES ('keep me')")
        before = _state(target) if target.vendor == SQLITE else None

        result = run("restore", str(backup_file), "--database-url", target.url())

        assert result.returncode == 1
        assert "Restore refused (target_not_empty)" in result.stderr
        assert "is not empty" in result.stderr
        if target.vendor == SQLITE:
            assert _state(target) == before
        else:
            with target.pg_connect() as conn:
                tables = conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
                assert tables == [("notes",)]
                assert conn.execute("SELECT body FROM notes").fetchall() == [("keep me",)]
