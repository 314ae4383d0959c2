"""The nightly occupancy snapshot: one row per shelter per day (the same day's row is
rewritten, so running it twice changes nothing)."""

from datetime import date

from django.db import transaction

from simpul.audit.log import record as audit
from simpul.shelters import queries
from simpul.shelters.models import OccupancyDay


def write_daily_snapshots(day: date) -> int:
    """Write (or rewrite) every shelter's row for `day`; returns how many shelters. One
    upsert of all rows (`queries.day_figures_of_all`)."""
    figures = queries.day_figures_of_all(day)
    fields = ["is_open", "beds", "blocked", "occupied", "admissions", "exits"]
    with transaction.atomic():
        OccupancyDay.objects.bulk_create(
            [OccupancyDay(shelter_id=pk, day=day, **row) for pk, row in figures.items()],
            update_conflicts=True,
            unique_fields=["shelter", "day"],
            update_fields=fields,
            batch_size=1000,
        )
        audit(
            "shelter.snapshot",
            record_type="shelters.occupancyday",
            record_id=day.isoformat(),
            count=len(figures),
        )
    return len(figures)
