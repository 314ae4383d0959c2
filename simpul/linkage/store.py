"""Bulk writes of linkage results: COPY on PostgreSQL, executemany on SQLite.

A million cluster assignments through the ORM would take minutes; these paths take seconds.
Callers hold the transaction.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from simpul.linkage.models import LinkedPair, LinkedRecord

RECORD_FIELDS = (
    "person_id",
    "cluster_id",
    "run_id",
    "key_name",
    "key_min_dob",
    "key_max_dob",
    "key_dob_reg",
)
RECORD_TEXT = RECORD_FIELDS[3:]
PAIR_FIELDS = (
    "person_a_id",
    "person_b_id",
    "probability",
    "match_weight",
    "weights",
    "status",
    "run_id",
)


def _table(model: Any) -> str:
    return str(model._meta.db_table)


def _insert(
    model: Any,
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    not_null: Sequence[str] = (),
) -> int:
    table = _table(model)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(fields)
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            # CSV text in large blocks: far faster than one write_row call per row.
            # In CSV an unquoted empty field is NULL; text columns take it as "" instead.
            force = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
            sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv{force})"
            with raw.copy(sql) as copy:
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                for row in rows:
                    writer.writerow(row)
                    count += 1
                    if count % 50_000 == 0:
                        copy.write(buffer.getvalue())
                        buffer.seek(0)
                        buffer.truncate()
                copy.write(buffer.getvalue())
            return count
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({placeholders})"  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _truncate(cursor: Any, model: Any) -> None:
    # TRUNCATE refuses while deferred constraint checks are pending in the transaction.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"TRUNCATE {_table(model)}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _normalise_uuid(value: str) -> str:
    # SQLite stores Django UUIDs as 32 hex characters, PostgreSQL as uuid.
    return value if connection.vendor == "postgresql" else value.replace("-", "")


class _IndexesOff:
    """On PostgreSQL, drop a table's secondary indexes for a bulk load and rebuild them after:
    building an index once is several times faster than maintaining it row by row."""

    def __init__(self, model: Any) -> None:
        self.table = _table(model)
        self.definitions: list[tuple[str, str]] = []
        self.constraints: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i"
                " LEFT JOIN pg_constraint c ON c.conname = i.indexname"
                " WHERE i.tablename = %s AND c.conname IS NULL",
                [self.table],
            )
            self.definitions = list(cursor.fetchall())
            for name, _definition in self.definitions:
                cursor.execute(f'DROP INDEX "{name}"')
            # Unique constraints (not the primary key) are re-added after the load too.
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'u'",
                [self.table],
            )
            self.constraints = list(cursor.fetchall())
            for name, _definition in self.constraints:
                cursor.execute(f'ALTER TABLE {self.table} DROP CONSTRAINT "{name}"')

    def __exit__(self, *exc: object) -> None:
        if (not self.definitions and not self.constraints) or exc[0] is not None:
            return
        with connection.cursor() as cursor:
            # The deferred foreign-key checks of the load must run before an index is built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in self.definitions:
                cursor.execute(definition)
            for name, definition in self.constraints:
                cursor.execute(f'ALTER TABLE {self.table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def replace_all_records(rows: Iterable[Sequence[Any]]) -> int:
    """Replace every LinkedRecord (a full run). Rows follow RECORD_FIELDS."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _truncate(cursor, LinkedRecord)
        else:
            cursor.execute(f"DELETE FROM {_table(LinkedRecord)}")  # noqa: S608
    with _IndexesOff(LinkedRecord):
        return _insert(
            LinkedRecord,
            RECORD_FIELDS,
            ((_normalise_uuid(r[0]), *r[1:]) for r in rows),
            RECORD_TEXT,
        )


def upsert_records(rows: Sequence[Sequence[Any]]) -> int:
    """Insert or update some LinkedRecords (an incremental run)."""
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 5000):
        LinkedRecord.objects.filter(person_id__in=ids[start : start + 5000]).delete()
    return _insert(
        LinkedRecord, RECORD_FIELDS, ((_normalise_uuid(r[0]), *r[1:]) for r in rows), RECORD_TEXT
    )


def replace_all_pairs(rows: Iterable[Sequence[Any]]) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _truncate(cursor, LinkedPair)
        else:
            cursor.execute(f"DELETE FROM {_table(LinkedPair)}")  # noqa: S608
    with _IndexesOff(LinkedPair):
        return _insert(LinkedPair, PAIR_FIELDS, _pair_rows(rows), ("weights", "status"))


def add_pairs(rows: Sequence[Sequence[Any]]) -> int:
    """Insert or replace scored pairs (an incremental run)."""
    for a, b, *_rest in rows:
        LinkedPair.objects.filter(person_a_id=a, person_b_id=b).delete()
    return _insert(LinkedPair, PAIR_FIELDS, _pair_rows(rows), ("weights", "status"))


def _pair_rows(rows: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    for a, b, p, w, weights, status, run_id in rows:
        yield (
            _normalise_uuid(a),
            _normalise_uuid(b),
            float(p),
            float(w),
            weights if isinstance(weights, str) else json.dumps(weights, separators=(",", ":")),
            status,
            run_id,
        )
