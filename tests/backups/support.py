"""Second databases to restore into, and Simpul's backup commands run as real processes."""

import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from simpul.backups.database import POSTGRESQL, Target
from tests.jobs.support import ROOT, command_env


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`simpul <args>` against the test database; `env` adds or overrides variables."""
    return subprocess.run(
        [sys.executable, "-m", "simpul", *args],
        cwd=ROOT,
        env={**command_env(), "SIMPUL_BACKUP_DIR": str(settings.BACKUP_DIR), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[Target]:
    """A new empty database of the test database's kind: an SQLite path not yet created, or a
    PostgreSQL database created here and dropped afterwards."""
    source = Target.default()
    if source.vendor != POSTGRESQL:
        yield source.with_name(str(tmp_path / f"restored-{uuid.uuid4().hex[:6]}.sqlite3"))
        return
    target = source.with_name(f"{source.name[:40]}_restore_{uuid.uuid4().hex[:6]}")
    with source.pg_connect(autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target.name}"')
    try:
        yield target
    finally:
        with source.pg_connect(autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
