"""Person records to comparison columns, tuned for Indonesian names and papers.

Input is the record format of `simpul link_file` (and of the vault reader): `record_id,
source, full_name, given_name, family_name, birth_date, sex, nik, passport, phone,
region_code`, any of them empty. Output is one Arrow table with the columns the Splink model
compares and blocks on (see `model.py`):

- names through `simpul.lib.names` (old spelling, Muhammad variants and abbreviations,
  titles, bin/binti with the father's name kept apart, "br." before a marga, spaced
  initials), then the tokens in written order, sorted (given and family name swapped), the
  "strong" tokens (without Balinese birth-order names and Muhammad, so a mononym or a
  dropped Muhammad still meets) and their phonetic keys (`soundex_id`);
- the birth date split into year, month and day, so partial dates ("1990", "1990-04") and
  day/month swaps compare; a missing or partial date, sex or region completed from the
  record's NIK where the NIK agrees with what is written (`_completed_from_nik`), with the
  dates and regions as written kept in `w_*` columns for training (`WRITTEN_COLUMNS`);
- NIK, passport and phone in one canonical form;
- the origin region at each level of the Kemendagri code (province, regency, district,
  village);
- blocking keys (`bk_*`), plain equality columns so blocking is portable across engines.

`indonesian=False` gives the same columns from plain lower-cased words, for benchmarks that
show what the Indonesian rules add.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from simpul.lib.names import WEAK_FIRST_TOKENS, WEAK_TOKENS, parse_name, soundex_id
from simpul.lib.nik import validate_nik
from simpul.lib.phone import normalise_phone

INPUT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "source",
    "full_name",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "nik",
    "passport",
    "phone",
    "region_code",
)

# Blocking keys: plain equality columns, also kept (keyed-hashed) as the index that
# incremental runs and the one-record check look candidates up in.
BLOCKING_KEYS: tuple[str, ...] = (
    "bk_phon_year",
    "bk_phon_reg",
    "bk_phon_regency",
    "bk_phon_regency_only",
    "bk_phon_md",
    "bk_min_dob",
    "bk_max_dob",
    "bk_dob_reg",
    "bk_village_year",
    "bk_min_district",
    "bk_max_district",
    "bk_min_regency_year",
    "bk_min_regency_year_only",
    "bk_max_regency_year",
    "bk_max_regency_year_only",
    "bk_prefix_year_district",
    "bk_prefix_year_regency",
    "bk_prefix_year_regency_only",
    "bk_prefix_dob",
    "bk_district_md",
)

_STRING_COLUMNS = (
    "unique_id",
    "source",
    "name_norm",
    "name_sorted",
    "name_strong",
    "name_phon",
    "father",
    "dob",
    "sex",
    "nik",
    "passport",
    "phone",
    "reg1",
    "reg2",
    "reg3",
    "reg4",
    *BLOCKING_KEYS,
)

SCHEMA = pa.schema(
    [
        *(pa.field(name, pa.string()) for name in _STRING_COLUMNS[:6]),
        pa.field("name_toks", pa.list_(pa.string())),
        *(pa.field(name, pa.string()) for name in _STRING_COLUMNS[6:8]),
        pa.field("dob_y", pa.int32()),
        pa.field("dob_m", pa.int32()),
        pa.field("dob_d", pa.int32()),
        *(pa.field(name, pa.string()) for name in _STRING_COLUMNS[8:]),
        # The birth date and region as written (see WRITTEN_COLUMNS).
        pa.field("w_dob_y", pa.int32()),
        pa.field("w_dob_m", pa.int32()),
        pa.field("w_dob_d", pa.int32()),
        pa.field("w_dob", pa.string()),
        pa.field("w_reg2", pa.string()),
        pa.field("w_reg3", pa.string()),
        pa.field("w_reg4", pa.string()),
    ]
)

# The compared columns hold the birth date and region completed from the record's NIK (see
# `_completed_from_nik`); these columns hold them as written, where only a missing value is
# taken from the NIK. Training reads these instead: among pairs that share a NIK, dates
# completed from that NIK agree by construction, and EM would learn that dates almost always
# agree exactly, over-weighting exact dates and under-weighting the partial dates real
# records have.
WRITTEN_COLUMNS: dict[str, str] = {
    "dob_y": "w_dob_y",
    "dob_m": "w_dob_m",
    "dob_d": "w_dob_d",
    "dob": "w_dob",
    "reg2": "w_reg2",
    "reg3": "w_reg3",
    "reg4": "w_reg4",
}

# Columns the per-record loop fills (the blocking keys and the date are derived after it).
_DERIVED = frozenset({"dob", "w_dob", *BLOCKING_KEYS})
_LOOP_COLUMNS_IN_SCHEMA = tuple(f.name for f in SCHEMA if f.name not in _DERIVED)
_LOOP_COLUMNS = (*_LOOP_COLUMNS_IN_SCHEMA, "phon_min", "phon_max")

_WORDS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True, slots=True)
class NameFeatures:
    norm: str | None
    sorted: str | None
    strong: str | None
    phon: str | None
    toks: list[str] | None
    father: str | None
    phon_min: str | None
    phon_max: str | None


_EMPTY_NAME = NameFeatures(None, None, None, None, None, None, None, None)


def name_features(text: str, *, indonesian: bool = True) -> NameFeatures:
    """The comparison columns of one written name."""
    if indonesian:
        parsed = parse_name(text)
        tokens = list(parsed.tokens)
        father = " ".join(parsed.father_tokens) or None
        # I/Ni lead a Balinese name, or end it when given and family name were swapped.
        ends = (0, len(tokens) - 1)
        strong = [
            t
            for i, t in enumerate(tokens)
            if t not in WEAK_TOKENS and not (i in ends and t in WEAK_FIRST_TOKENS)
        ] or tokens
        phon_tokens = sorted({_soundex(t) for t in strong} - {""})
    else:
        tokens = [w.lower() for w in _WORDS.findall(text)]
        father = None
        strong = tokens
        phon_tokens = sorted(set(tokens))
    if not tokens:
        return _EMPTY_NAME
    strong_sorted = sorted(strong)
    return NameFeatures(
        norm=" ".join(tokens),
        sorted=" ".join(sorted(tokens)),
        strong=" ".join(strong_sorted),
        phon=" ".join(phon_tokens) or None,
        toks=strong_sorted,
        father=father,
        phon_min=phon_tokens[0] if phon_tokens else None,
        phon_max=phon_tokens[-1] if phon_tokens else None,
    )


@lru_cache(maxsize=200_000)
def _soundex(token: str) -> str:
    return soundex_id(token)


@lru_cache(maxsize=200_000)
def parse_birth_date(value: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) from ISO, partial ISO, DD-MM-YYYY, DD/MM/YYYY or YYYYMMDD.

    Parts that cannot be real (month 13, day 32) are dropped rather than guessed, so an
    impossible date still compares on what is left.
    """
    parts = _DIGITS.findall(value)
    if not parts:
        return None, None, None
    year = month = day = None
    if len(parts) == 1:
        digits = parts[0]
        if len(digits) == 8:
            year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        elif len(digits) == 6:
            year, month = int(digits[:4]), int(digits[4:])
        elif len(digits) == 4:
            year = int(digits)
    elif len(parts[0]) == 4:
        year = int(parts[0])
        month = int(parts[1])
        day = int(parts[2]) if len(parts) > 2 else None
    elif len(parts) >= 3 and len(parts[2]) == 4:
        day, month, year = int(parts[0]), int(parts[1]), int(parts[2])
    if year is None or not 1880 <= year <= 2100:
        return None, None, None
    if month is not None and not 1 <= month <= 12:
        month = day = None
    if day is not None and not 1 <= day <= 31:
        day = None
    return year, month, day


