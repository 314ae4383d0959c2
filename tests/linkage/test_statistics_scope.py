"""Linkage statistics for aggregate roles: scoped to the viewer's jurisdiction, no count below
11 and no figure that gives a hidden one away (issue 21, finding 5)."""

from datetime import date

import pytest
from django.utils import translation

from simpul.accounts.models import User
from simpul.core.disclosure import Cell
from simpul.identity.models import Person
from simpul.linkage import queries
from tests.linkage.helpers import add_person, nik

pytestmark = pytest.mark.django_db

TANJUNGPINANG = "21.72"


def _kepri_persons(n: int) -> None:
    for i in range(n):
        add_person(
            "pekerja.tpi",
            TANJUNGPINANG,
            full_name=f"Orang Kepri {chr(65 + i)}",
            nik=nik(date(1990, 1, 1 + i), 100 + i, district="217201"),
            birth_date=f"1990-01-{1 + i:02d}",
            sex="F",
        )


def _in(prefix: str) -> int:
    return Person.objects.filter(scope_region__code__startswith=prefix + ".").count() + (
        Person.objects.filter(scope_region__code=prefix).count()
    )


def test_a_province_analyst_sees_only_its_province(world, signed_in):
    _kepri_persons(12)
    kepri, kalbar = _in("21"), _in("61")
    assert kepri >= 12 and 0 < kalbar < 11 and kepri + kalbar <= Person.objects.count()
    response = signed_in("analis.kepri").get("/linkage/statistics/")
    assert response.status_code == 200
    persons = response.context["rows"][0][1]
    # Before the fix the page counted every person in the country.
    assert persons["records"].shown == kepri
    covered = queries.aggregate_persons(User.objects.get(username="analis.kepri"))
    assert covered is not None
    assert set(covered.values_list("scope_region__code", flat=True)) <= {
        c for c in Person.objects.values_list("scope_region__code", flat=True) if c.startswith("21")
    }
    assert not covered.filter(scope_region__code__startswith="61").exists()
    coordinator = signed_in("gt.kalbar").get("/linkage/statistics/")
    records = coordinator.context["rows"][0][1]["records"]
    assert records.value == kalbar and str(records) == "<11"


def test_counts_of_one_are_refused_and_no_row_gives_one_away(world, signed_in):
    with translation.override("en"):
        response = signed_in("gt.kalbar").get("/linkage/statistics/")
    assert response.status_code == 200
    cells: list[Cell] = [c for _label, row in response.context["rows"] for c in row.values()]
    assert all(c.shown is None or c.shown == 0 or c.shown >= 11 for c in cells)
    assert any(c.primary for c in cells)  # the world has small counts; they are hidden
    for _label, row in response.context["rows"]:
        # records = persons + merged: never exactly one of the three hidden.
        assert sum(c.suppressed for c in row.values()) != 1
    html = response.content.decode()
    assert "<td>1</td>" not in html and "&lt;11" in html
