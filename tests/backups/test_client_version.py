"""A pg_dump of another major version than the server's is refused: by the deploy-time system
check and when a backup starts. The other version is a stand-in script in SIMPUL_PG_BIN_DIR
(this machine has one PostgreSQL version); the matching case runs the real pg_dump."""

import os
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.db import connection

from simpul.backups.actions import BackupFailed, create_backup
from simpul.backups.models import Backup


def _checks() -> list:
    return run_checks(include_deployment_checks=True, tags=["simpul.backups"])


def _old_pg_dump(directory: Path) -> Path:
    directory.mkdir()
    script = directory / "pg_dump"
    script.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.15'\n")
    script.chmod(0o755)
    os.symlink("/usr/bin/pg_restore", directory / "pg_restore")
    return directory


@pytest.mark.django_db
def test_a_pg_dump_of_another_major_version_is_refused_at_deploy_check_and_backup(
    settings, tmp_path
):
    assert _checks() == []  # the real client matches (or, on SQLite, nothing to compare)
    settings.PG_BIN_DIR = str(_old_pg_dump(tmp_path / "bin"))
    if connection.vendor != "postgresql":
        assert _checks() == []  # SQLite backups use no client program
        return
    server = connection.pg_version // 10000
    [error] = _checks()
    assert error.id == "simpul.backups.E001"
    assert f"pg_dump is PostgreSQL 9 but the server is PostgreSQL {server}" in error.msg

    with pytest.raises(BackupFailed) as refused:
        create_backup(tmp_path / "never.simpulbak")

    assert refused.value.code == "client_version"
    assert not (tmp_path / "never.simpulbak").exists()
    assert not (tmp_path / "never.simpulbak.partial").exists()
    assert list(Backup.objects.values_list("outcome", "failure_reason")) == [
        ("failed", "client_version")
    ]
