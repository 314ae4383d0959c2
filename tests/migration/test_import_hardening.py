"""Deportee list import, issue 21: per-agency "already recorded", unreadable files, ragged rows,
undecodable bytes, a new name for a known NIK, hostile characters and over-long values.

Every refused import leaves the database as it was and can be run again.
"""

import io
import time
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simpul.audit.models import AuditEvent
from simpul.identity.actions import person_aad
from simpul.identity.crypto import keyring
from simpul.identity.data import IdentityData
from simpul.identity.models import Person, PersonNameToken
from simpul.identity.queries import search_persons
from simpul.migration import actions
from simpul.migration.importer import UnreadableFile, import_returns
from simpul.migration.models import ImportBatch, ReturnEvent
from tests.migration.builders import return_input
from tests.migration.test_import import HEADER, _csv, _row

pytestmark = pytest.mark.django_db


def _state():
    return (
        ReturnEvent.objects.count(),
        Person.objects.count(),
        PersonNameToken.objects.count(),
        ImportBatch.objects.count(),
        AuditEvent.objects.exclude(outcome="failed").count(),
    )


def _id(msgid: str, **values: object) -> str:
    """Row reasons are written in Bahasa Indonesia, whatever the catalogue holds today."""
    with translation.override("id"):
        return _(msgid) % values if values else _(msgid)


def _identity(person: Person) -> IdentityData:
    return IdentityData.from_bytes(keyring().open(person.sealed_identity, person_aad(person.id)))


# --- finding 7: "already recorded" means recorded by this agency -----------------------------


def test_a_second_agency_imports_the_same_file_as_its_own_records(people):
    rows = [_row(i) for i in range(6)]  # even rows carry a NIK, every row a document number
    first = import_returns(people.pos, _csv(rows), "kjri.csv")
    assert first.ok and (first.created, first.skipped, first.persons_created) == (6, 0, 6)

    second = import_returns(people.sbp, _csv(rows), "kjri.csv")
    # nothing is skipped and nothing tells the second agency that another one holds these people
    assert second.ok and (second.total, second.created, second.skipped) == (6, 6, 0)
    assert second.persons_created == 6
    sbp = people.sbp.memberships.get().agency
    assert ReturnEvent.objects.filter(owner_agency=sbp).count() == 6
    assert ReturnEvent.objects.count() == 12
    # the second agency's people are its own: it sees its returns and finds the names
    assert len(search_persons(people.sbp, "rina marlina a")) == 1

    # and a re-run by either agency creates nothing
    state = _state()
    again = import_returns(people.sbp, _csv(rows), "kjri-lagi.csv")
    assert again.ok and (again.created, again.skipped) == (0, 6)
    assert import_returns(people.pos, _csv(rows), "kjri-lagi.csv").skipped == 6
    assert _state()[:4] == state[:4]


def test_a_return_recorded_by_hand_elsewhere_does_not_block_or_leak(people):
    identity = IdentityData(full_name="Sri Wahyuni", passport="A1234567", birth_date="1990-05-06")
    actions.record_return(people.pos, identity, return_input(travel_document="passport"))
    row = _row(
        1,
        nama="Sri Wahyuni",
        tanggal_lahir="06/05/1990",
        jenis_dokumen="PASPOR",
        nomor_dokumen="A1234567",
        tanggal_tiba=timezone.localdate().isoformat(),
        nik="",
    )
    result = import_returns(people.sbp, _csv([row]), "c.csv")
    assert result.ok and (result.created, result.skipped, result.persons_created) == (1, 0, 1)
    # the same return recorded by hand at a third agency is not refused either
    other = IdentityData(full_name="Dewi Lestari", passport="B7654321", birth_date="1991-02-03")
    actions.record_return(people.pos, other, return_input(travel_document="passport"))
    again = actions.record_return(people.sbp, other, return_input(travel_document="passport"))
    assert again.pk and ReturnEvent.objects.count() == 4
    # but twice by the same agency is
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.record_return(people.sbp, other, return_input(travel_document="passport"))
    assert ReturnEvent.objects.count() == 4


