"""Pure helpers for dotted Kemendagri region codes (`PP.KK.CC.DDDD`); no database access.

BPS codes use a different, undotted scheme with 3-digit parts. The undotted input accepted
here is the Kemendagri code with its dots removed (2+2+2+4 digits), never a BPS code.
"""

import re

PROVINCE = "provinsi"
REGENCY = "kabupaten_kota"
DISTRICT = "kecamatan"
VILLAGE = "desa_kelurahan"

# Index = number of dotted parts - 1; also the display order from province down to village.
LEVELS: tuple[str, ...] = (PROVINCE, REGENCY, DISTRICT, VILLAGE)

# Width of each dotted part, province first.
PART_WIDTHS: tuple[int, ...] = (2, 2, 2, 4)

_FULL_CODE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
_DOTTED_PREFIX = re.compile(r"\d{1,2}(?:\.\d{0,2}(?:\.\d{0,2}(?:\.\d{0,4})?)?)?")
_CODE_LIKE = re.compile(r"[\d.\s]*\d[\d.\s]*")


def is_valid_code(code: str) -> bool:
    """True for a complete dotted code of any level, e.g. "61" or "61.01.09.2002"."""
    return _FULL_CODE.fullmatch(code) is not None


def level_of(code: str) -> str:
    """The level value for a complete dotted code; ValueError for anything else."""
    if not is_valid_code(code):
        raise ValueError(f"not a Kemendagri region code: {code!r}")
    return LEVELS[code.count(".")]


def level_rank(level: str) -> int:
    """0 for provinces up to 3 for villages."""
    return LEVELS.index(level)


def parent_code(code: str) -> str | None:
    """The parent's code, or None for a province."""
    head, dot, _ = code.rpartition(".")
    return head if dot else None


def ancestor_codes(code: str) -> list[str]:
    """Codes of all ancestors, province first, excluding the code itself."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def is_ancestor_code(ancestor: str, code: str) -> bool:
    """True when `ancestor` is a strict ancestor of `code` (a region is not its own ancestor)."""
    return code.startswith(ancestor + ".")


def looks_like_code(text: str) -> bool:
    """True when the text holds only digits, dots and spaces, with at least one digit."""
    return _CODE_LIKE.fullmatch(text.strip()) is not None


def dot_digits(digits: str) -> str:
    """Insert dots into undotted Kemendagri digits: "6101092002" -> "61.01.09.2002".

    A partial input keeps its last part short ("61010" -> "61.01.0"), so it still works as a
    prefix of every code that starts with those digits.
    """
    parts: list[str] = []
    rest = digits
    for width in PART_WIDTHS:
        if not rest:
            break
        parts.append(rest[:width])
        rest = rest[width:]
    return ".".join(parts)


def code_prefix(text: str) -> str | None:
    """A dotted prefix to match codes against, from dotted or undotted user input.

    Returns None when the text cannot be a (partial) Kemendagri code, e.g. more than ten
    digits or a part longer than its width.
    """
    cleaned = "".join(text.split())
    if not cleaned or not looks_like_code(cleaned):
        return None
    if "." not in cleaned:
        if len(cleaned) > sum(PART_WIDTHS):
            return None
        return dot_digits(cleaned)
    if _DOTTED_PREFIX.fullmatch(cleaned) is None:
        return None
    return cleaned


def normalize_code(text: str) -> str | None:
    """The complete dotted code for dotted or undotted input, or None if it is not one."""
    prefix = code_prefix(text)
    if prefix is None or not is_valid_code(prefix):
        return None
    return prefix
