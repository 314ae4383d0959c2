"""search_regions on the subset file."""

import pytest

from simpul.regions.queries import search_regions

pytestmark = pytest.mark.usefixtures("subset_regions")


def found(text: str, **kwargs: object) -> list[str]:
    return [region.code for region in search_regions(text, **kwargs)]  # type: ignore[arg-type]


def test_name_search() -> None:
    assert found("sajingan") == ["61.01.09"]
    assert found("SAJINGAN besar") == ["61.01.09"]
    assert found("  sajingan   ") == ["61.01.09"]


def test_compact_name_finds_spaced_name() -> None:
    assert found("Tanjungpinang")[0] == "21.72"
    assert found("tanjung pinang")[0] == "21.72"
    assert "21.72.01" in found("Tanjungpinang")


def test_every_word_must_match() -> None:
    assert found("tanjung pinang barat") == ["21.72.01", "21.72.01.1001"]
    assert found("sajingan entikong") == []


def test_exact_names_rank_first_then_higher_levels() -> None:
    # "Sambas" is exactly the kecamatan and, without "Kabupaten", the regency: regency first.
    assert found("sambas")[:2] == ["61.01", "61.01.01"]
    assert found("kupang")[:2] == ["53.01", "53.71"]


def test_apostrophes_and_accents_are_ignored() -> None:
    assert found("regapuu") == ["53.07.01.2021"]
    assert found("Regapu'u") == ["53.07.01.2021"]
    assert found("Regapu\u2019u") == ["53.07.01.2021"]
    assert found("lubuk pakam") == ["12.07.28", "12.07.28.1007"]
    assert found("pakam i,ii") == ["12.07.28.1007"]


@pytest.mark.parametrize("text", ["61.01.09", "610109"])
def test_code_search(text: str) -> None:
    codes = found(text)
    assert codes[0] == "61.01.09"
    assert len(codes) == 6
    assert all(code.startswith("61.01.09") for code in codes)


def test_code_search_full_and_partial() -> None:
    assert found("6101092002") == ["61.01.09.2002"]
    assert found("61.01.09.2002") == ["61.01.09.2002"]
    # "6101" is Kabupaten Sambas: itself first, then its kecamatan.
    codes = found("6101", limit=5)
    assert codes[0] == "61.01"
    assert codes[1:] == ["61.01.01", "61.01.02", "61.01.03", "61.01.04"]
    assert found("99") == []


def test_within_restricts_results() -> None:
    assert "61.03.21" in found("e")
    within_sambas = found("e", within="61.01", limit=100)
    assert within_sambas
    assert all(code == "61.01" or code.startswith("61.01.") for code in within_sambas)
    assert found("entikong", within="61.01") == []
    assert found("entikong", within="6103") == ["61.03.21", "61.03.21.2003"]
    assert found("61.03", within="61.01") == []


def test_levels_restrict_results() -> None:
    assert found("sambas", levels=["kecamatan"]) == ["61.01.01"]
    assert found("sambas", levels=["kabupaten_kota", "kecamatan"]) == ["61.01", "61.01.01"]
    villages = found("a", levels=["desa_kelurahan"], limit=100)
    assert len(villages) > 10
    assert all(code.count(".") == 3 for code in villages)
    assert found("6101", levels=["provinsi"]) == []


def test_limit_and_blank_text() -> None:
    assert len(found("a", limit=3)) == 3
    assert found("") == []
    assert found("   ") == []
    assert found("-") == []


def test_invalid_restrictions_raise() -> None:
    with pytest.raises(ValueError, match="level"):
        search_regions("sambas", levels=["kota"])
    with pytest.raises(ValueError, match="region code"):
        search_regions("sambas", within="Sambas")