# --- finding 9: unreadable files ---------------------------------------------------------------


def _corrupt_xlsx_files() -> dict[str, bytes]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(_row(0))
    buffer = io.BytesIO()
    book.save(buffer)
    real = buffer.getvalue()
    not_a_book = io.BytesIO()
    with zipfile.ZipFile(not_a_book, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return {
        "not a zip": b"nama,tanggal_tiba\nAyu,2025-01-01\n",
        "a zip without a workbook": not_a_book.getvalue(),
        "a truncated workbook": real[: len(real) // 2],
        "empty": b"",
    }


def test_a_corrupt_xlsx_is_refused_cleanly(people):
    for label, content in _corrupt_xlsx_files().items():
        before = _state()
        with translation.override("en"):
            with pytest.raises(UnreadableFile) as caught:
                import_returns(people.pos, content, "daftar.xlsx")
            assert "cannot be read as an Excel workbook" in str(caught.value), label
        assert _state() == before, label
    assert AuditEvent.objects.filter(action="return.import", outcome="failed").count() == 4


def test_a_corrupt_xlsx_upload_gives_an_error_at_the_file_field(people, signed_in):
    client = signed_in("pos.aruk")
    before = _state()[:4]
    with translation.override("en"):
        response = client.post(
            reverse("migration:return_import"),
            {
                "file": SimpleUploadedFile("daftar.xlsx", b"PK\x03\x04 broken"),
                "encoding": "utf-8",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "The file cannot be read as an Excel workbook (.xlsx): it may be damaged or in "
        "another format. Save it again from the spreadsheet, or as CSV."
    ]
    assert _state()[:4] == before


def test_a_corrupt_xlsx_on_the_command_line_is_one_line_and_exit_1(people, tmp_path):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(CommandError) as caught:
        call_command("import_returns", str(path), "--user", "pos.aruk")
    message = str(caught.value)
    assert "\n" not in message and "daftar.xlsx" in message
    assert "Traceback" not in message
    assert caught.value.returncode == 1
    assert ReturnEvent.objects.count() == 0


# --- finding 9: ragged rows ------------------------------------------------------------------


def test_rows_with_too_few_or_too_many_cells_are_refused(people):
    rows = [_row(i) for i in range(5)]
    rows[1] = rows[1][:-2]  # two cells short
    rows[3] = [*rows[3], "extra"]  # one cell too many
    before = _state()
    result = import_returns(people.pos, _csv(rows), "ragged.csv")
    assert _state() == before
    msgid = "This row has %(found)d cells; the header has %(expected)d."
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (3, "", _id(msgid, found=9, expected=11)),
        (5, "", _id(msgid, found=12, expected=11)),
    ]


# --- finding 9: undecodable bytes ------------------------------------------------------------


MSG_ENCODING = (
    "The file is not valid %(encoding)s at byte %(byte)d (row %(row)d). Save it as "
    "UTF-8, or choose the encoding it was saved in."
)


def test_a_csv_that_is_not_valid_utf8_is_refused_naming_row_and_byte(people):
    content = _csv([_row(0), _row(1), _row(2)])
    position = content.index(b"Rina Marlina C")
    broken = content[:position] + b"Rina Marl\xe9\xff" + content[position + 11 :]
    before = _state()
    result = import_returns(people.pos, broken, "latin.csv")
    assert _state() == before
    assert [(e.row, e.column) for e in result.errors] == [(4, "")]
    assert result.errors[0].reason == _id(MSG_ENCODING, encoding="UTF-8", byte=position + 10, row=4)


def test_a_declared_windows_1252_file_is_read_and_undefined_bytes_are_refused(people):
    row = _row(0, nama="Désirée Anak Bujang")
    body = (",".join(HEADER) + "\r\n" + ",".join(row) + "\r\n").encode("cp1252")
    result = import_returns(people.pos, body, "win.csv", encoding="cp1252")
    assert result.ok and result.created == 1
    person = ReturnEvent.objects.get().person
    assert _identity(person).full_name == "Désirée Anak Bujang"
    # 0x81 is not a Windows-1252 character: refused, not replaced
    bad = body.replace("Désirée".encode("cp1252"), b"D\x81sir")
    before = _state()
    refused = import_returns(people.pos, bad, "win2.csv", encoding="cp1252")
    assert _state() == before
    at = bad.index(b"\x81") + 1
    assert [(e.row, e.reason) for e in refused.errors] == [
        (2, _id(MSG_ENCODING, encoding="Windows-1252", byte=at, row=2))
    ]


# --- finding 9: a new name for a known NIK ---------------------------------------------------


def test_a_new_name_for_a_known_nik_is_kept_as_another_name(people):
    first = import_returns(people.pos, _csv([_row(0)]), "a.csv")
    person = ReturnEvent.objects.get().person
    later = (timezone.localdate() - timedelta(days=120)).isoformat()
    row = _row(0, nama="Rina Marlena binti Ahmad", tanggal_tiba=later, nomor_dokumen="Y55")
    result = import_returns(people.pos, _csv([row]), "b.csv")
    assert first.ok and result.ok
    assert (result.created, result.persons_created, result.names_added) == (1, 0, 1)
    assert ReturnEvent.objects.filter(person=person).count() == 2
    data = _identity(Person.objects.get(pk=person.pk))
    assert data.full_name == "Rina Marlina A"
    assert data.aliases == ["Rina Marlena binti Ahmad"]
    assert [p.id for p in search_persons(people.pos, "marlena")] == [person.id]
    assert AuditEvent.objects.filter(action="person.update", record_id=str(person.pk)).count() == 1
    # the same name written differently is not a new name
    row = _row(0, nama="RINA  marlina a", tanggal_tiba=later, titik_masuk="PLBN_ENTIKONG")
    again = import_returns(people.pos, _csv([row]), "c.csv")
    assert again.ok and (again.created, again.names_added) == (1, 0)
    assert _identity(Person.objects.get(pk=person.pk)).aliases == ["Rina Marlena binti Ahmad"]


def test_two_names_for_one_new_nik_in_a_file_keep_both(people):
    later = (timezone.localdate() - timedelta(days=200)).isoformat()
    rows = [_row(0), _row(0, nama="Rina Marliana", tanggal_tiba=later, nomor_dokumen="Z1")]
    result = import_returns(people.pos, _csv(rows), "a.csv")
    assert result.ok and (result.created, result.persons_created) == (2, 1)
    assert result.names_added == 1
    data = _identity(ReturnEvent.objects.filter(batch=result.batch).first().person)
    assert (data.full_name, data.aliases) == ("Rina Marlina A", ["Rina Marliana"])


# --- finding 9 + 4: the same identity validation as the forms, length limits -----------------


@pytest.mark.parametrize(
    "bad",
    ["Rina\x00Marlina", "Rina \u202eanilraM", "Rina \u2066Marlina", "Rina\x07", "Rina\x85 M"],
)
def test_control_and_direction_characters_are_refused_at_their_row(people, bad):
    rows = [_row(0), _row(1, nama=bad), _row(2, depo=f"Depot {bad}")]
    before = _state()
    result = import_returns(people.pos, _csv(rows), "hostile.csv")
    assert _state() == before
    assert [(e.row, e.column) for e in result.errors] == [(3, "nama"), (4, "depo")]


def test_an_over_long_name_is_refused_quickly_at_its_row(people):
    rows = [_row(0), _row(1, nama="A" * 100_000), _row(2, nama="Rina " + "panjang" * 30)]
    before = _state()
    started = time.perf_counter()
    result = import_returns(people.pos, _csv(rows), "long.csv")
    assert time.perf_counter() - started < 5
    assert _state() == before
    assert [(e.row, e.column) for e in result.errors] == [(3, "nama"), (4, "nama")]


def test_over_long_document_numbers_and_free_text_are_refused(people):
    rows = [_row(0, nomor_dokumen="X" * 200), _row(1, perwakilan="K" * 500)]
    before = _state()
    result = import_returns(people.pos, _csv(rows), "long.csv")
    assert _state() == before
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "nomor_dokumen"),
        (3, "perwakilan"),
    ]
