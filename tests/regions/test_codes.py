"""Pure code and text helpers: no database."""

import pytest

from simpul.regions import codes
from simpul.regions.models import Region
from simpul.regions.text import clean_name, compact_text, search_text


def test_levels_match_model_choices() -> None:
    assert list(codes.LEVELS) == list(Region.Level.values)
    assert Region.Level.VILLAGE == "desa_kelurahan"


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("61", "provinsi", None),
        ("61.01", "kabupaten_kota", "61"),
        ("61.01.09", "kecamatan", "61.01"),
        ("61.01.09.2002", "desa_kelurahan", "61.01.09"),
    ],
)
def test_level_and_parent(code: str, level: str, parent: str | None) -> None:
    assert codes.is_valid_code(code)
    assert codes.level_of(code) == level
    assert codes.parent_code(code) == parent


@pytest.mark.parametrize(
    "bad",
    ["", "6", "610", "61.1", "61.01.9", "61.01.09.202", "61.01.09.20021", "1103010001", "61."],
)
def test_invalid_codes(bad: str) -> None:
    assert not codes.is_valid_code(bad)
    with pytest.raises(ValueError):
        codes.level_of(bad)


def test_ancestors_and_ancestry() -> None:
    assert codes.ancestor_codes("61.01.09.2002") == ["61", "61.01", "61.01.09"]
    assert codes.ancestor_codes("61") == []
    assert codes.is_ancestor_code("61.01", "61.01.09.2002")
    assert not codes.is_ancestor_code("61.01", "61.01")
    # A sibling whose code merely starts with the same digits is not a descendant.
    assert not codes.is_ancestor_code("61.0", "61.01")


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("61.01.09", "61.01.09"),
        ("610109", "61.01.09"),
        ("6101092002", "61.01.09.2002"),
        ("61010", "61.01.0"),
        (" 61 01 09 ", "61.01.09"),
        ("61.01.", "61.01."),
        ("61010920021", None),  # eleven digits: no Kemendagri code is that long
        ("sambas", None),
        ("61.01.099", None),
        ("", None),
    ],
)
def test_code_prefix(text: str, prefix: str | None) -> None:
    assert codes.code_prefix(text) == prefix


def test_normalize_code_needs_a_complete_code() -> None:
    assert codes.normalize_code("6101092002") == "61.01.09.2002"
    assert codes.normalize_code("61.01") == "61.01"
    assert codes.normalize_code("61010") is None
    assert codes.normalize_code("Sambas") is None


def test_search_text_and_compact() -> None:
    assert search_text("  Kota   Tanjung Pinang ") == "kota tanjung pinang"
    assert compact_text("Kota Tanjung Pinang") == "kotatanjungpinang"
    assert search_text("Regapu\u2019u") == "regapu'u"
    assert compact_text("Regapu\u2019u") == "regapuu"
    assert search_text("Bélo") == "belo"
    assert compact_text("Lubuk Pakam I,II") == "lubukpakamiii"


def test_clean_name_only_touches_whitespace() -> None:
    assert clean_name("Kota Administrasi Jakarta Utara ") == "Kota Administrasi Jakarta Utara"
    assert clean_name("Lubuk Pakam I,II") == "Lubuk Pakam I,II"
