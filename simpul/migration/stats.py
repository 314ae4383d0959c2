"""District and province tables: departures by area, route, destination and procedural
status; returns per entry point per month; the screening tally per post and day.

Users with record access count the records in their scope exactly. Aggregate-only roles
(task force, analysts) count every record in their agency's jurisdiction, with counts from 1
to 10 suppressed (domain.md §5.5), since a small count in a village can point to a person,
and the complementary cells that would give a hidden one away through the totals
(`simpul.core.disclosure`).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.core.disclosure import Cell, suppress_table, suppress_tables
from simpul.core.scoping import region_subtree
from simpul.migration.codes import POINT_BY_CODE, Country, ProceduralStatus, Route, Stage
from simpul.migration.models import Departure, ReturnEvent, Screening
from simpul.migration.queries import departures_for, returns_for, screenings_for
from simpul.regions.models import Region

SUPPRESS_BELOW = 11
STATUSES = [s.value for s in ProceduralStatus]


@dataclass
class Area:
    """Which records the statistics cover and whether small counts are hidden."""

    label: str
    prefix: str | None  # region code prefix of the viewer's area; None = national
    suppress: bool
    departures: QuerySet[Departure]
    returns: QuerySet[ReturnEvent]


def area_for(user: User) -> Area | None:
    principal = principal_for(user)
    if principal.has_perm(Perm.VIEW_RECORDS):
        own = [g.jurisdiction_code for g in principal.grants_with(Perm.VIEW_RECORDS)]
        mine = own[0] if len(own) == 1 and own[0] else None
        return Area(_label(mine), mine, False, departures_for(user), returns_for(user))
    grants = principal.grants_with(Perm.VIEW_AGGREGATES)
    if not grants:
        return None
    codes = {g.jurisdiction_code for g in grants}
    departures = Departure.objects.all()
    returns = ReturnEvent.objects.all()
    prefix: str | None = None
    if None not in codes:
        q = Q()
        for code in codes:
            q |= region_subtree("scope_region__code", str(code))
        departures, returns = departures.filter(q), returns.filter(q)
        prefix = next(iter(codes)) if len(codes) == 1 else None
    return Area(_label(prefix), prefix, True, departures, returns)


def _label(prefix: str | None) -> str:
    if not prefix:
        return "Indonesia"
    region = Region.objects.filter(pk=prefix).first()
    return region.path_name if region else prefix


def _child_code(code: str | None, prefix: str | None) -> str:
    """The region one level below `prefix` that contains `code` ('' when unknown)."""
    if not code:
        return ""
    depth = 0 if not prefix else prefix.count(".") + 1
    parts = code.split(".")
    return ".".join(parts[: depth + 1]) if len(parts) > depth else code


@dataclass
class Row:
    key: str
    label: str
    counts: dict[str, int | Cell] = field(default_factory=dict)
    total: int = 0
    bar: int | None = 0  # percent of the largest total, for the CSS bar (None: hidden)


class TableRows(list[Row]):
    """The rows of one table, plus its totals row (`totals`, counts per column)."""

    totals: Row | None = None


def _n(value: int | Cell) -> int:
    """An exact count (rows hold ints until they are suppressed)."""
    return value.value if isinstance(value, Cell) else int(value)


def _rows(pairs: Iterable[tuple[str, str, int]], labels: dict[str, str]) -> TableRows:
    table: dict[str, Row] = {}
    for key, status, n in pairs:
        row = table.setdefault(key, Row(key, labels.get(key, key or "—")))
        row.counts[status] = _n(row.counts.get(status, 0)) + n
        row.total += n
    rows = TableRows(sorted(table.values(), key=lambda r: (-r.total, r.label)))
    top = max((r.total for r in rows), default=0)
    for r in rows:
        r.bar = round(100 * r.total / top) if top else 0
    return rows


def _exact_totals(rows: TableRows, extra: str | None = None) -> TableRows:
    """Exact counts for users with record access: each row's "total" and the totals row."""
    totals = Row("", "", total=sum(r.total for r in rows))
    for r in rows:
        for s in STATUSES:
            r.counts.setdefault(s, 0)
        r.counts["total"] = r.total
    totals.counts = {s: sum(_n(r.counts[s]) for r in rows) for s in STATUSES}
    totals.counts["total"] = totals.total
    if extra:
        totals.counts[extra] = sum(_n(r.counts.get(extra, 0)) for r in rows)
    rows.totals = totals
    return rows


