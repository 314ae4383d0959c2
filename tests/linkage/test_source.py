"""Reading the vault for a run: every path (rows through the ORM, COPY blocks on
PostgreSQL, one process or a pool of workers) gives the same features."""

from datetime import date

import pyarrow as pa
import pytest
from django.db import connection

from simpul.identity.models import Person
from simpul.linkage import source
from tests.linkage.helpers import SEBUNGA, add_person, nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def persons(world):
    add_person(
        "pekerja.sambas",
        SEBUNGA,
        full_name="Siti Aminah binti Ahmad",
        nik=nik(date(1995, 3, 12), 1),
        birth_date="1995-03-12",
        sex="F",
        phone="+6281234567890",
    )
    add_person("pekerja.sambas", None, full_name="H. Muhammad Rizki", passport="B 1234567")
    add_person("pekerja.sambas", "61.01", full_name="Ni Luh Putu Ayu", birth_date="1990")


def _through_rows() -> pa.Table:
    source._init_worker(True, source._agency_types())
    tables = [source._read(source._work(rows)) for rows in source.person_rows()]
    return pa.concat_tables(tables).sort_by("unique_id")


def test_every_reading_path_gives_the_same_features(persons):
    expected = _through_rows()
    assert expected.num_rows == Person.objects.count() >= 3
    assert source.load_features(workers=1).sort_by("unique_id").equals(expected)
    assert source.load_features(workers=2).sort_by("unique_id").equals(expected)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_blocks_hold_whole_rows_and_read_nulls(persons):
    blocks = list(source._copied_blocks(block_bytes=200))
    assert len(blocks) > 1
    rows = [row for block, count in blocks for row in source._block_rows(block, {})]
    assert sum(count for _block, count in blocks) == len(rows) == Person.objects.count()
    expected = {(str(p.id), p.sealed_identity, p.scope_region_id) for p in Person.objects.all()}
    assert {(i, sealed, region) for i, sealed, region, _ in rows} == expected
    assert any(region is None for _i, _s, region, _o in rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_reported_only_when_the_connection_is_free(persons, monkeypatch, workers):
    """A run writes its progress on the same connection the COPY streams on; while a COPY
    streams, psycopg would wait for it forever."""
    from psycopg.pq import TransactionStatus

    monkeypatch.setattr(source, "COPY_BLOCK_BYTES", 200)
    reported = []

    def progress(done):
        assert connection.connection.info.transaction_status != TransactionStatus.ACTIVE
        reported.append((done, Person.objects.count()))

    table = source.load_features(workers=workers, progress=progress)
    total = Person.objects.count()
    assert table.num_rows == total
    assert reported[-1] == (total, total)
    assert [done for done, _ in reported] == sorted(done for done, _ in reported)
