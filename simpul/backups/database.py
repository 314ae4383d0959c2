"""The databases a backup is taken from or restored into, outside Django's own connection.

A `Target` is a database named by a URL or by Django's settings: an SQLite file or a
PostgreSQL database. Backups read through their own connection (a consistent snapshot), and
restores write into a database Django is not connected to, so this module talks to both with
the plain drivers (`sqlite3`, `psycopg`) and the PostgreSQL client programs.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.conf import settings
from psycopg import sql

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class ClientVersionError(Exception):
    """pg_dump or pg_restore missing, or of another major version than the server."""


@dataclass(frozen=True)
class Target:
    vendor: str
    name: str  # SQLite: the file path; PostgreSQL: the database name
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, db: dict[str, Any]) -> "Target":
        engine = db["ENGINE"]
        if engine == "django.db.backends.sqlite3":
            return cls(SQLITE, str(db["NAME"]))
        if engine.startswith("django.db.backends.postgresql"):
            return cls(
                POSTGRESQL,
                str(db["NAME"]),
                str(db.get("HOST") or ""),
                str(db.get("PORT") or ""),
                str(db.get("USER") or ""),
                str(db.get("PASSWORD") or ""),
            )
        raise ValueError(f"Backups support SQLite and PostgreSQL, not {engine}.")

    @classmethod
    def from_url(cls, url: str) -> "Target":
        return cls.from_settings(dict(dj_database_url.parse(url)))

    @classmethod
    def default(cls) -> "Target":
        from django.db import connection

        return cls.from_settings(connection.settings_dict)

    def with_name(self, name: str) -> "Target":
        return Target(self.vendor, name, self.host, self.port, self.user, self.password)

    def url(self) -> str:
        if self.vendor == SQLITE:
            return f"sqlite:///{self.name}"
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql://{auth}@{self.host or 'localhost'}:{self.port or 5432}/{self.name}"

    def label(self) -> str:
        """Where, without the password (for messages)."""
        if self.vendor == SQLITE:
            return self.name
        return f"{self.name} on {self.host or 'localhost'}:{self.port or 5432}"

    @contextmanager
    def pg_dbname(self) -> Iterator[str]:
        """The `--dbname` argument of the client programs: a libpq connection string whose
        password (if any) is in a private password file for the length of the call, never on
        the command line or in the environment."""

        def quoted(value: str) -> str:
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

        parts = {
            "dbname": self.name,
            "host": self.host or "localhost",
            "port": self.port or "5432",
            "connect_timeout": "10",
        }
        if self.user:
            parts["user"] = self.user
        with tempfile.TemporaryDirectory(prefix="simpul-pg-") as work:
            if self.password:
                passfile = Path(work) / "pgpass"
                fd = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                secret = self.password.replace("\\", "\\\\").replace(":", "\\:")
                with os.fdopen(fd, "w") as fh:
                    fh.write(f"*:*:*:*:{secret}\n")  # this file serves this one call only
                parts["passfile"] = str(passfile)
            yield " ".join(f"{key}={quoted(value)}" for key, value in parts.items())

    def pg_connect(self, *, dbname: str | None = None, autocommit: bool = False) -> Any:
        return psycopg.connect(
            dbname=dbname or self.name,
            host=self.host or "localhost",
            port=self.port or "5432",
            user=self.user or None,
            password=self.password or None,
            autocommit=autocommit,
            connect_timeout=10,
        )


# Tables and row counts, on a DB-API cursor of either vendor.


def table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == SQLITE:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
        )
    return sorted(row[0] for row in cursor.fetchall())


def _quote(vendor: str, name: str) -> Any:
    if vendor == POSTGRESQL:
        return sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
    return 'SELECT count(*) FROM "{}"'.format(name.replace('"', '""'))  # noqa: S608 (quoted)


def row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for name in table_names(cursor, vendor):
        cursor.execute(_quote(vendor, name))
        counts[name] = int(cursor.fetchone()[0])
    return counts


def schema_heads(cursor: Any) -> dict[str, str]:
    """The latest applied migration of each app (the schema version)."""
    cursor.execute(
        "SELECT app, name FROM django_migrations WHERE id IN "
        "(SELECT max(id) FROM django_migrations GROUP BY app)"
    )
    return dict(sorted(cursor.fetchall()))


def audit_head(cursor: Any, table: str) -> dict[str, Any]:
    """How many audit entries there are, and the id and MAC of the newest."""
    cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (our model's table name)
    count = int(cursor.fetchone()[0])
    cursor.execute(f'SELECT id, entry_hash FROM "{table}" ORDER BY id DESC LIMIT 1')  # noqa: S608
    row = cursor.fetchone()
    return {"count": count, "last_id": row[0] if row else None, "entry_hash": row[1] if row else ""}


@contextmanager
def sqlite_readonly(path: str | Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def is_empty(target: Target) -> bool:
    """No table, view or sequence in the target (a missing SQLite file is empty)."""
    if target.vendor == SQLITE:
        path = Path(target.name)
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite_readonly(path) as conn:
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    with target.pg_connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%' "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        )
        return cursor.fetchone()[0] == 0


def counts_of(target: Target) -> dict[str, int]:
    if target.vendor == SQLITE:
        with sqlite_readonly(target.name) as conn:
            return row_counts(conn.cursor(), SQLITE)
    with target.pg_connect() as conn, conn.cursor() as cursor:
        return row_counts(cursor, POSTGRESQL)


# The PostgreSQL client programs and their versions.


def pg_program(name: str) -> str:
    """pg_dump or pg_restore: from SIMPUL_PG_BIN_DIR when set, else from PATH."""
    if settings.PG_BIN_DIR:
        return str(Path(settings.PG_BIN_DIR) / name)
    return shutil.which(name) or name


def client_major(program: str) -> int:
    try:
        out = subprocess.run(  # noqa: S603 (a fixed program name, no shell)
            [pg_program(program), "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError as exc:
        raise ClientVersionError(f"{program} was not found ({exc.strerror}).") from exc
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    if match is None:
        raise ClientVersionError(f"{program} --version said {out.strip()!r}, not a version.")
    return int(match.group(1))


def server_major(target: Target) -> int:
    with target.pg_connect() as conn:
        return int(conn.info.server_version) // 10000


def check_client_versions(target: Target, programs: tuple[str, ...] = ("pg_dump",)) -> None:
    """Refuse a client whose major version differs from the server's (a newer pg_dump writes
    archives an older pg_restore cannot read; an older one refuses a newer server)."""
    server = server_major(target)
    for program in programs:
        client = client_major(program)
        if client != server:
            raise ClientVersionError(
                f"{program} is PostgreSQL {client} but the server is PostgreSQL {server}: "
                f"install the {program} of version {server} (or set SIMPUL_PG_BIN_DIR to it)."
            )
