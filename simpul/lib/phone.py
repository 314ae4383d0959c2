"""Normalise phone numbers to E.164 so that one number is stored, compared and masked once.

Numbers reach Simpul as typed by victims, families, recruiters and officials: national
("0812-3456-7890"), international with or without "+" ("+62 812...", "62812...",
"0062 812..."), with the trunk zero kept after the country code ("+62 (0)812...") or
foreign (Malaysian "+60..." for migrant workers). Matching needs one canonical form.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "country_code",
    "is_indonesian_mobile",
    "mask_phone",
    "normalise_phone",
]

# Characters people use to group digits; any other symbol makes the input unusable.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()]+")
# E.164: a country code never starts with 0, and the whole number has at most 15 digits.
# Fewer than 8 digits cannot be a reachable subscriber number anywhere we deal with.
_E164_DIGITS = re.compile(r"[1-9][0-9]{7,14}")
_INDONESIAN_MOBILE = re.compile(r"\+628[0-9]{8,11}")

# ITU country codes are prefix-free: zones 1 and 7 use one digit, and within the other
# zones these two-digit codes are assigned while every other code has three digits.
_TWO_DIGIT_COUNTRY_CODES: frozenset[str] = frozenset(
    {
        "20",
        "27",
        "30",
        "31",
        "32",
        "33",
        "34",
        "36",
        "39",
        "40",
        "41",
        "43",
        "44",
        "45",
        "46",
        "47",
        "48",
        "49",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "81",
        "82",
        "84",
        "86",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
    }
)

_MASK = "\u2022"  # bullet
_VISIBLE_TAIL = 3


def normalise_phone(value: str, default_country: str = "62") -> str | None:
    """Return the number as "+<country><number>", or None if it cannot be a phone number.

    A leading "0" is the trunk prefix of `default_country`, "00" is the international
    call prefix, and bare digits that do not start with the default country code are
    read as a national number typed without its trunk zero ("812..." on forms that
    print "+62" in front of the field). Letters anywhere give None rather than a guess.
    """
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    if not compact or any(char.isalpha() for char in compact):
        return None

    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif compact.startswith("0"):
        digits = default_country + compact[1:]
    elif compact.startswith(default_country):
        digits = compact
    else:
        digits = default_country + compact

    # "+62 (0)812..." keeps the trunk zero after the country code; numbers in the default
    # country never start with it internationally, so every such zero is dropped. Dropping
    # all of them (not just one) keeps the function idempotent.
    if digits.startswith(default_country):
        digits = default_country + digits[len(default_country) :].lstrip("0")

    if _E164_DIGITS.fullmatch(digits) is None:
        return None
    return "+" + digits


def is_indonesian_mobile(e164: str) -> bool:
    """True for "+62" followed by 8 and 8 to 11 more digits (all Indonesian mobile ranges)."""
    return _INDONESIAN_MOBILE.fullmatch(e164) is not None


def country_code(e164: str) -> str:
    """The country calling code of an E.164 number, without the "+" ("62", "1", "852")."""
    digits = e164.removeprefix("+")
    if digits[:1] in {"1", "7"}:
        return digits[:1]
    if digits[:2] in _TWO_DIGIT_COUNTRY_CODES:
        return digits[:2]
    return digits[:3]


def mask_phone(e164: str) -> str:
    """Show only the country code and the last three digits: "+62•••••••••890".

    Enough to confirm a number with the person on the line without exposing it on screen
    or in exports. Input that is not a phone number is masked completely.
    """
    number = normalise_phone(e164)
    if number is None:
        return _MASK * len(_SEPARATORS.sub("", e164))
    code = country_code(number)
    national = number[1 + len(code) :]
    hidden = max(len(national) - _VISIBLE_TAIL, 0)
    return f"+{code}{_MASK * hidden}{national[hidden:]}"
