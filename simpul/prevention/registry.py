"""Village counts taken from other Simpul registries for the vulnerability score.

Each source is optional: it is used when the app providing it exists at run time, and the
indicator falls back to values entered for the village otherwise.

* reports: intakes (`simpul.intake.models.Intake`) whose place is the village, received in the
  window. Counted from the model directly: a count per village, never a record.
* departures, non-procedural share, returns: the migration registry is being built. When
  `simpul.migration.queries` provides these functions they are used:

      departures_by_village(village_codes: list[str], since: date, until: date)
          -> dict[str, tuple[int, int]]      # code -> (departures, of which non-procedural)
      returns_by_village(village_codes: list[str], since: date, until: date)
          -> dict[str, int]                  # code -> returns and deportations

  Villages missing from the returned dict count as zero.
"""

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from django.db.models import Count
from django.utils import timezone

COUNT_SUFFIX = ":count"


def _migration_function(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("simpul.migration.queries")
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None


def _intake_reports(codes: list[str], since: dt.date, until: dt.date) -> dict[str, float] | None:
    try:
        from simpul.intake.models import Intake
    except ImportError:  # pragma: no cover - the intake app is part of the project today
        return None
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
    """indicator code -> {village code: value} for every source available; absent keys mean
    "this registry is not available". A village absent from an available source has no
    record there (the scorer decides whether that means zero)."""
    result: dict[str, dict[str, float]] = {}
    reports = _intake_reports(codes, since, until)
    if reports is not None:
        result["reports"] = reports
    departures = _migration_function("departures_by_village")
    if departures is not None:
        raw = departures(codes, since, until)
        result["departures"] = {code: float(total) for code, (total, _np) in raw.items()}
        result["non_procedural"] = {
            code: 100.0 * np_count / total for code, (total, np_count) in raw.items() if total > 0
        }
        # The count behind the share, for disclosure control (not an indicator of its own).
        result["non_procedural" + COUNT_SUFFIX] = {
            code: float(np_count) for code, (total, np_count) in raw.items() if total > 0
        }
    returns = _migration_function("returns_by_village")
    if returns is not None:
        result["returns"] = {code: float(n) for code, n in returns(codes, since, until).items()}
    return result
