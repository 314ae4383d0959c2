"""Occupancy: the nightly snapshot's figures, utilisation and length of stay over a period,
residents served per year (seed 004's table). The registry is not personal data and the
figures count, never name, so these reads need no user."""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from simpul.regions.models import Region
from simpul.shelters.codes import StayStatus
from simpul.shelters.models import BedInventory, OccupancyDay, Shelter, Stay

# Utilisation outside this band is flagged for a data check (HUD HMIS).
UTILISATION_LOW, UTILISATION_HIGH = 0.65, 1.05


def inventory_on(shelter: Shelter, day: date) -> BedInventory | None:
    return (
        shelter.inventory.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def day_figures(shelter: Shelter, day: date) -> dict[str, int | bool]:
    """What the nightly snapshot stores for one shelter and day, computed from the stays'
    dates (so a past day can be rebuilt): occupied = persons checked in that night (checked in
    on or before the day, not checked out by its end), admissions and exits on the day."""
    start, end = _day_bounds(day)
    inv = inventory_on(shelter, day)
    stays = Stay.objects.filter(shelter=shelter, checked_in_at__isnull=False)
    counts = stays.aggregate(
        occupied=Count(
            "person",
            distinct=True,
            filter=Q(checked_in_at__lt=end)
            & (Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=end)),
        ),
        admissions=Count("id", filter=Q(checked_in_at__gte=start, checked_in_at__lt=end)),
        exits=Count("id", filter=Q(checked_out_at__gte=start, checked_out_at__lt=end)),
    )
    return {
        "is_open": shelter.status == "open",
        "beds": inv.beds if inv else 0,
        "blocked": inv.blocked if inv else 0,
        **counts,
    }


def day_figures_of_all(day: date) -> dict[int, dict[str, int | bool]]:
    """`day_figures` for every shelter at once: three grouped queries instead of two per
    shelter (the nightly snapshot of 500 shelters)."""
    start, end = _day_bounds(day)
    counts: dict[int, dict[str, int]] = {
        row["shelter_id"]: {k: row[k] for k in ("occupied", "admissions", "exits")}
        for row in Stay.objects.filter(checked_in_at__isnull=False, checked_in_at__lt=end)
        .filter(Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=start))
        .values("shelter_id")
        .annotate(
            occupied=Count(
                "person",
                distinct=True,
                filter=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=end),
            ),
            admissions=Count("id", filter=Q(checked_in_at__gte=start)),
            exits=Count("id", filter=Q(checked_out_at__lt=end)),
        )
    }
    inventories: dict[int, BedInventory] = {}
    for inventory in (
        BedInventory.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("shelter_id", "valid_from")
    ):
        inventories[inventory.shelter_id] = inventory  # the latest valid_from wins
    none: dict[str, int] = {"occupied": 0, "admissions": 0, "exits": 0}
    figures: dict[int, dict[str, int | bool]] = {}
    for pk, status in Shelter.objects.values_list("pk", "status"):
        inv = inventories.get(pk)
        figures[pk] = {
            "is_open": status == "open",
            "beds": inv.beds if inv else 0,
            "blocked": inv.blocked if inv else 0,
            **counts.get(pk, none),
        }
    return figures


