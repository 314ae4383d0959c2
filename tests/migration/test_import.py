"""Deportee list import: all rows or none, every bad row named, re-runs create nothing."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.identity.actions import person_aad
from simpul.identity.crypto import keyring
from simpul.identity.data import IdentityData
from simpul.identity.models import Person, PersonNameToken
from simpul.identity.queries import search_persons
from simpul.migration import actions
from simpul.migration.importer import import_returns
from simpul.migration.models import ImportBatch, ReturnEvent
from tests.migration.builders import nik, return_input

pytestmark = pytest.mark.django_db

HEADER = [
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "nik",
    "jenis_dokumen",
    "nomor_dokumen",
    "tanggal_tiba",
    "titik_masuk",
    "depo",
    "perwakilan",
    "kode_wilayah_asal",
]


def _row(i: int, **changes: str) -> list[str]:
    born = date(1980, 1, 1) + timedelta(days=37 * i)
    values = {
        "nama": f"Rina Marlina {chr(65 + i % 26)}",
        "tanggal_lahir": born.strftime("%d/%m/%Y"),
        "jenis_kelamin": "P",
        "nik": nik(born, 5000 + i) if i % 2 == 0 else "",
        "jenis_dokumen": "SPLP",
        "nomor_dokumen": f"X{100000 + i}",
        "tanggal_tiba": (timezone.localdate() - timedelta(days=i % 40)).isoformat(),
        "titik_masuk": "PLBN_ARUK",
        "depo": "Depot Imigresen Semuja",
        "perwakilan": "KJRI Kuching",
        "kode_wilayah_asal": "61.01.09.2002" if i % 3 == 0 else "",
    }
    values.update(changes)
    return [values[h] for h in HEADER]


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _state():
    return (
        ReturnEvent.objects.count(),
        Person.objects.count(),
        PersonNameToken.objects.count(),
        ImportBatch.objects.count(),
    )


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(people):
    rows = [_row(i) for i in range(30)]
    rows[3][HEADER.index("tanggal_tiba")] = "31/02/2025"
    rows[7][HEADER.index("titik_masuk")] = "PELABUHAN ANTAH"
    rows[12][HEADER.index("nik")] = "6101091234"
    rows[12][HEADER.index("nama")] = ""
    rows[20][HEADER.index("jenis_dokumen")] = "KTP"
    rows[25] = list(rows[24])  # the same return twice
    rows[28][HEADER.index("kode_wilayah_asal")] = "99.99.99.9999"
    before = _state()
    result = import_returns(people.pos, _csv(rows), "deportasi.csv")
    assert _state() == before
    assert not result.ok
    found = [(e.row, e.column) for e in result.errors]
    assert found == [
        (5, "tanggal_tiba"),
        (9, "titik_masuk"),
        (14, "nama"),
        (14, "nik"),
        (22, "jenis_dokumen"),
        (27, ""),
        (30, "kode_wilayah_asal"),
    ]
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert reasons[(5, "tanggal_tiba")] == "Bukan tanggal: tulis YYYY-MM-DD atau DD/MM/YYYY."
    assert reasons[(14, "nama")] == "Wajib diisi."
    assert reasons[(14, "nik")] == "NIK terdiri dari tepat 16 digit."
    assert reasons[(27, "")] == "Kepulangan yang sama dengan baris 26."
    assert AuditEvent.objects.filter(action="return.import", outcome="failed").count() == 1


def test_unknown_and_missing_columns_are_reported_on_row_one(people):
    content = b"nama;tanggal;jenis_dokumen\nAyu;2025-01-01;SPLP\n"
    result = import_returns(people.pos, content, "x.csv")
    assert [(e.row, e.column) for e in result.errors] == [(1, "tanggal"), (1, "tanggal_tiba")]
    assert [e.reason for e in result.errors] == ["Kolom tidak dikenal.", "Kolom wajib tidak ada."]


def test_a_clean_file_imports_whole_and_a_rerun_creates_nothing(people):
    rows = [_row(i) for i in range(60)]
    content = _csv(rows, delimiter=";")
    result = import_returns(people.pos, content, "deportasi.csv", list_reference="KJRI/123")
    assert result.ok and (result.total, result.created, result.skipped) == (60, 60, 0)
    assert result.persons_created == 60
    assert ReturnEvent.objects.filter(batch=result.batch).count() == 60
    sebunga = ReturnEvent.objects.filter(scope_region_id="61.01.09.2002").count()
    assert sebunga == 20
    # a NIK-only row falls back to the NIK's district
    assert ReturnEvent.objects.filter(scope_region_id="61.01.09").count() == 20
    state = _state()
    again = import_returns(people.pos, content, "deportasi-lagi.csv", list_reference="KJRI/124")
    assert again.ok and (again.created, again.skipped) == (0, 60)
    assert _state() == state
    assert AuditEvent.objects.filter(action="person.bulk_create", count=60).count() == 1


def test_imported_people_are_sealed_like_any_vault_entry_and_reused(people):
    rows = [_row(0), _row(2)]
    result = import_returns(people.pos, _csv(rows), "a.csv")
    assert result.persons_created == 2
    person = ReturnEvent.objects.get(
        natural_key__isnull=False,
        batch=result.batch,
        person__nik_index__gt="",
        returned_on=timezone.localdate(),
    ).person
    data = IdentityData.from_bytes(keyring().open(person.sealed_identity, person_aad(person.id)))
    assert data.full_name == "Rina Marlina A" and data.passport == "X100000"
    assert person.masked_name == "R••• M••• A•••"
    assert [p.id for p in search_persons(people.pos, "rina marlina a")] == [person.id]
    # the same person deported again later: no new vault entry
    later = _row(0, tanggal_tiba=(timezone.localdate() - timedelta(days=90)).isoformat())
    second = import_returns(people.pos, _csv([later]), "b.csv")
    assert second.created == 1 and second.persons_created == 0


def test_a_hand_recorded_return_is_recognised_by_the_import(people):
    born = date(1990, 5, 6)
    actions.record_return(
        people.pos,
        IdentityData(full_name="Sri Wahyuni", passport="A1234567", birth_date=born.isoformat()),
        return_input(travel_document="passport"),
    )
    row = _row(
        1,
        nama="SRI  WAHYUNI",
        tanggal_lahir=born.strftime("%d/%m/%Y"),
        jenis_dokumen="PASPOR",
        nomor_dokumen="a 1234567",
        tanggal_tiba=timezone.localdate().isoformat(),
        nik="",
    )
    result = import_returns(people.pos, _csv([row]), "c.csv")
    assert result.ok and (result.created, result.skipped) == (0, 1)


def test_only_agencies_that_receive_returns_may_import(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_returns(people.desa, _csv([_row(0)]), "a.csv")
    assert ReturnEvent.objects.count() == 0


def test_the_command_line_import(people, tmp_path):
    path = tmp_path / "deportasi.csv"
    path.write_bytes(_csv([_row(i, titik_masuk="") for i in range(5)]))
    out = io.StringIO()
    call_command(
        "import_returns", str(path), "--user", "pos.aruk", "--entry-point", "PLBN_ARUK", stdout=out
    )
    assert "5 returns created" in out.getvalue()
    call_command(
        "import_returns", str(path), "--user", "pos.aruk", "--entry-point", "PLBN_ARUK", stdout=out
    )
    assert "0 returns created" in out.getvalue() and "5 already recorded" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([_row(0, titik_masuk="")]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_returns", str(bad), "--user", "pos.aruk", stdout=out)
    assert out.getvalue().splitlines() == ["row;column;reason", "2;titik_masuk;Wajib diisi."]
    assert ReturnEvent.objects.count() == 5


def test_xlsx_is_read_when_openpyxl_is_installed(people):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    row = _row(0)
    row[HEADER.index("tanggal_tiba")] = timezone.localdate()  # a real date cell
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_returns(people.pos, buffer.getvalue(), "list.xlsx")
    assert result.ok and result.created == 1


def test_xlsx_without_openpyxl_gives_a_clear_error(people, monkeypatch):
    import builtins

    from simpul.migration.importer import XlsxUnavailable

    real_import = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name == "openpyxl":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(XlsxUnavailable):
        import_returns(people.pos, b"PK\x03\x04", "list.xlsx")


def test_dates_sexes_and_kinds_are_checked(people):
    today = timezone.localdate()
    rows = [
        _row(
            0,
            tanggal_lahir=(today - timedelta(days=1)).strftime("%d/%m/%Y"),
            tanggal_tiba=(today - timedelta(days=2)).isoformat(),
        ),
        _row(1, tanggal_tiba=(today + timedelta(days=1)).isoformat()),
        _row(2, jenis_kelamin="X"),
        _row(3, nomor_dokumen=""),
    ]
    result = import_returns(people.pos, _csv(rows), "d.csv")
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "tanggal_lahir", "Tanggal lahir setelah tanggal kedatangan."),
        (3, "tanggal_tiba", "Tanggal kedatangan di masa depan."),
        (4, "jenis_kelamin", "Jenis kelamin tidak dikenal: tulis L atau P."),
        (5, "nomor_dokumen", "Nomor SPLP atau paspor tidak diisi."),
    ]
    assert ReturnEvent.objects.count() == 0