_NULL_WORDS = frozenset({"nan", "none", "null"})


def _clean(value: Any) -> str:
    if not value:
        return ""
    text = (value if value.__class__ is str else str(value)).strip()
    if len(text) <= 4 and text.lower() in _NULL_WORDS:
        return ""
    return text


def _nik(value: str) -> str | None:
    digits = "".join(_DIGITS.findall(value))
    return digits if len(digits) >= 10 else None


def _passport(value: str) -> str | None:
    cleaned = _NOT_ALNUM.sub("", value.upper())
    return cleaned if len(cleaned) >= 5 else None


def _sex(value: str) -> str | None:
    head = value[:1].upper()
    if head in {"F", "P", "W"}:  # female, perempuan, wanita
        return "F"
    if head in {"M", "L"}:  # male, laki-laki
        return "M"
    return None


@lru_cache(maxsize=100_000)
def _region_levels(code: str) -> tuple[str | None, ...]:
    parts = [p for p in code.replace(" ", "").split(".") if p]
    return tuple(".".join(parts[:k]) if len(parts) >= k else None for k in (1, 2, 3, 4))


class FeatureBuilder:
    """Builds feature rows, remembering the parse of every name it has seen (names repeat a
    lot: a million records hold far fewer distinct names)."""

    def __init__(self, *, indonesian: bool = True) -> None:
        self.indonesian = indonesian
        self._names: dict[str, NameFeatures] = {}

    def name(self, text: str) -> NameFeatures:
        # Case never matters to the rules, so "SITI AMINAH" and "Siti Aminah" parse once.
        key = text.casefold()
        found = self._names.get(key)
        if found is None:
            found = name_features(text, indonesian=self.indonesian) if text else _EMPTY_NAME
            if len(self._names) > 200_000:
                self._names.clear()
            self._names[key] = found
        return found

    def build(self, columns: Mapping[str, Sequence[Any]]) -> pa.Table:
        """One Arrow table of features from input columns (lists of equal length).

        The per-record loop does what needs Python (names, dates, NIK, phone); the blocking
        keys are then joined column by column in Arrow, where a missing part leaves the key
        empty."""
        count = len(columns["record_id"])
        out: dict[str, list[Any]] = {name: [None] * count for name in _LOOP_COLUMNS}

        def get(name: str) -> Sequence[Any]:
            return columns.get(name) or [None] * count

        ids, sources = get("record_id"), get("source")
        fulls, givens, families = get("full_name"), get("given_name"), get("family_name")
        births, sexes, niks = get("birth_date"), get("sex"), get("nik")
        passports, phones, regions = get("passport"), get("phone"), get("region_code")
        o_uid, o_source, o_norm, o_sorted = (
            out["unique_id"],
            out["source"],
            out["name_norm"],
            out["name_sorted"],
        )
        o_strong, o_phon, o_toks, o_father = (
            out["name_strong"],
            out["name_phon"],
            out["name_toks"],
            out["father"],
        )
        o_y, o_m, o_d, o_sex = out["dob_y"], out["dob_m"], out["dob_d"], out["sex"]
        o_nik, o_passport, o_phone = out["nik"], out["passport"], out["phone"]
        o_r1, o_r2, o_r3, o_r4 = out["reg1"], out["reg2"], out["reg3"], out["reg4"]
        o_pmin, o_pmax = out["phon_min"], out["phon_max"]
        w_y, w_m, w_d = out["w_dob_y"], out["w_dob_m"], out["w_dob_d"]
        w_r2, w_r3, w_r4 = out["w_reg2"], out["w_reg3"], out["w_reg4"]
        name, clean = self.name, _clean
        for i in range(count):
            full = clean(fulls[i]) or " ".join(
                p for p in (clean(givens[i]), clean(families[i])) if p
            )
            nf = name(full)
            nik = _nik(clean(niks[i]))
            year, month, day = parse_birth_date(clean(births[i]))
            sex = _sex(clean(sexes[i]))
            region = clean(regions[i])
            written_date, written_region = (year, month, day), region
            if (
                nik is not None
                and len(nik) == 16
                and (day is None or sex is None or region.count(".") < 2)
            ):
                year, month, day, sex, region = _completed_from_nik(
                    nik, year, month, day, sex, region
                )
                # "As written" takes from the NIK only what is missing altogether.
                if written_date[0] is None:
                    written_date = (year, month, day)
                written_region = written_region or region
            w_y[i], w_m[i], w_d[i] = written_date
            if region:
                o_r1[i], o_r2[i], o_r3[i], o_r4[i] = levels = _region_levels(region)
                if written_region != region:  # never empty here: it is what was completed
                    levels = _region_levels(written_region)
                w_r2[i], w_r3[i], w_r4[i] = levels[1:]
            phone_raw = clean(phones[i])
            o_uid[i] = str(ids[i])
            o_source[i] = clean(sources[i]) or None
            o_norm[i] = nf.norm
            o_sorted[i] = nf.sorted
            o_strong[i] = nf.strong
            o_phon[i] = nf.phon
            o_toks[i] = nf.toks
            o_father[i] = nf.father
            o_pmin[i] = nf.phon_min
            o_pmax[i] = nf.phon_max
            o_y[i] = year
            o_m[i] = month
            o_d[i] = day
            o_sex[i] = sex
            o_nik[i] = nik
            o_passport[i] = _passport(clean(passports[i]))
            o_phone[i] = normalise_phone(phone_raw) if phone_raw else None
        arrays = {
            name: pa.array(out[name], SCHEMA.field(name).type) for name in _LOOP_COLUMNS_IN_SCHEMA
        }
        arrays["dob"] = _dates(arrays["dob_y"], arrays["dob_m"], arrays["dob_d"])
        arrays["w_dob"] = _dates(arrays["w_dob_y"], arrays["w_dob_m"], arrays["w_dob_d"])
        pmin = pa.array(out["phon_min"], pa.string())
        pmax = pa.array(out["phon_max"], pa.string())
        arrays.update(_blocking_keys(arrays, pmin, pmax))
        return pa.Table.from_arrays([arrays[field.name] for field in SCHEMA], schema=SCHEMA)


