"""load_regions on the small subset file: idempotency, updates, atomicity."""

import gzip
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from simpul.regions.models import Region, RegionDataset
from simpul.regions.queries import region_counts

from .conftest import SUBSET_FILE, run_load_regions

SUBSET_COUNTS = {"provinsi": 6, "kabupaten_kota": 11, "kecamatan": 26, "desa_kelurahan": 34}


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Region.objects.order_by("code").values_list(
            "code",
            "name",
            "level",
            "parent",
            "path_name",
            "search_name",
            "search_compact",
            "vintage",
        )
    )


def test_subset_load(subset_regions: str) -> None:
    assert region_counts() == SUBSET_COUNTS
    assert "77 created" in subset_regions
    sebunga = Region.objects.get(code="61.01.09.2002")
    assert sebunga.path_name == "Sebunga, Sajingan Besar, Kabupaten Sambas, Kalimantan Barat"
    assert sebunga.search_name == "sebunga"
    assert sebunga.vintage == "kepmendagri-2025"
    jakarta_utara = Region.objects.get(code="31.72")
    assert jakarta_utara.name == "Kota Administrasi Jakarta Utara"
    assert jakarta_utara.search_compact == "kotaadministrasijakartautara"
    assert Region.objects.get(code="12.07.28.1007").name == "Lubuk Pakam I,II"
    regapuu = Region.objects.get(code="53.07.01.2021")
    assert regapuu.name == "Regapu\u2019u"
    assert regapuu.search_name == "regapu'u"
    assert regapuu.search_compact == "regapuu"
    dataset = RegionDataset.objects.get()
    assert dataset.row_count == 77
    assert dataset.vintage == "kepmendagri-2025"


def test_second_run_is_skipped_and_forced_run_changes_nothing(subset_regions: str) -> None:
    before = snapshot()
    assert "up to date" in run_load_regions("--file", str(SUBSET_FILE))
    assert snapshot() == before
    forced = run_load_regions("--file", str(SUBSET_FILE), "--force")
    assert "0 created, 77 updated" in forced
    assert snapshot() == before


def test_deleted_rows_are_restored(subset_regions: str) -> None:
    Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="61.01.09.").delete()
    output = run_load_regions("--file", str(SUBSET_FILE))
    assert "up to date" not in output
    assert region_counts() == SUBSET_COUNTS


def test_renamed_region_is_updated_with_its_subtree(subset_regions: str, tmp_path: Path) -> None:
    renamed = SUBSET_FILE.read_bytes().replace(b"Sajingan Besar", b"Sajingan Raya")
    changed = tmp_path / "renamed.csv.gz"
    changed.write_bytes(gzip.compress(renamed))

    output = run_load_regions("--file", str(changed))

    assert "0 created" in output
    assert region_counts() == SUBSET_COUNTS
    district = Region.objects.get(code="61.01.09")
    assert district.name == "Sajingan Raya"
    assert district.search_name == "sajingan raya"
    assert district.search_compact == "sajinganraya"
    assert Region.objects.get(code="61.01.09.2002").path_name.startswith("Sebunga, Sajingan Raya,")
    assert RegionDataset.objects.get().sha256 != ""


def test_failed_load_leaves_nothing_behind(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure after the rows were written")

    monkeypatch.setattr(RegionDataset.objects, "update_or_create", fail)
    with pytest.raises(RuntimeError):
        run_load_regions("--file", str(SUBSET_FILE))
    assert Region.objects.count() == 0


def test_bad_file_is_a_command_error(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,nama\r\n61,Kalimantan Barat\r\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header"):
        run_load_regions("--file", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        run_load_regions("--file", str(tmp_path / "missing.csv"))
    assert Region.objects.count() == 0
