"""Migration statistics for aggregate roles: no hidden cell can be worked out from the totals
(issue 21, finding 5: a hidden "<11" was the row total minus the shown cells, 35 - 34 = 1)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from simpul.core.disclosure import LEGEND, Cell
from simpul.migration.models import Departure
from tests.migration.builders import identity, register

pytestmark = pytest.mark.django_db

STATUSES = ["procedural", "incomplete", "non_procedural"]


def _recoverable(rows, totals):
    """(table row label, hidden key) pairs that one subtraction along a row or column gives."""
    found = []
    for r in rows:
        cells = [r.counts[s] for s in STATUSES] + [r.counts["total"]]
        hidden = [c for c in cells if isinstance(c, Cell) and c.suppressed]
        if len(hidden) == 1:
            found.append(r.label)
    for s in [*STATUSES, "total"]:
        column = [r.counts[s] for r in rows] + [totals.counts[s]]
        hidden = [c for c in column if isinstance(c, Cell) and c.suppressed]
        if len(hidden) == 1:
            found.append(s)
    return found


def _probe_world(people):
    """35 departures from Sambas: 34 procedural, 1 non-procedural (the probe's row)."""
    first = register(people.desa, identity(serial=9501))
    register(people.desa, identity(serial=9502), route="unofficial")
    assert first.procedural_status == "procedural"
    for n in range(33):
        first.pk = None
        first.reference = f"TEST-{n:04d}"
        first.save()
    assert Departure.objects.count() == 35


def test_probe_hidden_cell_is_no_longer_the_row_total_minus_the_shown_cells(people, signed_in):
    _probe_world(people)
    with translation.override("en"):
        response = signed_in("gt.kalbar").get(reverse("migration:statistics"))
    assert response.status_code == 200
    tables = response.context["tables"]
    [row] = tables["area"]
    assert row.label == "Kabupaten Sambas"
    assert str(row.counts["non_procedural"]) == "<11"
    total, shown = row.counts["total"], [row.counts[s] for s in STATUSES]
    # Before the fix: total 35 shown, 34 and 0 shown, so "<11" = 35 - 34 = 1.
    if not total.suppressed:
        assert sum(1 for c in shown if c.suppressed) >= 2
    for name in ("area", "route", "destination"):
        assert _recoverable(tables[name], tables[name].totals) == [], name
    # The grand total equals the row total here; it is hidden in every table alike.
    assert all(tables[n].totals.counts["total"].suppressed for n in tables)
    html = response.content.decode()
    assert "&lt;11" in html
    assert ">35<" not in html  # the total that gave the 1 away is not on the page


def test_record_users_still_see_exact_counts(people, signed_in):
    _probe_world(people)
    response = signed_in("desa.sebunga").get(reverse("migration:statistics"))
    [row] = response.context["tables"]["area"]
    assert row.counts["total"] == 35
    assert row.counts["procedural"] == 34 and row.counts["non_procedural"] == 1
    assert response.context["tables"]["area"].totals.counts["total"] == 35


def test_the_suppression_rule_is_explained_once(people, signed_in):
    _probe_world(people)
    response = signed_in("gt.kalbar").get(reverse("migration:statistics"))
    html = response.content.decode()
    with translation.override("id"):
        explanation = escape(str(LEGEND))
    [help_text] = re.findall(r'<p class="help">(.*?)</p>', html, re.S)
    # Before: a sentence of its own ("... shown as <11 so that ...") stood before the legend,
    # which says the same.
    assert help_text.strip() == explanation