def _completed_from_nik(
    nik: str,
    year: int | None,
    month: int | None,
    day: int | None,
    sex: str | None,
    region: str,
) -> tuple[int | None, int | None, int | None, str | None, str]:
    """What the record leaves out, taken from its NIK (which encodes the birth date, the sex
    and the district of first registration) where the NIK agrees with what is written: a
    missing or year-only "1990" date becomes the NIK's full date when the NIK says 1990; a
    missing region, or one written only to its province or regency, becomes the NIK's
    district in that area. A NIK that disagrees (a typo, a falsified year) leaves the
    record as written; a full written date is never replaced."""
    decoded = validate_nik(nik)
    born = decoded.birth_date
    if born is not None and (
        year is None
        or (day is None and year == born.year and (month is None or month == born.month))
    ):
        year, month, day = born.year, born.month, born.day
    if sex is None and decoded.sex is not None:
        sex = decoded.sex
    district = decoded.district_code
    if district and (not region or (region.count(".") < 2 and district.startswith(region + "."))):
        region = district
    return year, month, day, sex, region


def _dates(year: pa.Array, month: pa.Array, day: pa.Array) -> pa.Array:
    """ISO dates where year, month and day are all known, else null."""

    def padded(values: pa.Array, width: int) -> pa.Array:
        return pc.utf8_lpad(pc.cast(values, pa.string()), width, "0")

    return pc.binary_join_element_wise(padded(year, 4), padded(month, 2), padded(day, 2), "-")


