"""Validate and decode the NIK, the 16-digit Indonesian population identity number.

Layout (docs/domain.md section 7)::

    PP KK CC  DD MM YY  SSSS
    kecamatan  birth     serial

The first six digits are the Kemendagri code of the kecamatan where the NIK was first
issued; moving house or a region split does not change them. Women have 40 added to the
birth day. The number carries no checksum, so these structural checks are all that can
be verified offline; a NIK that passes may still be forged or duplicated.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Literal

__all__ = [
    "MESSAGES",
    "NIK_LENGTH",
    "PROVINCE_CODES",
    "NikIssue",
    "NikResult",
    "clean_nik",
    "format_nik",
    "mask_nik",
    "validate_nik",
]

NIK_LENGTH = 16

# The 38 province codes in Kepmendagri 2025 (shared/data/wilayah, level == provinsi).
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    }
)

# English texts keyed by stable issue code. They carry no placeholders so that the Django
# layer can translate them by code with gettext without this module importing Django.
MESSAGES: dict[str, str] = {
    "length": "A NIK has exactly 16 digits.",
    "not_digits": "A NIK may contain only digits.",
    "unknown_province": "The first two digits are not a known province code.",
    "zero_regency": "Digits 3-4 (regency or city) cannot be 00.",
    "zero_district": "Digits 5-6 (district) cannot be 00.",
    "bad_birth_date": "Digits 7-12 do not form a real birth date.",
    "future_birth_date": "The birth date in the NIK lies in the future.",
    "zero_serial": "The last four digits (serial number) cannot be 0000.",
    "unknown_district": (
        "The district code is not in the current region list; "
        "it may be a district from before a region split."
    ),
}

# Women's birth days are stored with 40 added (41-71).
_FEMALE_DAY_OFFSET = 40

# Separators people type or print inside a NIK ("6101 0901 0190 0001", "61.01.09...").
_SEPARATORS = re.compile(r"[\s.\-]+")
# ASCII only: str.isdigit() would also accept other scripts' digits and superscripts.
_DIGITS = re.compile(r"[0-9]*")

# "Today" in Indonesia's easternmost time zone (WIT, UTC+9): a child born today in Papua
# must not be reported as born in the future while it is still yesterday in UTC.
_WIT = timezone(timedelta(hours=9))


@dataclass(frozen=True)
class NikIssue:
    """One problem found in a NIK: a stable machine code and its English message."""

    code: str
    message: str


@dataclass(frozen=True)
class NikResult:
    """What a NIK says about its holder, plus any errors and warnings.

    Decoded fields are None when the part of the NIK they come from is invalid.
    """

    nik: str
    valid: bool
    errors: tuple[NikIssue, ...]
    warnings: tuple[NikIssue, ...]
    province_code: str | None
    regency_code: str | None
    district_code: str | None
    birth_date: date | None
    sex: Literal["F", "M"] | None
    serial: str | None


def clean_nik(value: str) -> str:
    """Remove the spaces, dots and dashes people use to group a NIK's digits."""
    return _SEPARATORS.sub("", value.strip())


def validate_nik(
    value: str,
    *,
    known_district_codes: Container[str] | None = None,
    today: date | None = None,
) -> NikResult:
    """Check a NIK's structure and decode its region, birth date, sex and serial.

    `known_district_codes` holds kecamatan codes in "PP.KK.CC" form; a NIK whose prefix
    is missing from it only gets a warning, because NIK prefixes keep pointing at
    kecamatan that have since been split or renumbered. `today` defaults to the current
    date in WIT and decides the century of the two-digit birth year.
    """
    nik = clean_nik(value)
    if _DIGITS.fullmatch(nik) is None:
        return _rejected(nik, "not_digits")
    if len(nik) != NIK_LENGTH:
        return _rejected(nik, "length")

    errors: list[NikIssue] = []
    warnings: list[NikIssue] = []

    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    province_code = regency_code = district_code = None
    if province not in PROVINCE_CODES:
        errors.append(_issue("unknown_province"))
    else:
        province_code = province
    if regency == "00":
        errors.append(_issue("zero_regency"))
    elif province_code:
        regency_code = f"{province}.{regency}"
    if district == "00":
        errors.append(_issue("zero_district"))
    elif regency_code:
        district_code = f"{regency_code}.{district}"
    if (
        district_code is not None
        and known_district_codes is not None
        and district_code not in known_district_codes
    ):
        warnings.append(_issue("unknown_district"))

    sex, birth_date, date_issue = _decode_birth(nik[6:12], today or _today_in_indonesia())
    if date_issue:
        errors.append(_issue(date_issue))

    serial: str | None = nik[12:16]
    if serial == "0000":
        errors.append(_issue("zero_serial"))
        serial = None

    return NikResult(
        nik=nik,
        valid=not errors,
        errors=tuple(errors),
        warnings=tuple(warnings),
        province_code=province_code,
        regency_code=regency_code,
        district_code=district_code,
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )


def format_nik(nik: str) -> str:
    """Group a NIK by meaning for display: "610109 010190 0001" (region, birth, serial).

    Anything that is not 16 digits is returned cleaned but otherwise unchanged, so bad
    input stays visible as typed.
    """
    digits = clean_nik(nik)
    if len(digits) != NIK_LENGTH or _DIGITS.fullmatch(digits) is None:
        return digits
    return f"{digits[0:6]} {digits[6:12]} {digits[12:16]}"


def mask_nik(nik: str) -> str:
    """Hide all but the last four digits, e.g. "************1234".

    Four digits are enough for staff to tell records apart without exposing the region,
    birth date and sex that the rest of a NIK reveals.
    """
    digits = clean_nik(nik)
    visible = 4 if len(digits) > 4 else 0
    return "*" * (len(digits) - visible) + digits[len(digits) - visible :]


def _decode_birth(
    part: str, today: date
) -> tuple[Literal["F", "M"] | None, date | None, str | None]:
    """Decode DDMMYY into (sex, birth date, error code)."""
    day, month, year = int(part[0:2]), int(part[2:4]), int(part[4:6])
    sex: Literal["F", "M"]
    if 1 + _FEMALE_DAY_OFFSET <= day <= 31 + _FEMALE_DAY_OFFSET:
        sex, day = "F", day - _FEMALE_DAY_OFFSET
    elif 1 <= day <= 31:
        sex = "M"
    else:
        return None, None, "bad_birth_date"

    # Two digits cannot say the century; the most recent one that is not in the future
    # is the best guess (a NIK is issued from age 17, but children's records exist).
    possible: list[date] = []
    for century in (2000, 1900):
        try:
            possible.append(date(century + year, month, day))
        except ValueError:
            continue
    if not possible:
        return sex, None, "bad_birth_date"
    for candidate in possible:
        if candidate <= today:
            return sex, candidate, None
    return sex, None, "future_birth_date"


def _today_in_indonesia() -> date:
    return datetime.now(_WIT).date()


def _issue(code: str) -> NikIssue:
    return NikIssue(code, MESSAGES[code])


def _rejected(nik: str, code: str) -> NikResult:
    # Without 16 digits no position means anything, so nothing is decoded.
    return NikResult(
        nik=nik,
        valid=False,
        errors=(_issue(code),),
        warnings=(),
        province_code=None,
        regency_code=None,
        district_code=None,
        birth_date=None,
        sex=None,
        serial=None,
    )