def _suppressed(tables: dict[str, TableRows], extra: dict[str, str]) -> dict[str, TableRows]:
    """For aggregate roles every figure goes through `core.disclosure`: small counts and the
    complements that would give them away, consistently across the tables, which share their
    column totals (departures by status)."""
    names = list(tables)
    matrices = [[[_n(r.counts.get(s, 0)) for s in STATUSES] for r in tables[n]] for n in names]
    result: dict[str, TableRows] = {}
    for name, table in zip(
        names, suppress_tables(matrices, len(STATUSES), SUPPRESS_BELOW), strict=True
    ):
        assert table.row_totals is not None and table.column_totals is not None
        assert table.total is not None
        rows = tables[name]
        key = extra.get(name)
        side = suppress_table(
            [[_n(r.counts.get(key or "", 0))] for r in rows], 1, SUPPRESS_BELOW, row_totals=False
        )
        for i, r in enumerate(rows):
            counts: dict[str, int | Cell] = {s: table.cells[i][j] for j, s in enumerate(STATUSES)}
            counts["total"] = table.row_totals[i]
            if key:
                counts[key] = side.cells[i][0]
            r.counts = counts
            if table.row_totals[i].suppressed:
                r.bar = None
        totals = Row("", "", total=sum(r.total for r in rows))
        totals.counts = {s: table.column_totals[j] for j, s in enumerate(STATUSES)}
        totals.counts["total"] = table.total
        if key and side.column_totals:
            totals.counts[key] = side.column_totals[0]
        # A hidden total must not be placed by its size among the shown ones.
        ordered = TableRows(
            sorted(rows, key=lambda r: (r.bar is None, 0 if r.bar is None else -r.total, r.label))
        )
        ordered.totals = totals
        result[name] = ordered
    return result


def departure_tables(area: Area) -> dict[str, TableRows]:
    qs = area.departures.exclude(stage=Stage.CANCELLED)
    by_region = (
        qs.values("scope_region_id", "procedural_status")
        .annotate(n=Count("id"))
        .values_list("scope_region_id", "procedural_status", "n")
    )
    grouped = [(_child_code(code, area.prefix), s, n) for code, s, n in by_region]
    names = dict(
        Region.objects.filter(pk__in={k for k, _s, _n in grouped if k}).values_list("code", "name")
    )
    by_route = qs.values_list("route", "procedural_status").annotate(n=Count("id"))
    by_country = qs.values_list("destination_country", "procedural_status").annotate(n=Count("id"))
    away = qs.filter(stage=Stage.AWAY).values_list("scope_region_id").annotate(n=Count("id"))
    away_by_area: Counter[str] = Counter()
    for code, n in away:
        away_by_area[_child_code(code, area.prefix)] += n
    tables = {
        "area": _rows(grouped, names),
        "route": _rows(by_route, {k: str(v) for k, v in Route.choices}),
        "destination": _rows(by_country, {k: str(v) for k, v in Country.choices}),
    }
    for row in tables["area"]:
        row.counts["away"] = away_by_area.get(row.key, 0)
    if area.suppress:
        return _suppressed(tables, {"area": "away"})
    return {
        name: _exact_totals(rows, "away" if name == "area" else None)
        for name, rows in tables.items()
    }


@dataclass
class MonthTable:
    months: list[date]
    rows: list[tuple[str, list[int | Cell], int | Cell]]
    totals: list[int | Cell] = field(default_factory=list)
    total: int | Cell = 0


def returns_per_entry_point(
    area: Area, *, months: int = 12, today: date | None = None
) -> MonthTable:
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    start_index = first.year * 12 + first.month - 1 - (months - 1)
    start = date(start_index // 12, start_index % 12 + 1, 1)
    month_list = []
    for i in range(months):
        idx = start_index + i
        month_list.append(date(idx // 12, idx % 12 + 1, 1))
    counts: dict[str, Counter[date]] = defaultdict(Counter)
    for point, month, n in (
        area.returns.filter(returned_on__gte=start, returned_on__lte=today)
        .annotate(month=TruncMonth("returned_on"))
        .values_list("entry_point", "month")
        .annotate(n=Count("id"))
    ):
        month_day = month.date() if hasattr(month, "date") else month
        counts[point][month_day] += n
    points = sorted(counts.items())
    matrix = [[by_month.get(m, 0) for m in month_list] for _point, by_month in points]
    names = [POINT_BY_CODE[p].name if p in POINT_BY_CODE else p for p, _by in points]
    if not area.suppress:
        return MonthTable(
            month_list,
            [(n, list(cells), sum(cells)) for n, cells in zip(names, matrix, strict=True)],
            [sum(m[j] for m in matrix) for j in range(months)],
            sum(map(sum, matrix)),
        )
    table = suppress_table(matrix, months, SUPPRESS_BELOW)
    assert table.row_totals is not None and table.column_totals is not None
    assert table.total is not None
    rows: list[tuple[str, list[int | Cell], int | Cell]] = [
        (name, list(table.cells[i]), table.row_totals[i]) for i, name in enumerate(names)
    ]
    return MonthTable(month_list, rows, list(table.column_totals), table.total)


@dataclass
class TallyRow:
    day: date
    post: str
    screened: int = 0
    flagged: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


def screening_tally(user: User, *, days: int = 31) -> list[TallyRow]:
    """Per post and day: travellers screened, with red flags, and each outcome."""
    since = timezone.now() - timedelta(days=days)
    rows: dict[tuple[date, str], TallyRow] = {}
    qs: QuerySet[Screening] = screenings_for(user).filter(screened_at__gte=since)
    for point, at, outcome, flags in qs.values_list(
        "crossing_point", "screened_at", "outcome", "red_flags"
    ):
        day = timezone.localtime(at).date()
        name = POINT_BY_CODE[point].name if point in POINT_BY_CODE else point
        row = rows.setdefault((day, name), TallyRow(day, name))
        row.screened += 1
        row.flagged += 1 if flags else 0
        row.outcomes[outcome] += 1
    return sorted(rows.values(), key=lambda r: (r.day, r.post), reverse=True)
