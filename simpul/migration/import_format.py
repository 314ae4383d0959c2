"""The deportee-list format: columns, vocabularies, file reading and row validation.

Every problem becomes a `RowError` (row number as in a spreadsheet, header = row 1; the column
as written in the file; the reason in Bahasa Indonesia). `importer.py` writes what passes.
"""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simpul.identity.data import IdentityData
from simpul.identity.validation import clean_identity, nik_messages
from simpul.lib.names import name_tokens
from simpul.lib.nik import validate_nik
from simpul.lib.text import unsafe_character
from simpul.migration.codes import CROSSING_POINTS, Country, ReturnDocument, ReturnKind
from simpul.migration.keys import return_key
from simpul.regions.models import Region

MAX_ROWS = 100_000

# Canonical column -> accepted headers (case and spaces ignored). Indonesian first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nama", "name", "nama_lengkap", "full_name"),
    "birth_date": ("tanggal_lahir", "tgl_lahir", "birth_date", "date_of_birth"),
    "sex": ("jenis_kelamin", "jk", "sex"),
    "nik": ("nik",),
    "document_type": ("jenis_dokumen", "document_type"),
    "document_number": ("nomor_dokumen", "no_dokumen", "document_number", "passport_splp"),
    "arrival_date": ("tanggal_tiba", "tanggal_kedatangan", "arrival_date", "returned_on"),
    "entry_point": ("titik_masuk", "entry_point"),
    "kind": ("jenis_kepulangan", "return_kind", "kind"),
    "from_country": ("negara_asal", "from_country"),
    "depot": ("depo", "asal_depo", "depot"),
    "consulate": ("perwakilan", "consulate"),
    "home_region": ("kode_wilayah_asal", "home_region"),
    "onward_region": ("kode_wilayah_tujuan", "onward_region"),
    "shelter": ("penampungan", "shelter"),
    "receiving_team": ("tim_penerima", "receiving_team"),
}
REQUIRED = ("name", "document_type", "arrival_date")
# The identity fields `clean_identity` (the forms' validation) checks -> their columns.
_IDENTITY_COLUMNS = {
    "full_name": "name",
    "nik": "nik",
    "passport": "document_number",
    "birth_date": "birth_date",
    "sex": "sex",
}
FREE_TEXT_MAX = 120  # depot, consulate, shelter, receiving team (the model's limit)
# Encodings a CSV may be declared in -> the name shown to people.
ENCODINGS = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}

