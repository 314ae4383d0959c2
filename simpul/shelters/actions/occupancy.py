"""The nightly occupancy snapshot: one row per shelter per day (the same day's row is
rewritten, so running it twice changes nothing)."""

from datetime import date

from django.db import transaction

from simpul.audit.log import record as audit
from simpul.shelters import queries
from simpul.shelters.models import OccupancyDay, Shelter


def write_daily_snapshots(day: date) -> int:
    """Write (or rewrite) every shelter's row for `day`; returns how many shelters."""
    count = 0
    with transaction.atomic():
        for shelter in Shelter.objects.order_by("pk"):
            OccupancyDay.objects.update_or_create(
                shelter=shelter, day=day, defaults=queries.day_figures(shelter, day)
            )
            count += 1
        audit(
            "shelter.snapshot",
            record_type="shelters.occupancyday",
            record_id=day.isoformat(),
            count=count,
        )
    return count
