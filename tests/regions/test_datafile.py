"""The vendored data file and the CSV parser: no database."""

import gzip
import re
from pathlib import Path

import pytest

from simpul.regions.datafile import (
    DATA_DIR,
    DEFAULT_DATA_FILE,
    RegionFileError,
    parse,
    read_bytes,
    read_region_file,
)

VENDORED_SHA256 = "8d95300b42468830c35e43475e273a21f65c05de3e7c22534ed993a0af728a12"
HEADER = "kode,nama,level,kode_induk\r\n"


def test_vendored_file_matches_readme_and_counts() -> None:
    region_file = read_region_file(DEFAULT_DATA_FILE)
    assert region_file.sha256 == VENDORED_SHA256
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert VENDORED_SHA256 in readme
    assert region_file.counts() == {
        "provinsi": 38,
        "kabupaten_kota": 514,
        "kecamatan": 7285,
        "desa_kelurahan": 83762,
    }
    names = {row.code: row.name for row in region_file.rows}
    assert names["12.07.28.1007"] == "Lubuk Pakam I,II"
    assert names["31.72"] == "Kota Administrasi Jakarta Utara"


def test_licence_is_vendored() -> None:
    licence = (DATA_DIR / "LICENSE-cahyadsn-wilayah.txt").read_text(encoding="utf-8")
    assert "Copyright (c) 2017-2025 Cahya DSN" in licence


def test_gzip_and_plain_give_the_same_checksum(tmp_path: Path) -> None:
    content = HEADER + "61,Kalimantan Barat,provinsi,\r\n"
    plain = tmp_path / "regions.csv"
    plain.write_text(content, encoding="utf-8", newline="")
    packed = tmp_path / "regions.csv.gz"
    packed.write_bytes(gzip.compress(content.encode()))
    assert read_bytes(plain) == read_bytes(packed)
    assert read_region_file(plain).sha256 == read_region_file(packed).sha256


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("code,name,level,parent\r\n61,Kalimantan Barat,provinsi,\r\n", "header"),
        (HEADER, "no data rows"),
        (HEADER + "61,Kalimantan Barat,provinsi\r\n", "columns"),
        (HEADER + "610,Kalimantan Barat,provinsi,\r\n", "not a dotted"),
        (HEADER + "61,Kalimantan Barat,kecamatan,\r\n", "level"),
        (HEADER + "61,Kalimantan Barat,provinsi,\r\n61.01,Sambas,kabupaten_kota,62\r\n", "parent"),
        (HEADER + "61.01,Kabupaten Sambas,kabupaten_kota,61\r\n", "not in file"),
        (HEADER + "61,Kalimantan Barat,provinsi,\r\n61,Kalbar,provinsi,\r\n", "duplicate"),
        (HEADER + "61, ,provinsi,\r\n", "name"),
        (HEADER + "61," + "x" * 101 + ",provinsi,\r\n", "name"),
    ],
)
def test_malformed_files_are_rejected(body: str, message: str) -> None:
    with pytest.raises(RegionFileError, match=re.escape(message)):
        parse(body.encode(), source="test.csv")


def test_broken_gzip_is_rejected(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(b"kode,nama,level,kode_induk\r\n")[:-6])
    with pytest.raises(RegionFileError, match="gzip"):
        read_bytes(broken)