_DOCUMENTS = {
    "splp": ReturnDocument.SPLP,
    "paspor": ReturnDocument.PASSPORT,
    "passport": ReturnDocument.PASSPORT,
    "tidak ada": ReturnDocument.NONE,
    "tidakada": ReturnDocument.NONE,
    "none": ReturnDocument.NONE,
    "-": ReturnDocument.NONE,
}
_KINDS = {
    "": ReturnKind.DEPORTATION,
    "deportasi": ReturnKind.DEPORTATION,
    "deportation": ReturnKind.DEPORTATION,
    "repatriasi": ReturnKind.REPATRIATION,
    "repatriation": ReturnKind.REPATRIATION,
    "mandiri": ReturnKind.INDEPENDENT,
    "independent": ReturnKind.INDEPENDENT,
}
_SEXES = {"": "", "l": "M", "laki-laki": "M", "m": "M", "p": "F", "perempuan": "F", "f": "F"}
_COUNTRY_NAMES = {"malaysia": "MY", "singapura": "SG", "singapore": "SG", "brunei": "BN"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class XlsxUnavailable(Exception):
    """openpyxl is not installed: only CSV files can be read."""


class UnreadableFile(Exception):
    """The upload is not a readable workbook (damaged, truncated, or another format)."""

    def __str__(self) -> str:  # in the language active where it is shown
        return _(
            "The file cannot be read as an Excel workbook (.xlsx): it may be damaged or in "
            "another format. Save it again from the spreadsheet, or as CSV."
        )


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


class _Undecodable(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.reason)
        self.error = error


@dataclass
class ParsedRow:
    number: int
    identity: IdentityData
    tokens: tuple[str, ...]
    returned_on: date
    entry_point: str
    document: str
    kind: str
    from_country: str
    depot: str
    consulate: str
    home_region: str | None
    onward_region: str | None
    shelter: str
    receiving_team: str
    key: str = ""


def _header_key(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").split())


def read_table(content: bytes, filename: str, *, encoding: str = "utf-8") -> Iterator[list[str]]:
    """Rows of cells as text. CSV: in the declared `encoding` (UTF-8 with or without BOM, or
    Windows-1252), delimiter ',', ';' or tab; a byte that is not valid in that encoding refuses
    the file (never replaced). XLSX: the first sheet, through openpyxl; a damaged workbook
    raises `UnreadableFile`."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        yield from _read_xlsx(content)
        return
    text = _decode(content, encoding)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _decode(content: bytes, encoding: str) -> str:
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}")
    offset = len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0
    try:
        return content[offset:].decode(encoding)  # strict: nothing is replaced
    except UnicodeDecodeError as exc:
        at = offset + exc.start
        row = content.count(b"\n", 0, at) + 1
        reason = _(
            "The file is not valid %(encoding)s at byte %(byte)d (row %(row)d). Save it as "
            "UTF-8, or choose the encoding it was saved in."
        ) % {"encoding": ENCODINGS[encoding], "byte": at + 1, "row": row}
        raise _Undecodable(RowError(row, "", reason)) from None


def _read_xlsx(content: bytes) -> Iterator[list[str]]:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:
        raise XlsxUnavailable from exc
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged file fails in zipfile, lxml, openpyxl...: one answer
        raise UnreadableFile from exc
    try:
        width: int | None = None
        for values in book.worksheets[0].iter_rows(values_only=True):
            cells = [_cell_text(v) for v in values]
            # Empty cells right of the last column are not cells of the row: a sheet's rows
            # are as wide as its widest row. A value beyond the header stays and is refused.
            while cells and not cells[-1] and (width is None or len(cells) > width):
                cells.pop()
            if width is None:
                width = len(cells)
            yield cells + [""] * (width - len(cells))
    except Exception as exc:
        raise UnreadableFile from exc
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_date(value: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _parse_birth(value: str) -> str | None:
    """ISO birth date, or a bare year; None when unreadable."""
    if len(value) == 4 and value.isdigit():
        return value
    parsed = _parse_date(value)
    return parsed.isoformat() if parsed else None


class _Validator:
    def __init__(self, default_entry_point: str) -> None:
        self.default_entry_point = default_entry_point
        self.points = {p.code.casefold(): p.code for p in CROSSING_POINTS}
        self.points.update({p.name.casefold(): p.code for p in CROSSING_POINTS})
        self.districts = set(
            Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True)
        )
        self.nik_text = nik_messages()
        self.today = timezone.localdate()
        self.region_refs: set[str] = set()
        self.unsafe_text = _(
            "Contains a control or text-direction character (at character %(position)d): remove it."
        )
        self.too_long = _("Too long: at most %(max)d characters.")

    def row(
        self, number: int, cells: dict[str, tuple[str, str]], errors: list[RowError]
    ) -> ParsedRow | None:
        """Validate one row; `cells` maps canonical column -> (header as written, value)."""
        found: list[RowError] = []

        def value(col: str) -> str:
            return cells.get(col, ("", ""))[1].strip()

        failed: set[str] = set()

        def fail(col: str, reason: str) -> None:
            header = cells.get(col, (col, ""))[0] or col
            found.append(RowError(number, header, reason))
            failed.add(col)

        for col, (_header, raw) in cells.items():
            position = unsafe_character(raw.strip(" \t\r\n"))
            if position is not None:
                fail(col, self.unsafe_text % {"position": position})
        if failed:  # nothing else is read from a row that hides characters
            errors.extend(found)
            return None
        for col in REQUIRED:
            if not value(col):
                fail(col, _("Required value is missing."))
        name = " ".join(value("name").split())
        returned_on = _parse_date(value("arrival_date")) if value("arrival_date") else None
        if value("arrival_date") and returned_on is None:
            fail("arrival_date", _("Not a date: write YYYY-MM-DD or DD/MM/YYYY."))
        elif returned_on and returned_on > self.today:
            fail("arrival_date", _("The arrival date is in the future."))
        birth = ""
        if value("birth_date"):
            parsed_birth = _parse_birth(value("birth_date"))
            if parsed_birth is None:
                fail("birth_date", _("Not a date: write YYYY-MM-DD or DD/MM/YYYY."))
            elif returned_on and parsed_birth > returned_on.isoformat()[: len(parsed_birth)]:
                fail("birth_date", _("The birth date is after the arrival date."))
            else:
                birth = parsed_birth
        point_text = value("entry_point") or self.default_entry_point
        point = self.points.get(point_text.casefold())
        if not point_text:
            fail("entry_point", _("Required value is missing."))
        elif point is None:
            fail("entry_point", _("Unknown entry point: use a code from the documentation."))
        document = _DOCUMENTS.get(value("document_type").casefold())
        if value("document_type") and document is None:
            fail("document_type", _("Unknown document type: write SPLP, PASPOR or TIDAK ADA."))
        number_text = "".join(value("document_number").split()).upper()
        if document in (ReturnDocument.SPLP, ReturnDocument.PASSPORT) and not number_text:
            fail("document_number", _("The SPLP or passport number is missing."))
        kind = _KINDS.get(value("kind").casefold())
        if kind is None:
            fail("kind", _("Unknown kind of return: write DEPORTASI, REPATRIASI or MANDIRI."))
        sex = _SEXES.get(value("sex").casefold())
        if sex is None:
            fail("sex", _("Unknown sex: write L or P."))
        country_text = value("from_country")
        country = _COUNTRY_NAMES.get(country_text.casefold(), country_text.upper() or "MY")
        if country not in Country.values:
            fail("from_country", _("Unknown country: use a two-letter code such as MY."))
        nik = ""
        if value("nik"):
            result = validate_nik(value("nik"), known_district_codes=self.districts)
            if result.errors:
                fail("nik", " ".join(self.nik_text.get(i.code, i.message) for i in result.errors))
            nik = result.nik
        home = self._region(value("home_region"))
        onward = self._region(value("onward_region"))
        for col in ("depot", "consulate", "shelter", "receiving_team"):
            if len(value(col)) > FREE_TEXT_MAX:
                fail(col, self.too_long % {"max": FREE_TEXT_MAX})
        try:  # the same identity validation as the forms (length limits included)
            clean_identity(
                IdentityData(
                    full_name=name,
                    passport=number_text,
                    birth_date=birth if "birth_date" not in failed else "",
                    sex=sex or "",
                )
            )
        except ValidationError as exc:
            for identity_field, messages in exc.message_dict.items():
                col = _IDENTITY_COLUMNS.get(identity_field, identity_field)
                if col not in failed:
                    fail(col, " ".join(messages))
        if found:
            errors.extend(found)
            return None
        assert returned_on is not None and point is not None and document is not None
        tokens = tuple(name_tokens(name))
        identity = IdentityData(
            full_name=name, nik=nik, passport=number_text, birth_date=birth, sex=sex or ""
        )
        return ParsedRow(
            number=number,
            identity=identity,
            tokens=tokens,
            returned_on=returned_on,
            entry_point=point,
            document=document,
            kind=kind or ReturnKind.DEPORTATION,
            from_country=country,
            depot=value("depot"),
            consulate=value("consulate"),
            home_region=home,
            onward_region=onward,
            shelter=value("shelter"),
            receiving_team=value("receiving_team"),
        )

    def _region(self, text: str) -> str | None:
        if not text:
            return None
        code = text.strip()
        if "." not in code and code.isdigit():  # undotted Kemendagri code
            parts = [code[0:2], code[2:4], code[4:6], code[6:]]
            code = ".".join(p for p in parts if p)
        self.region_refs.add(code)
        return code


def _map_header(header: list[str]) -> tuple[dict[int, tuple[str, str]], list[RowError]]:
    alias = {a: col for col, names in COLUMNS.items() for a in names}
    mapping: dict[int, tuple[str, str]] = {}
    errors: list[RowError] = []
    seen: set[str] = set()
    for index, raw in enumerate(header):
        key = _header_key(raw)
        if not key:
            continue
        col = alias.get(key)
        if col is None:
            errors.append(RowError(1, raw, _("Unknown column.")))
        elif col in seen:
            errors.append(RowError(1, raw, _("This column appears twice.")))
        else:
            mapping[index] = (col, raw.strip())
            seen.add(col)
    for col in REQUIRED:
        if col not in seen:
            errors.append(RowError(1, COLUMNS[col][0], _("Required column is missing.")))
    return mapping, errors


def validate_file(
    rows: Iterable[list[str]], *, default_entry_point: str = ""
) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; returns the parsed rows and every error (all in Bahasa Indonesia)."""
    with translation.override("id"):
        iterator = iter(rows)
        try:
            header = next(iterator, None)
        except _Undecodable as exc:
            return [], [exc.error]
        if header is None:
            return [], [RowError(1, "", _("The file is empty."))]
        mapping, errors = _map_header(header)
        if errors:
            return [], errors
        width = len(header)
        validator = _Validator(default_entry_point)
        parsed: list[ParsedRow] = []
        first_by_key: dict[str, int] = {}
        for number, cells in enumerate(iterator, start=2):
            if not any(c.strip() for c in cells):
                continue
            if number - 1 > MAX_ROWS:
                errors.append(RowError(number, "", _("Too many rows: split the file.")))
                break
            if len(cells) != width:
                errors.append(
                    RowError(
                        number,
                        "",
                        _("This row has %(found)d cells; the header has %(expected)d.")
                        % {"found": len(cells), "expected": width},
                    )
                )
                continue
            named = {mapping[i][0]: (mapping[i][1], c) for i, c in enumerate(cells) if i in mapping}
            row = validator.row(number, named, errors)
            if row is None:
                continue
            row.key = return_key(
                row.entry_point,
                row.returned_on,
                row.identity.passport,
                " ".join(row.tokens),
                row.identity.birth_date,
                name_is_canonical=bool(row.tokens),
            )
            if row.key in first_by_key:
                errors.append(
                    RowError(
                        number,
                        "",
                        _("The same return as row %(row)d.") % {"row": first_by_key[row.key]},
                    )
                )
                continue
            first_by_key[row.key] = number
            parsed.append(row)
        known = set(
            Region.objects.filter(pk__in=validator.region_refs).values_list("pk", flat=True)
        )
        for row in parsed:
            for col, code in (
                ("home_region", row.home_region),
                ("onward_region", row.onward_region),
            ):
                if code and code not in known:
                    header_name = next((h for c, h in mapping.values() if c == col), col)
                    errors.append(RowError(row.number, header_name, _("Unknown region code.")))
        errors.sort(key=lambda e: (e.row, e.column))
        return parsed, errors
