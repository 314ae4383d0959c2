"""Statistical disclosure control: the one function every aggregate page passes its counts
through before showing them to an aggregate role (task-force coordinator, data analyst).

Rules (domain.md §5.5, issue 21 finding 5):

* **Primary suppression.** A count from 1 to `threshold - 1` (1-10 by default) is hidden and
  shown as "<11". Zero is shown as 0: "nobody" singles nobody out, and hiding zeros would make
  most tables unreadable (common practice, e.g. CDC and ONS small-cell rules).
* **Secondary (complementary) suppression.** Every row and every column is an equation
  `cells = total`. When an equation has exactly one hidden item, that item is the total minus
  the visible ones (35 - 34 = 1), so one more item of the equation is hidden too: the smallest
  non-zero visible cell, else the row total, else a zero cell. When every hidden cell of an
  equation is a small count and their sum pins each of them (all 1s, or all 10s), one more is
  hidden as well. This repeats until no equation changes.
* **Totals.** Column totals and the grand total are "fixed": several tables of one page share
  them (the same departures by area, by route, by destination), so they are hidden only for
  their own sake (a small total, or a single small column total that the grand total would
  give away) and the decision is the same in every table. Row totals can be complements.

Primary cells render as "<11"; complementary cells as a multiplication sign (hidden so that a
small count cannot be worked out), so that a shown figure is never false. Interval bounds a
determined attacker could derive from several equations at once are not modelled; the rule
guarantees that no hidden item is one subtraction away from shown figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy

THRESHOLD = 11

Key = tuple[int, ...]


@dataclass
class Cell:
    """One published figure. `str(cell)` is what a page shows."""

    value: int
    suppressed: bool = False
    primary: bool = False  # hidden because it is itself small
    threshold: int = field(default=THRESHOLD, repr=False)

    def __str__(self) -> str:
        if not self.suppressed:
            return str(self.value)
        if self.primary:
            return gettext("<%(threshold)d") % {"threshold": self.threshold}
        return gettext("×")  # noqa: RUF001

    @property
    def shown(self) -> int | None:
        """The value when shown, None when hidden (for charts and sorting)."""
        return None if self.suppressed else self.value


LEGEND = gettext_lazy(
    "Counts from 1 to 10 are shown as <11, and a figure marked × is hidden so that a small "  # noqa: RUF001
    "count cannot be worked out from the totals."
)


def is_small(n: int, threshold: int = THRESHOLD) -> bool:
    return 0 < n < threshold


def suppress_count(n: int, *, threshold: int = THRESHOLD) -> Cell:
    """A single figure with no totals around it: primary suppression only."""
    small = is_small(int(n), threshold)
    return Cell(int(n), suppressed=small, primary=small, threshold=threshold)


@dataclass
class Table:
    """A suppressed table: `cells[i][j]`, `row_totals[i]`, `column_totals[j]`, `total`
    (the totals are None when the table does not publish them)."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None = None
    column_totals: list[Cell] | None = None
    total: Cell | None = None
    equations: list[tuple[Key | None, list[Key]]] = field(default_factory=list, repr=False)

    def item(self, key: Key) -> Cell:
        kind = key[0]
        if kind == 0:
            return self.cells[key[1]][key[2]]
        if kind == 1:
            assert self.row_totals is not None
            return self.row_totals[key[1]]
        if kind == 2:
            assert self.column_totals is not None
            return self.column_totals[key[1]]
        assert self.total is not None
        return self.total


# Item keys: (0, i, j) cell, (1, i) row total, (2, j) column total, (3,) grand total.
def _equations(
    n_rows: int, n_cols: int, row_totals: bool, column_totals: bool
) -> list[tuple[Key | None, list[Key]]]:
    eqs: list[tuple[Key | None, list[Key]]] = []
    if row_totals:
        for i in range(n_rows):
            eqs.append(((1, i), [(0, i, j) for j in range(n_cols)]))
    if column_totals:
        for j in range(n_cols):
            eqs.append(((2, j), [(0, i, j) for i in range(n_rows)]))
    if row_totals and column_totals:
        eqs.append(((3,), [(1, i) for i in range(n_rows)]))
        eqs.append(((3,), [(2, j) for j in range(n_cols)]))
    return eqs


def _pinned(hidden: list[Cell], difference: int, threshold: int) -> bool:
    """Small hidden cells whose sum leaves each of them only one possible value."""
    k = len(hidden)
    if k < 2 or not all(c.primary for c in hidden):
        return False
    return difference in (k, k * (threshold - 1))


