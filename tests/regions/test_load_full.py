"""The full vendored file: the only tests that load all 91,599 rows (a few seconds)."""

import pytest

from simpul.regions.models import Region, RegionDataset
from simpul.regions.queries import region_counts

from .conftest import run_load_regions

EXPECTED = {
    "provinsi": 38,
    "kabupaten_kota": 514,
    "kecamatan": 7285,
    "desa_kelurahan": 83762,
}
SEBUNGA_PATH = "Sebunga, Sajingan Besar, Kabupaten Sambas, Kalimantan Barat"


@pytest.mark.django_db
def test_full_load_counts_hierarchy_and_second_run() -> None:
    output = run_load_regions()

    assert region_counts() == EXPECTED
    assert Region.objects.count() == 91599
    for level, total in EXPECTED.items():
        assert f"{level}: {total:,}" in output
    assert "total: 91,599" in output

    sajingan = Region.objects.get(code="61.01.09")
    assert sajingan.name == "Sajingan Besar"
    assert sajingan.level == Region.Level.DISTRICT
    assert sajingan.parent_id == "61.01"
    children = list(sajingan.children.all())
    assert children
    assert {child.level for child in children} == {Region.Level.VILLAGE}
    assert all(child.code.startswith("61.01.09.") for child in children)
    assert Region.objects.get(code="61.01.09.2002").path_name == SEBUNGA_PATH
    # Every row but the provinces has its parent, one level up.
    assert Region.objects.filter(parent__isnull=True).count() == 38
    assert not Region.objects.exclude(level=Region.Level.PROVINCE).filter(parent=None).exists()

    # The second run recognises the unchanged file and leaves everything as it was.
    dataset = RegionDataset.objects.get()
    second = run_load_regions()
    assert "up to date" in second
    assert region_counts() == EXPECTED
    assert Region.objects.get(code="61.01.09.2002").path_name == SEBUNGA_PATH
    assert RegionDataset.objects.get().loaded_at == dataset.loaded_at