def _blocking_keys(
    arrays: Mapping[str, pa.Array], pmin: pa.Array, pmax: pa.Array
) -> dict[str, pa.Array]:
    """The `bk_*` columns: each joins its parts with "|" and is null when a part is."""

    def key(*parts: pa.Array) -> pa.Array:
        return pc.binary_join_element_wise(*parts, "|")

    phon, dob = arrays["name_phon"], arrays["dob"]
    year = pc.cast(arrays["dob_y"], pa.string())
    reg2, reg3, reg4 = arrays["reg2"], arrays["reg3"], arrays["reg4"]
    no_district = pc.is_null(reg3)
    nothing = pa.scalar(None, pa.string())

    def regency_only(values: pa.Array) -> pa.Array:
        return pc.if_else(no_district, values, nothing)

    regency = key(phon, reg2)
    day_month = pc.utf8_slice_codeunits(dob, 5)
    prefix = pc.utf8_slice_codeunits(arrays["name_strong"], 0, 3)
    min_regency_year = key(pmin, reg2, year)
    max_regency_year = key(pmax, reg2, year)
    prefix_year_regency = key(prefix, year, reg2)
    # The district: a record placed at its village still meets one placed at its district.
    place = reg3
    return {
        "bk_phon_year": key(phon, year),
        "bk_phon_reg": key(phon, reg3),
        # A record placed only at its regency meets everyone of that regency with the same
        # name (blocked one way: regency-only against all).
        "bk_phon_regency": regency,
        "bk_phon_regency_only": regency_only(regency),
        "bk_phon_md": key(phon, day_month),
        # A one-word name has both keys, so it meets either end of a longer name.
        "bk_min_dob": key(pmin, dob),
        "bk_max_dob": key(pmax, dob),
        "bk_dob_reg": key(dob, reg2),
        "bk_village_year": key(reg4, year),
        "bk_min_district": key(pmin, place),
        "bk_max_district": key(pmax, place),
        # One name word, regency and year, one way (a record placed only at its regency
        # against everyone of that regency): the other name word misspelt or missing.
        "bk_min_regency_year": min_regency_year,
        "bk_min_regency_year_only": regency_only(min_regency_year),
        "bk_max_regency_year": max_regency_year,
        "bk_max_regency_year_only": regency_only(max_regency_year),
        # The first three letters: a typo that changes the sound code (Yulifna, Yuliana).
        "bk_prefix_year_district": key(prefix, year, reg3),
        "bk_prefix_year_regency": prefix_year_regency,
        "bk_prefix_year_regency_only": regency_only(prefix_year_regency),
        "bk_prefix_dob": key(prefix, dob),
        # District and birthday: a falsified year and a misspelt name.
        "bk_district_md": key(reg3, day_month),
    }


def build_features(columns: Mapping[str, Sequence[Any]], *, indonesian: bool = True) -> pa.Table:
    return FeatureBuilder(indonesian=indonesian).build(columns)


def rows_to_columns(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in INPUT_COLUMNS}
    for row in rows:
        for name in INPUT_COLUMNS:
            columns[name].append(row.get(name))
    return columns