def _needs_complement(table: Table, total: Key | None, members: list[Key], threshold: int) -> bool:
    keys = members + ([total] if total is not None else [])
    items = [table.item(k) for k in keys]
    hidden = [c for c in items if c.suppressed]
    if len(hidden) == 1:
        return True
    if total is None or table.item(total).suppressed:
        return False
    visible_sum = sum(table.item(k).value for k in members if not table.item(k).suppressed)
    return _pinned(hidden, table.item(total).value - visible_sum, threshold)


def _complement(table: Table, total: Key | None, members: list[Key], fixed: set[Key]) -> Key | None:
    visible = [k for k in members if not table.item(k).suppressed and k not in fixed]
    nonzero = sorted(
        (k for k in visible if table.item(k).value), key=lambda k: (table.item(k).value, k)
    )
    if nonzero:
        return nonzero[0]
    if total is not None and not table.item(total).suppressed and total not in fixed:
        return total
    if visible:
        return visible[0]
    # Only fixed items are left: hide the total even so (rare; see the module docstring).
    if total is not None and not table.item(total).suppressed:
        return total
    return None


def suppress_table(
    rows: Sequence[Sequence[int]],
    columns: int | None = None,
    threshold: int = THRESHOLD,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    hidden_totals: frozenset[int] | set[int] = frozenset(),
    hide_total: bool = False,
) -> Table:
    """Suppress a table of counts `rows[i][j]` (`columns` = number of columns, needed when
    `rows` is empty). Row totals and column totals are computed, published when asked for, and
    protected like the cells. `hidden_totals` (column indexes) and `hide_total` hide shared
    totals from the start (see `suppress_tables`). Pure: no database, no settings."""
    n_cols = columns if columns is not None else (len(rows[0]) if rows else 0)
    values = [[int(v) for v in row] for row in rows]
    if any(len(row) != n_cols for row in values):
        raise ValueError("every row needs the same number of columns")
    if any(v < 0 for row in values for v in row):
        raise ValueError("counts cannot be negative")

    def primary(n: int) -> Cell:
        return suppress_count(n, threshold=threshold)

    table = Table(cells=[[primary(v) for v in row] for row in values])
    if row_totals:
        table.row_totals = [primary(sum(row)) for row in values]
    if column_totals:
        table.column_totals = [primary(sum(row[j] for row in values)) for j in range(n_cols)]
    if row_totals and column_totals:
        table.total = primary(sum(map(sum, values)))
    fixed: set[Key] = set()
    if column_totals:
        fixed |= {(2, j) for j in range(n_cols)}
        for j in hidden_totals:
            table.column_totals[j].suppressed = True  # type: ignore[index]
        if table.total is not None and hide_total:
            table.total.suppressed = True
        if table.total is not None:
            fixed.add((3,))
            # The marginals alone decide whether the grand total is hidden, the same in every
            # table sharing these columns.
            col_cells = table.column_totals or []
            hidden = [c for c in col_cells if c.suppressed]
            shown = sum(c.value for c in col_cells if not c.suppressed)
            if len(hidden) == 1 or _pinned(hidden, table.total.value - shown, threshold):
                table.total.suppressed = True
    table.equations = _equations(len(values), n_cols, row_totals, column_totals)

    changed = True
    while changed:
        changed = False
        for total, members in table.equations:
            if _needs_complement(table, total, members, threshold):
                key = _complement(table, total, members, fixed)
                if key is not None:
                    table.item(key).suppressed = True
                    changed = True
    return table


def suppress_tables(
    tables: Sequence[Sequence[Sequence[int]]],
    columns: int,
    threshold: int = THRESHOLD,
    *,
    row_totals: bool = True,
) -> list[Table]:
    """Several tables over the same columns (one population broken down by area, by route,
    by destination): their column totals and grand total are the same figures, so a total
    hidden in one table is hidden in all of them, and each is suppressed again until none
    hides a further shared total."""
    hidden: set[int] = set()
    hide_total = False
    while True:
        result = [
            suppress_table(
                rows,
                columns,
                threshold,
                row_totals=row_totals,
                hidden_totals=hidden,
                hide_total=hide_total,
            )
            for rows in tables
        ]
        now = {j for t in result for j, c in enumerate(t.column_totals or []) if c.suppressed}
        total_now = any(t.total is not None and t.total.suppressed for t in result)
        if now == hidden and total_now == hide_total:
            return result
        hidden, hide_total = now | hidden, total_now or hide_total


def derivable(table: Table) -> list[Key]:
    """Hidden items that one subtraction along a published row or column gives away (empty
    for every table `suppress_table` returns; used by the tests)."""
    found = []
    for total, members in table.equations:
        keys = members + ([total] if total is not None else [])
        hidden = [k for k in keys if table.item(k).suppressed]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found
