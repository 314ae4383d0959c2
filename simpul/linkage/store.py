"""Bulk writes of linkage results: COPY on PostgreSQL, executemany on SQLite.

A million cluster assignments through the ORM would take minutes; these paths take seconds.
Callers hold the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
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
RECORD_KEYS = RECORD_FIELDS[3:]
_UUID_COLUMNS = frozenset({"person_id", "person_a_id", "person_b_id"})
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


def _insert(model: Any, table: pa.Table, not_null: Sequence[str] = ()) -> int:
    """Append the rows of `table` (columns named after the model's fields) to the model's
    table: COPY of Arrow-written CSV on PostgreSQL, executemany on SQLite."""
    name = _table(model)
    fields = table.column_names
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            # In CSV an unquoted empty field is NULL; Arrow quotes every string, so an empty
            # text is "" and stays empty. FORCE_NOT_NULL makes sure of it for text columns.
            force = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
            sql = f"COPY {name} ({', '.join(fields)}) FROM STDIN WITH (FORMAT csv{force})"
            options = pacsv.WriteOptions(include_header=False, batch_size=50_000)
            with raw.copy(sql) as copy:
                for batch in table.to_batches(max_chunksize=100_000):
                    sink = pa.BufferOutputStream()
                    pacsv.write_csv(batch, sink, write_options=options)
                    copy.write(sink.getvalue().to_pybytes())
            return table.num_rows
        for column in _UUID_COLUMNS.intersection(fields):
            # SQLite stores Django UUIDs as 32 hex characters, PostgreSQL as uuid.
            index = fields.index(column)
            table = table.set_column(
                index, column, pc.replace_substring(table.column(column), "-", "")
            )
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {name} ({', '.join(fields)}) VALUES ({placeholders})"  # noqa: S608
        for batch in table.to_batches(max_chunksize=20_000):
            cursor.executemany(sql, list(zip(*(c.to_pylist() for c in batch.columns), strict=True)))
    return table.num_rows


def _truncate(cursor: Any, model: Any) -> None:
    # TRUNCATE refuses while deferred constraint checks are pending in the transaction.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"TRUNCATE {_table(model)}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
            # Unique constraints and the primary key are re-added after the load too: a
            # million random UUIDs cost twice as much inserted into a b-tree as sorted once.
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
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


def cluster_ids() -> dict[str, str]:
    """Person id (canonical text) -> cluster id, for every linked person."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Text from the server: a million UUID objects made and printed cost seconds.
            cursor.execute(f"SELECT person_id::text, cluster_id FROM {_table(LinkedRecord)}")  # noqa: S608
            return dict(cursor.fetchall())
    return {str(p): c for p, c in LinkedRecord.objects.values_list("person_id", "cluster_id")}


def records_table(
    person_ids: pa.Array | Sequence[str],
    cluster_ids: pa.Array | Sequence[str],
    run_id: int | None,
    keys: Sequence[pa.Array | Sequence[int | None]],
) -> pa.Table:
    """LinkedRecord rows as a table: ids, cluster ids, the run and the hashed keys."""
    count = len(person_ids)
    return pa.table(
        {
            "person_id": _column(person_ids, pa.string()),
            "cluster_id": _column(cluster_ids, pa.string()),
            "run_id": pa.array([run_id] * count, pa.int64()),
            **{
                field: _column(values, pa.int64())
                for field, values in zip(RECORD_KEYS, keys, strict=True)
            },
        }
    )


def _column(values: Any, kind: pa.DataType) -> pa.Array | pa.ChunkedArray:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values.cast(kind)
    return pa.array(values, kind)


def replace_all_records(table: pa.Table) -> int:
    """Replace every LinkedRecord (a full run) with `records_table` rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _truncate(cursor, LinkedRecord)
        else:
            cursor.execute(f"DELETE FROM {_table(LinkedRecord)}")  # noqa: S608
    with _IndexesOff(LinkedRecord):
        return _insert(LinkedRecord, table, ("cluster_id",))


def upsert_records(table: pa.Table) -> int:
    """Insert or update some LinkedRecords (an incremental run)."""
    ids = table.column("person_id").to_pylist()
    for start in range(0, len(ids), 5000):
        LinkedRecord.objects.filter(person_id__in=ids[start : start + 5000]).delete()
    return _insert(LinkedRecord, table, ("cluster_id",))


def replace_all_pairs(table: pa.Table) -> int:
    """Replace every LinkedPair (a full run); `table` has the PAIR_FIELDS columns."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _truncate(cursor, LinkedPair)
        else:
            cursor.execute(f"DELETE FROM {_table(LinkedPair)}")  # noqa: S608
    with _IndexesOff(LinkedPair):
        return _insert(LinkedPair, table, ("weights", "status"))


def add_pairs(table: pa.Table) -> int:
    """Insert or replace scored pairs (an incremental run)."""
    for a, b in zip(
        table.column("person_a_id").to_pylist(),
        table.column("person_b_id").to_pylist(),
        strict=True,
    ):
        LinkedPair.objects.filter(person_a_id=a, person_b_id=b).delete()
    return _insert(LinkedPair, table, ("weights", "status"))
