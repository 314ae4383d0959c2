"""Village counts taken from other Simpul registries for the vulnerability score.

* reports: intakes whose place is the village, received in the window (a count per village
  from the intake model, never a record).
* departures, non-procedural share, returns: the migration registry,
  `simpul.migration.queries.departures_by_village` and `returns_by_village`.

Counts are aggregates (no record leaves here); a village absent from a source has no record
there (the scorer decides whether that means zero).
"""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from simpul.intake.models import Intake
from simpul.migration.queries import departures_by_village, returns_by_village

COUNT_SUFFIX = ":count"


def _intake_reports(codes: list[str], since: dt.date, until: dt.date) -> dict[str, float]:
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until, dt.time.max))
    rows = (
        Intake.objects.filter(scope_region_id__in=codes, received_at__range=(start, end))
        .order_by()
        .values_list("scope_region_id")
        .annotate(n=Count("id"))
    )
    return {code: float(n) for code, n in rows}


def registry_counts(
    codes: list[str], since: dt.date, until: dt.date
) -> dict[str, dict[str, float]]:
    """indicator code -> {village code: value} from the intake and migration registries. A
    village absent from a source has no record there."""
    result: dict[str, dict[str, float]] = {"reports": _intake_reports(codes, since, until)}
    departures = departures_by_village(codes, since, until)
    result["departures"] = {code: float(total) for code, (total, _np) in departures.items()}
    result["non_procedural"] = {
        code: 100.0 * np_count / total for code, (total, np_count) in departures.items() if total
    }
    # The count behind the share, for disclosure control (not an indicator of its own).
    result["non_procedural" + COUNT_SUFFIX] = {
        code: float(np_count) for code, (total, np_count) in departures.items() if total
    }
    result["returns"] = {
        code: float(n) for code, n in returns_by_village(codes, since, until).items()
    }
    return result
