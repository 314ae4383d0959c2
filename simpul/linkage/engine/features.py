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
  day/month swaps compare; when it is missing, the date and sex encoded in the NIK;
- NIK, passport and phone in one canonical form;
- the origin region at each level of the Kemendagri code (province, regency, district,
  village), falling back to the NIK's district of first registration;
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
    ]
)

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


_NO_REGION: tuple[None, None, None, None] = (None, None, None, None)


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
        """One Arrow table of features from input columns (lists of equal length)."""
        count = len(columns["record_id"])
        out: dict[str, list[Any]] = {field.name: [None] * count for field in SCHEMA}

        def get(name: str) -> Sequence[Any]:
            return columns.get(name) or [None] * count

        ids, sources = get("record_id"), get("source")
        fulls, givens, families = get("full_name"), get("given_name"), get("family_name")
        births, sexes, niks = get("birth_date"), get("sex"), get("nik")
        passports, phones, regions = get("passport"), get("phone"), get("region_code")
        o = {name: out[name] for name in out}
        o_uid, o_source, o_norm, o_sorted = (
            o["unique_id"],
            o["source"],
            o["name_norm"],
            o["name_sorted"],
        )
        o_strong, o_phon, o_toks, o_father = (
            o["name_strong"],
            o["name_phon"],
            o["name_toks"],
            o["father"],
        )
        o_dob, o_y, o_m, o_d, o_sex = o["dob"], o["dob_y"], o["dob_m"], o["dob_d"], o["sex"]
        o_nik, o_passport, o_phone = o["nik"], o["passport"], o["phone"]
        o_r1, o_r2, o_r3, o_r4 = o["reg1"], o["reg2"], o["reg3"], o["reg4"]
        k_year, k_reg, k_md = o["bk_phon_year"], o["bk_phon_reg"], o["bk_phon_md"]
        k_min_dob, k_max_dob, k_dob_reg = o["bk_min_dob"], o["bk_max_dob"], o["bk_dob_reg"]
        k_regency, k_regency_only = o["bk_phon_regency"], o["bk_phon_regency_only"]
        k_village, k_min_place, k_max_place = (
            o["bk_village_year"],
            o["bk_min_district"],
            o["bk_max_district"],
        )
        for i in range(count):
            full = _clean(fulls[i]) or " ".join(
                p for p in (_clean(givens[i]), _clean(families[i])) if p
            )
            nf = self.name(full)
            nik = _nik(_clean(niks[i]))
            year, month, day = parse_birth_date(_clean(births[i]))
            sex = _sex(_clean(sexes[i]))
            region = _clean(regions[i])
            if nik is not None and len(nik) == 16 and (year is None or sex is None or not region):
                decoded = validate_nik(nik)
                born = decoded.birth_date
                if year is None and born is not None:
                    year, month, day = born.year, born.month, born.day
                if sex is None and decoded.sex is not None:
                    sex = decoded.sex
                if not region and decoded.district_code:
                    region = decoded.district_code
            dob = (
                f"{year:04d}-{month:02d}-{day:02d}"
                if year is not None and month is not None and day is not None
                else None
            )
            reg1, reg2, reg3, reg4 = _region_levels(region) if region else _NO_REGION
            phone_raw = _clean(phones[i])
            phone = normalise_phone(phone_raw) if phone_raw else None
            phon, pmin, pmax = nf.phon, nf.phon_min, nf.phon_max
            # The district: a record placed at its village still meets one placed at its
            # district only.
            place = reg3

            o_uid[i] = str(ids[i])
            o_source[i] = _clean(sources[i]) or None
            o_norm[i] = nf.norm
            o_sorted[i] = nf.sorted
            o_strong[i] = nf.strong
            o_phon[i] = phon
            o_toks[i] = nf.toks
            o_father[i] = nf.father
            o_dob[i] = dob
            o_y[i] = year
            o_m[i] = month
            o_d[i] = day
            o_sex[i] = sex
            o_nik[i] = nik
            o_passport[i] = _passport(_clean(passports[i]))
            o_phone[i] = phone
            o_r1[i] = reg1
            o_r2[i] = reg2
            o_r3[i] = reg3
            o_r4[i] = reg4
            if phon:
                if year is not None:
                    k_year[i] = f"{phon}|{year}"
                if reg3:
                    k_reg[i] = f"{phon}|{reg3}"
                # A record placed only at its regency meets everyone of that regency with
                # the same name (blocked one way: regency-only against all).
                if reg2:
                    k_regency[i] = f"{phon}|{reg2}"
                    if not reg3:
                        k_regency_only[i] = k_regency[i]
                if dob:
                    k_md[i] = f"{phon}|{dob[5:]}"
            if dob:
                # A one-word name has both keys, so it meets either end of a longer name.
                if pmin:
                    k_min_dob[i] = f"{pmin}|{dob}"
                    k_max_dob[i] = f"{pmax}|{dob}"
                if reg2:
                    k_dob_reg[i] = f"{dob}|{reg2}"
            if reg4 and year is not None:
                k_village[i] = f"{reg4}|{year}"
            if place and pmin:
                k_min_place[i] = f"{pmin}|{place}"
                k_max_place[i] = f"{pmax}|{place}"
        return pa.Table.from_pydict(out, schema=SCHEMA)


def build_features(columns: Mapping[str, Sequence[Any]], *, indonesian: bool = True) -> pa.Table:
    return FeatureBuilder(indonesian=indonesian).build(columns)


def rows_to_columns(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in INPUT_COLUMNS}
    for row in rows:
        for name in INPUT_COLUMNS:
            columns[name].append(row.get(name))
    return columns
