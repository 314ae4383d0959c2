"""Read the vault's persons into linkage features, decrypting only in this process's memory.

Each row is opened with the vault keys (AES-256-GCM, the AAD binding it to its row), turned
into comparison columns at once and dropped; only the feature table lives on, in memory, for
the length of the job. Two worker processes share the decryption and feature work (the
machine has two cores; `SIMPUL_LINKAGE_WORKERS` changes it). Blocking keys leave the job only
as keyed hashes (`LinkedRecord.key_*`), like the vault's own blind indexes.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db import connection

from simpul.accounts.models import Agency
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import IdentityOpener, derived_index_key
from simpul.linkage.engine.features import FeatureBuilder

CHUNK = 20_000
COPY_BLOCK_BYTES = 5_000_000  # about 20,000 persons
# Blocking keys kept (hashed) for candidate look-up: feature column -> LinkedRecord field.
INDEXED_KEYS: dict[str, str] = {
    "name_phon": "key_name",
    "bk_min_dob": "key_min_dob",
    "bk_max_dob": "key_max_dob",
    "bk_dob_reg": "key_dob_reg",
}

_decode_json = json.JSONDecoder().raw_decode
Row = tuple[str, str, str | None, str]  # person id, sealed identity, region code, source


def _key_hasher() -> Callable[[str], int]:
    """Keyed 64-bit hash of a blocking key, as a signed integer (a BIGINT column)."""
    secret = derived_index_key(b"simpul.linkage.blocking-keys")

    keyed = hashlib.blake2b(key=secret, digest_size=8)

    def digest(value: str) -> int:
        hashed = keyed.copy()  # the key block is compressed once, not for every value
        hashed.update(value.encode())
        return int.from_bytes(hashed.digest(), "big", signed=True)

    return digest


def identity_columns(
    rows: Sequence[Row], opener: IdentityOpener | None = None
) -> dict[str, list[Any]]:
    """Decrypt rows (through the vault's one public opener) into the input columns of the
    feature builder."""
    opener = opener or IdentityOpener()
    columns: dict[str, list[Any]] = {
        "record_id": [],
        "source": [],
        "full_name": [],
        "birth_date": [],
        "sex": [],
        "nik": [],
        "passport": [],
        "phone": [],
        "region_code": [],
    }
    fields = ("full_name", "birth_date", "sex", "nik", "passport", "phone")
    targets = [columns[name].append for name in fields]
    for person_id, sealed, region, source in rows:
        # The JSON (`IdentityData.to_bytes`, no leading space) is read directly, without
        # building an `IdentityData`: a million rows in a row.
        data = _decode_json(opener.open(sealed, person_id).decode())[0]
        columns["record_id"].append(person_id)
        columns["source"].append(source)
        for name, append in zip(fields, targets, strict=True):
            append(data.get(name, ""))
        columns["region_code"].append(region or "")
    return columns


def hashed_keys(features: pa.Table) -> dict[str, pa.Array]:
    """The indexed blocking keys, hashed; null where a record has no such key. Each distinct
    key is hashed once (names and places repeat)."""
    digest = _key_hasher()
    hashed = {}
    for column, field in INDEXED_KEYS.items():
        encoded = features.column(column).combine_chunks().dictionary_encode()
        distinct = pa.array([digest(v) for v in encoded.dictionary.to_pylist()], pa.int64())
        hashed[field] = distinct.take(encoded.indices)
    return hashed


def _work(rows: Sequence[Row] | bytes) -> bytes:
    """Worker: decrypt, build features and hashed keys; return an Arrow IPC stream."""
    if isinstance(rows, bytes):
        rows = _block_rows(rows, _worker_state["agency_types"])
    builder = _worker_state["builder"]
    features = builder.build(identity_columns(rows, _worker_state["opener"]))
    for field, values in hashed_keys(features).items():
        features = features.append_column(field, values)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, features.schema) as writer:
        writer.write_table(features)
    return bytes(sink.getvalue())


_worker_state: dict[str, Any] = {}


def _init_worker(indonesian: bool, agency_types: dict[int, str] | None = None) -> None:
    _worker_state["builder"] = FeatureBuilder(indonesian=indonesian)
    _worker_state["opener"] = IdentityOpener()
    _worker_state["agency_types"] = agency_types or {}


def _agency_types() -> dict[int, str]:
    return dict(Agency.objects.values_list("id", "agency_type"))


def _copied_blocks(block_bytes: int | None = None) -> Iterator[tuple[bytes, int]]:
    """PostgreSQL: every person as COPY text, cut at line ends into blocks of whole rows
    (with their row counts). The workers split the lines: this process only moves bytes."""
    columns = '"id", "sealed_identity", "scope_region_id", "owner_agency_id"'
    sql = f'COPY (SELECT {columns} FROM "{Person._meta.db_table}") TO STDOUT'  # noqa: S608
    block_bytes = block_bytes or COPY_BLOCK_BYTES
    pending = bytearray()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for data in copy:
            pending += data
            if len(pending) >= block_bytes:
                cut = pending.rindex(b"\n") + 1
                block = bytes(pending[:cut])
                del pending[:cut]
                yield block, block.count(b"\n")
    if pending:
        block = bytes(pending)
        yield block, block.count(b"\n")


def _block_rows(block: bytes, agency_types: dict[int, str]) -> list[Row]:
    """Rows of a COPY text block: id, sealed identity, region code, owner agency (\\N is
    null). None of these columns can hold a tab, a line end or a backslash escape."""
    rows: list[Row] = []
    for line in block.decode().splitlines():
        person_id, sealed, region, agency = line.split("\t")
        owner = agency_types.get(int(agency), "") if agency != "\\N" else ""
        rows.append((person_id, sealed, None if region == "\\N" else region, owner))
    return rows


def person_rows(
    *, person_ids: Iterable[str] | None = None, chunk: int = CHUNK
) -> Iterator[list[Row]]:
    """Chunks of (id, sealed identity, region code, source) straight from the database.

    The source is the owning agency's type (border team, shelter, village...), the registry
    the record came from."""
    agency_types = _agency_types()
    queryset = Person.objects.order_by()
    if person_ids is not None:
        wanted = list(person_ids)
        for start in range(0, len(wanted), chunk):
            part = queryset.filter(pk__in=wanted[start : start + chunk]).values_list(
                "id", "sealed_identity", "scope_region_id", "owner_agency_id"
            )
            yield [(str(i), s, r, agency_types.get(a, "")) for i, s, r, a in part]
        return
    batch: list[Row] = []
    values = queryset.values_list("id", "sealed_identity", "scope_region_id", "owner_agency_id")
    for person_id, sealed, region, agency in values.iterator(chunk_size=chunk):
        batch.append((str(person_id), sealed, region, agency_types.get(agency, "")))
        if len(batch) >= chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def load_features(
    *,
    person_ids: Iterable[str] | None = None,
    indonesian: bool = True,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> pa.Table:
    """Features (and hashed keys) of every person, or of `person_ids`."""
    workers = workers if workers is not None else settings.LINKAGE_WORKERS
    agency_types = _agency_types()
    # While a COPY streams, its connection can run nothing else (progress is written to the
    # run's row on the same connection): chunks are then all handed out first and progress
    # is reported as their results are collected, after the COPY.
    copying = person_ids is None and connection.vendor == "postgresql"
    chunks: Iterator[tuple[Sequence[Row] | bytes, int]] = (
        _copied_blocks()
        if copying
        else ((rows, len(rows)) for rows in person_rows(person_ids=person_ids))
    )
    counts: list[int] = []
    tables: list[pa.Table] = []

    def collect(table: pa.Table, count: int) -> None:
        tables.append(table)
        counts.append(count)
        if progress and not copying:
            progress(sum(counts))

    if workers <= 1:
        _init_worker(indonesian, agency_types)
        for rows, count in chunks:
            collect(_read(_work(rows)), count)
    else:
        # Fork before the workers touch the database: they only decrypt and compute.
        connection.ensure_connection()
        context = multiprocessing.get_context("fork")
        with context.Pool(
            workers, initializer=_init_worker, initargs=(indonesian, agency_types)
        ) as pool:
            pending = []
            for rows, count in chunks:
                pending.append((count, pool.apply_async(_work, (rows,))))
                # Otherwise keep at most a few chunks in flight, so memory stays flat.
                while not copying and len(pending) > workers * 2:
                    count, result = pending.pop(0)
                    collect(_read(result.get()), count)
            copying = False
            for count, result in pending:
                collect(_read(result.get()), count)
    if progress:
        progress(sum(counts))
    if not tables:
        _init_worker(indonesian)
        return _read(_work([]))
    # In id order, whatever order the database returned: the linkage numbers records in
    # this order and would otherwise copy the table to sort it.
    return pa.concat_tables(tables).sort_by("unique_id")


def _read(payload: bytes) -> pa.Table:
    with pa.ipc.open_stream(payload) as reader:
        return reader.read_all()


def features_for_identities(
    items: Sequence[tuple[str, IdentityData, str | None, str]], *, indonesian: bool = True
) -> pa.Table:
    """Features of identities already in memory (a record being entered, say)."""
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "record_id",
            "source",
            "full_name",
            "birth_date",
            "sex",
            "nik",
            "passport",
            "phone",
            "region_code",
        )
    }
    for record_id, data, region, source in items:
        columns["record_id"].append(record_id)
        columns["source"].append(source)
        columns["full_name"].append(data.full_name)
        columns["birth_date"].append(data.birth_date)
        columns["sex"].append(data.sex)
        columns["nik"].append(data.nik)
        columns["passport"].append(data.passport)
        columns["phone"].append(data.phone)
        columns["region_code"].append(region or "")
    features = FeatureBuilder(indonesian=indonesian).build(columns)
    for field, values in hashed_keys(features).items():
        features = features.append_column(field, values)
    return features
