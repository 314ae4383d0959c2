"""The restore drill's scratch database and the checks run on the restored copy.

The scratch database is a temporary SQLite file in a private directory, or a PostgreSQL
database `<name>_drill` on the same server, created empty and dropped afterwards. The checks run
in this process through a Django connection to the scratch database (an extra alias that exists
for the length of the drill):

1. the equivalent of `migrate --check`: the migration plan of this code against the restored
   schema is empty;
2. the row count of every table equals the manifest's;
3. the audit chain verifies (`simpul.audit.chain.verify`) against the anchors of entries the
   backup holds, and its head is the manifest's;
4. the canary opens with the identity vault's keys and matches the manifest's digest.
"""

import hashlib
import hmac
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend
from psycopg import sql

from simpul.audit.anchors import AnchorError, read_anchors
from simpul.audit.chain import verify
from simpul.audit.models import AuditEvent
from simpul.backups.database import POSTGRESQL, Target, row_counts
from simpul.backups.models import Canary
from simpul.backups.sealing import canary_aad
from simpul.identity.crypto import VaultError, open_text


class DrillFailure(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class DrillChecks:
    tables: int
    rows: int
    audit_entries: int


@contextmanager
def scratch_database(source: Target) -> Iterator[Target]:
    """An empty database of the source's kind, removed afterwards whatever happened."""
    if source.vendor == POSTGRESQL:
        scratch = source.with_name(f"{source.name[:57]}_drill")
        name = sql.Identifier(scratch.name)
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
        with source.pg_connect(autocommit=True) as conn:
            conn.execute(drop)  # left by a drill that crashed
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
        try:
            yield scratch
        finally:
            with source.pg_connect(autocommit=True) as conn:
                conn.execute(drop)
        return
    work = tempfile.mkdtemp(prefix="simpul-drill-")  # mode 0700
    try:
        yield source.with_name(f"{work}/drill.sqlite3")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def connection_to(target: Target) -> Iterator[str]:
    """A Django connection alias for `target`, removed afterwards."""
    alias = f"backups_drill_{uuid.uuid4().hex[:8]}"
    config = {
        "ENGINE": (
            "django.db.backends.postgresql"
            if target.vendor == POSTGRESQL
            else "django.db.backends.sqlite3"
        ),
        "NAME": target.name,
        "HOST": target.host,
        "PORT": target.port,
        "USER": target.user,
        "PASSWORD": target.password,
    }
    configured = connections.configure_settings(
        {"default": settings.DATABASES["default"], alias: config}
    )[alias]
    # Registered for this thread only (not in the settings): `.using(alias)` finds it, nothing
    # else ever sees it.
    wrapper = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]


def _check_migrations(alias: str) -> None:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise DrillFailure(
            "migrations_unapplied", f"{len(plan)} migrations are not applied ({names})."
        )


def _check_counts(alias: str, manifest: dict[str, Any]) -> tuple[int, int]:
    with connections[alias].cursor() as cursor:
        counts = row_counts(cursor, connections[alias].vendor)
    expected: dict[str, int] = manifest["tables"]
    if counts != expected:
        differ = sorted(n for n in set(counts) | set(expected) if counts.get(n) != expected.get(n))
        raise DrillFailure(
            "counts_differ",
            f"{len(differ)} tables differ from the manifest ({', '.join(differ[:5])}).",
        )
    return len(counts), sum(counts.values())


def _check_audit(alias: str, manifest: dict[str, Any]) -> int:
    head = manifest["audit"]
    try:
        anchors = read_anchors()
    except AnchorError as exc:
        raise DrillFailure("audit_broken", f"Audit anchor file: {exc}.") from exc
    # Anchors written after the backup name entries it cannot hold; the others must match.
    last_id = head["last_id"] or 0
    held = [a for a in anchors if a.last_id <= last_id]
    events = AuditEvent.objects.using(alias).order_by("id").iterator(chunk_size=2000)
    report = verify(events, held)
    if not report.ok:
        raise DrillFailure(
            "audit_broken",
            f"Audit chain broken at entry #{report.first_broken_id}: {report.problem}.",
        )
    if report.checked != head["count"] or (
        head["entry_hash"] and not hmac.compare_digest(report.head_hash, head["entry_hash"])
    ):
        raise DrillFailure(
            "audit_head_differs",
            f"The restored chain ends at entry #{report.head_id} ({report.checked} entries), "
            f"the manifest at #{head['last_id']} ({head['count']}).",
        )
    return report.checked


def _check_canary(alias: str, manifest: dict[str, Any]) -> None:
    canary = manifest.get("canary")
    if not canary:
        raise DrillFailure("canary_failed", "The backup names no canary.")
    row = Canary.objects.using(alias).filter(pk=canary["id"]).first()
    if row is None:
        raise DrillFailure("canary_failed", "The canary is missing from the restored database.")
    try:
        token = open_text(row.sealed, canary_aad(row.id))
    except VaultError as exc:
        raise DrillFailure(
            "canary_failed", f"The canary does not open with the vault keys: {exc}"
        ) from exc
    digest = hashlib.sha256(token.encode()).hexdigest()
    if not hmac.compare_digest(digest, canary["digest"]):
        raise DrillFailure("canary_failed", "The canary opened to another value.")


def check_restored(target: Target, manifest: dict[str, Any]) -> DrillChecks:
    """Run the four checks on the restored database; DrillFailure names the first that fails."""
    with connection_to(target) as alias:
        _check_migrations(alias)
        tables, rows = _check_counts(alias, manifest)
        entries = _check_audit(alias, manifest)
        _check_canary(alias, manifest)
    return DrillChecks(tables, rows, entries)