def percentile(values: list[int], share: float) -> float | None:
    """Nearest-rank percentile (p90 of 10 values is the 9th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(math.ceil(share * len(ordered)) - 1, 0)])


@dataclass
class OccupancyRow:
    shelter: Shelter | None
    kind: str
    bed_nights: int = 0
    occupied_nights: int = 0
    admissions: int = 0
    exits: int = 0
    lengths: list[int] | None = None

    @property
    def utilisation(self) -> float | None:
        return self.occupied_nights / self.bed_nights if self.bed_nights else None

    @property
    def flagged(self) -> bool:
        u = self.utilisation
        return u is None or not (UTILISATION_LOW <= u <= UTILISATION_HIGH)

    @property
    def median_stay(self) -> float | None:
        return float(statistics.median(self.lengths)) if self.lengths else None

    @property
    def p90_stay(self) -> float | None:
        return percentile(self.lengths or [], 0.9)


def _ordered(shelters: Iterable[Shelter]) -> list[Shelter]:
    return sorted(shelters, key=lambda s: (s.name, s.pk))


def occupancy_report(
    shelters: Iterable[Shelter], start: date, end: date
) -> tuple[list[OccupancyRow], list[OccupancyRow]]:
    """Per shelter and per shelter type over [start, end]: utilisation = Σ occupied ÷
    Σ (beds - blocked) over the open days of the snapshots; length of stay (median, p90, in
    nights) of the stays that ended in the period.

    The shelters come as a list: their ids go to the database as literal values, so it reads
    their stays through the index on (shelter, check-out time) instead of scanning every stay."""
    shelter_list = _ordered(shelters)
    ids = [s.pk for s in shelter_list]
    days = (
        OccupancyDay.objects.filter(shelter_id__in=ids, day__gte=start, day__lte=end, is_open=True)
        .values("shelter_id")
        .annotate(
            beds=Sum("beds"),
            blocked=Sum("blocked"),
            occupied=Sum("occupied"),
            admissions=Sum("admissions"),
            exits=Sum("exits"),
        )
    )
    by_shelter: dict[int, dict[str, Any]] = {row["shelter_id"]: dict(row) for row in days}
    lengths: dict[int, list[int]] = defaultdict(list)
    start_at, _ = _day_bounds(start)
    _, end_at = _day_bounds(end)
    tz = timezone.get_current_timezone()
    # Nights between the local dates, computed by the database (loading thousands of
    # timestamps into Python took a third of the page).
    ended = (
        Stay.objects.filter(
            shelter_id__in=ids,
            status=StayStatus.CHECKED_OUT,
            checked_out_at__gte=start_at,
            checked_out_at__lt=end_at,
            checked_in_at__isnull=False,
        )
        .annotate(
            nights=ExpressionWrapper(
                TruncDate("checked_out_at", tzinfo=tz) - TruncDate("checked_in_at", tzinfo=tz),
                output_field=DurationField(),
            )
        )
        .values_list("shelter_id", "nights")
    )
    for shelter_id, nights in ended:
        lengths[shelter_id].append(nights.days)
    rows: list[OccupancyRow] = []
    kinds: dict[str, OccupancyRow] = {}
    for shelter in shelter_list:
        figures = by_shelter.get(shelter.pk, {})
        row = OccupancyRow(
            shelter,
            shelter.kind,
            bed_nights=(figures.get("beds") or 0) - (figures.get("blocked") or 0),
            occupied_nights=figures.get("occupied") or 0,
            admissions=figures.get("admissions") or 0,
            exits=figures.get("exits") or 0,
            lengths=lengths.get(shelter.pk, []),
        )
        rows.append(row)
        total = kinds.setdefault(shelter.kind, OccupancyRow(None, shelter.kind, lengths=[]))
        total.bed_nights += row.bed_nights
        total.occupied_nights += row.occupied_nights
        total.admissions += row.admissions
        total.exits += row.exits
        assert total.lengths is not None
        total.lengths.extend(row.lengths or [])
    return rows, sorted(kinds.values(), key=lambda r: r.kind)


def _overlapping(start: datetime, end: datetime) -> Q:
    """Stays checked in before `end` and not checked out before `start`."""
    return Q(checked_in_at__lt=end) & (
        Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=start)
    )


def residents_per_year(shelters: Iterable[Shelter], years: list[int]) -> list[dict[str, Any]]:
    """Residents served per year per shelter, in the form of seed 004's RPTC table: distinct
    persons with a stay (checked in) overlapping the year. One grouped query for all the
    years (a distinct count per year, each with its own overlap condition)."""
    shelter_list = _ordered(shelters)
    ids = [s.pk for s in shelter_list]
    bounds = {
        year: (_day_bounds(date(year, 1, 1))[0], _day_bounds(date(year, 12, 31))[1])
        for year in years
    }
    served: dict[tuple[int, int], int] = {}
    if ids and years:
        first = min(b[0] for b in bounds.values())
        last = max(b[1] for b in bounds.values())
        per_year = {
            f"y{year}": Count("person_id", distinct=True, filter=_overlapping(*bounds[year]))
            for year in years
        }
        rows = (
            Stay.objects.filter(shelter_id__in=ids, checked_in_at__isnull=False)
            .filter(_overlapping(first, last))
            .values_list("shelter_id")
            .annotate(**per_year)
        )
        for shelter_id, *counts in rows:
            for year, count in zip(years, counts, strict=True):
                served[(shelter_id, year)] = count
    return [
        {"shelter": shelter, "year": year, "residents": served.get((shelter.pk, year), 0)}
        for shelter in shelter_list
        for year in years
    ]


def provinces_with_shelters() -> list[Region]:
    """The provinces where the registry has shelters, for the occupancy page's filter."""
    codes = {code.split(".")[0] for code in Shelter.objects.values_list("region_id", flat=True)}
    return list(Region.objects.filter(level=Region.Level.PROVINCE, code__in=codes).order_by("name"))


def in_province(shelters: QuerySet[Shelter], province: str) -> QuerySet[Shelter]:
    return shelters.filter(region__code__startswith=f"{province}.")
