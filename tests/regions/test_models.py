"""Region model API."""

import pytest
from django.db.models import ProtectedError

from simpul.regions.models import Region
from simpul.regions.queries import get_region, region_counts

pytestmark = pytest.mark.usefixtures("subset_regions")


def test_str_and_hierarchy() -> None:
    sajingan = Region.objects.get(code="61.01.09")
    assert str(sajingan) == "Sajingan Besar (61.01.09)"
    assert sajingan.parent is not None
    assert sajingan.parent.code == "61.01"
    assert sajingan.parent.level == Region.Level.REGENCY
    children = list(sajingan.children.all())
    assert len(children) == 5
    assert {child.level for child in children} == {Region.Level.VILLAGE}
    assert Region.objects.get(code="61").parent is None


def test_ancestors_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    sebunga = Region.objects.get(code="61.01.09.2002")
    with django_assert_num_queries(1):
        ancestors = sebunga.ancestors()
    assert [region.code for region in ancestors] == ["61", "61.01", "61.01.09"]
    province = Region.objects.get(code="61")
    with django_assert_num_queries(0):
        assert province.ancestors() == []


def test_is_ancestor_of() -> None:
    sambas = Region.objects.get(code="61.01")
    assert sambas.is_ancestor_of("61.01.09.2002")
    assert not sambas.is_ancestor_of("61.01")
    assert not sambas.is_ancestor_of("61.03.21")


def test_subtree_filter() -> None:
    q = Region.subtree_filter("code", "61.01.09")
    codes = set(Region.objects.filter(q).values_list("code", flat=True))
    assert "61.01.09" in codes
    assert "61.01.09.2002" in codes
    assert len(codes) == 6
    assert "61.01.01" not in codes
    # Through a foreign key, via the related code (Django needs no join for it): regions
    # whose parent is Kabupaten Sambas or lies below it.
    below = Region.objects.filter(Region.subtree_filter("parent__code", "61.01"))
    assert "JOIN" not in str(below.query)
    assert below.filter(code="61.01.09.2002").exists()
    assert not below.filter(code="61.01").exists()
    sajingan = Region.objects.get(code="61.01.09")
    assert set(Region.objects.filter(sajingan.subtree_q()).values_list("code", flat=True)) == codes


def test_parent_is_protected() -> None:
    with pytest.raises(ProtectedError):
        Region.objects.get(code="61.01.09").delete()


def test_get_region() -> None:
    sebunga = get_region("61.01.09.2002")
    assert sebunga is not None
    assert sebunga.name == "Sebunga"
    assert get_region("6101092002") == sebunga
    assert get_region("61.01.09.9999") is None
    assert get_region("Sebunga") is None


def test_region_counts() -> None:
    assert region_counts() == {
        "provinsi": 6,
        "kabupaten_kota": 11,
        "kecamatan": 26,
        "desa_kelurahan": 34,
    }
    assert sum(region_counts(vintage="other").values()) == 0
