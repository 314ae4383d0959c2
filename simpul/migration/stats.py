"""District and province tables: departures by area, route, destination and procedural
status; returns per entry point per month; the screening tally per post and day.

Users with record access count the records in their scope exactly. Aggregate-only roles
(task force, analysts) count every record in their agency's jurisdiction, with counts from 1
to 10 suppressed (domain.md §5.5), since a small count in a village can point to a person.
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
    counts: dict[str, int | str] = field(default_factory=dict)
    total: int = 0
    bar: int = 0  # percent of the largest total, for the CSS bar


def _rows(pairs: Iterable[tuple[str, str, int]], labels: dict[str, str]) -> list[Row]:
    table: dict[str, Row] = {}
    for key, status, n in pairs:
        row = table.setdefault(key, Row(key, labels.get(key, key or "—")))
        row.counts[status] = int(row.counts.get(status, 0)) + n
        row.total += n
    rows = sorted(table.values(), key=lambda r: (-r.total, r.label))
    top = max((r.total for r in rows), default=0)
    for r in rows:
        r.bar = round(100 * r.total / top) if top else 0
    return rows


def departure_tables(area: Area) -> dict[str, list[Row]]:
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
    for rows in tables.values():
        for row in rows:
            row.counts["total"] = row.total
    if area.suppress:
        for rows in tables.values():
            for row in rows:
                row.counts = {k: suppress(int(v)) for k, v in row.counts.items()}
    return tables


def suppress(n: int) -> int | str:
    return f"<{SUPPRESS_BELOW}" if 0 < n < SUPPRESS_BELOW else n


@dataclass
class MonthTable:
    months: list[date]
    rows: list[tuple[str, list[int | str], int | str]]


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
    rows = []
    for point, by_month in sorted(counts.items()):
        name = POINT_BY_CODE[point].name if point in POINT_BY_CODE else point
        cells: list[int | str] = [by_month.get(m, 0) for m in month_list]
        total: int | str = sum(by_month.values())
        if area.suppress:
            cells = [suppress(int(c)) for c in cells]
            total = suppress(int(total))
        rows.append((name, cells, total))
    return MonthTable(month_list, rows)


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
