"""The pair page shows nothing about a record outside the reviewer's scope except that it is
outside (issue 21, finding 9: it showed that record's agency, area and registries)."""

from datetime import date

import pytest

from simpul.linkage.models import LinkedPair, PairStatus
from tests.linkage.helpers import SEBUNGA, add_person, nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def cross_pair(world):
    mine = add_person(
        "pekerja.sambas",
        SEBUNGA,
        full_name="Rina Marlina",
        nik=nik(date(1991, 2, 3), 5),
        birth_date="1991-02-03",
        sex="F",
    )
    other = add_person("pekerja.tpi", "21.72", full_name="Rina Marlina", birth_date="1991", sex="F")
    a, b = sorted([mine, other], key=lambda p: str(p.pk))
    pair = LinkedPair.objects.create(
        person_a=a,
        person_b=b,
        probability=0.8,
        match_weight=3.0,
        weights={"name": 9.0},
        status=PairStatus.REVIEW,
    )
    return pair, mine, other


def test_the_out_of_scope_side_shows_only_that_it_is_out_of_scope(signed_in, cross_pair):
    pair, mine, other = cross_pair
    client = signed_in("supervisor.sambas")
    page = client.get(f"/linkage/review/{pair.id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.code in body
    assert body.count(mine.masked_name) == 1  # the same masked name, shown for my side only
    for leaked in (
        other.code,
        "UPTD PPA Kota Tanjungpinang",
        "Tanjungpinang",
    ):
        assert leaked not in body, leaked
    sides = {s["visible"]: s for s in page.context["sides"]}
    assert sides[False]["person"] is None and sides[False]["registries"] == []
    assert sides[False]["cluster"] == ""
    queue = client.get("/linkage/review/").content.decode()
    assert mine.code in queue and other.code not in queue
    assert "UPTD PPA Kota Tanjungpinang" not in queue


def test_the_hidden_side_carries_no_data_into_the_page(signed_in, cross_pair):
    pair, _mine, _other = cross_pair
    page = signed_in("supervisor.sambas").get(f"/linkage/review/{pair.id}/")
    hidden = next(s for s in page.context["sides"] if not s["visible"])
    assert hidden == {"person": None, "visible": False, "registries": [], "cluster": ""}
