"""The disclosure-control function: primary and complementary suppression (issue 21, finding 5)."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.core.disclosure import derivable, suppress_count, suppress_table

COUNTS = st.one_of(st.just(0), st.integers(1, 10), st.integers(11, 60))


def _hidden(table):
    keys = []
    for total, members in table.equations:
        for key in members + ([total] if total is not None else []):
            if table.item(key).suppressed and key not in keys:
                keys.append(key)
    return keys


@st.composite
def tables(draw):
    n_rows = draw(st.integers(0, 7))
    n_cols = draw(st.integers(1, 6))
    rows = draw(
        st.lists(
            st.lists(COUNTS, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows
        )
    )
    return rows, n_cols


@settings(max_examples=400, deadline=None)
@given(tables(), st.booleans(), st.booleans())
def test_no_hidden_item_is_one_subtraction_away(spec, row_totals, column_totals):
    rows, n_cols = spec
    table = suppress_table(rows, n_cols, row_totals=row_totals, column_totals=column_totals)
    assert derivable(table) == []
    # Independently of `derivable`: along every published row and column, the hidden items are
    # none or at least two, so "total minus the visible cells" never gives one of them.
    for total, members in table.equations:
        keys = members + ([total] if total is not None else [])
        assert sum(table.item(k).suppressed for k in keys) != 1


@settings(max_examples=400, deadline=None)
@given(tables(), st.booleans(), st.booleans())
def test_every_small_count_is_hidden_and_values_are_kept(spec, row_totals, column_totals):
    rows, n_cols = spec
    table = suppress_table(rows, n_cols, row_totals=row_totals, column_totals=column_totals)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            cell = table.cells[i][j]
            assert cell.value == v
            if 1 <= v <= 10:
                assert cell.suppressed and cell.primary
            if v == 0 and not cell.suppressed:
                assert str(cell) == "0"
    totals = (table.row_totals or []) + (table.column_totals or []) + [table.total]
    for cell in totals:
        if cell is not None and 1 <= cell.value <= 10:
            assert cell.suppressed
    for key in _hidden(table):
        assert table.item(key).shown is None


@settings(max_examples=300, deadline=None)
@given(tables())
def test_small_hidden_cells_are_not_pinned_by_their_sum(spec):
    """Two hidden 1s in a row with a shown total would each be 1 (sum 2, each at least 1)."""
    rows, n_cols = spec
    table = suppress_table(rows, n_cols)
    for total, members in table.equations:
        hidden = [table.item(k) for k in members if table.item(k).suppressed]
        if total is None or table.item(total).suppressed or len(hidden) < 2:
            continue
        if all(c.primary for c in hidden):
            assert sum(c.value for c in hidden) not in (len(hidden), 10 * len(hidden))


def test_probe_row_35_with_visible_cells_34_is_not_recoverable():
    """The probe: a row of 35 whose shown cells summed to 34, so the "<11" cell was 1."""
    table = suppress_table([[20, 14, 1], [30, 12, 15]], 3)
    assert table.row_totals[0].value == 35
    assert not table.row_totals[0].suppressed
    shown = [c.shown for c in table.cells[0]]
    # The 1 is hidden and so is the 14 (the smallest other non-zero cell of the row).
    assert shown == [20, None, None]
    assert table.row_totals[0].value - sum(v for v in shown if v is not None) == 15
    # Columns: the 14 and the 1 each needed a partner in their column too.
    assert table.cells[1][1].suppressed and table.cells[1][2].suppressed
    assert derivable(table) == []


def test_the_old_rule_alone_was_recoverable():
    """Primary suppression alone (what the migration statistics did) leaves the 1 derivable."""
    table = suppress_table([[20, 14, 1]], 3, column_totals=False)
    primary_only = [c.value if not c.primary else None for c in table.cells[0]]
    assert 35 - sum(v for v in primary_only if v is not None) == 1  # the leak
    assert [c.shown for c in table.cells[0]] == [20, None, None]  # now closed


def test_markers_and_zero():
    with translation.override("en"):
        table = suppress_table([[0, 3, 40]], 3, column_totals=False)
        assert [str(c) for c in table.cells[0]] == ["0", "<11", "\u00d7"]
        assert str(table.row_totals[0]) == "43"
        assert str(suppress_count(0)) == "0"
        assert str(suppress_count(1)) == "<11"
        assert str(suppress_count(11)) == "11"


def test_a_single_small_column_total_hides_the_grand_total():
    table = suppress_table([[30, 2], [25, 0]], 2)
    assert table.column_totals[1].suppressed
    assert table.total.suppressed
    assert derivable(table) == []


def test_pinned_small_cells_get_a_complement():
    table = suppress_table([[1, 1, 50]], 3, column_totals=False)
    assert [c.shown for c in table.cells[0]] == [None, None, None]
    assert table.row_totals[0].shown == 52


def test_rejects_ragged_and_negative_tables():
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]], 2)
    with pytest.raises(ValueError):
        suppress_table([[-1]], 1)
