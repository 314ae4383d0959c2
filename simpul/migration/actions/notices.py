"""The hourly check-in job's write: record a notice for each scheduled check-in that is
overdue and each migrant unreachable at the latest check-ins, once per departure, kind and
date, for the agency that registered the departure and its officer (audited as one count).

The village register still computes overdue and unreachable when it is read; the notices make
them reach the officer's home page without anyone opening the register."""

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from simpul.audit.log import record as audit
from simpul.migration.codes import Stage
from simpul.migration.models import CheckIn, CheckInNotice, NoticeKind
from simpul.migration.schedule import GRACE_DAYS, UNREACHABLE_STREAK, unreachable_streak

Key = tuple[str, str, date]  # departure id, kind, date


def _overdue(today: date) -> dict[Key, tuple[int, int | None]]:
    found: dict[Key, tuple[int, int | None]] = {}
    rows = (
        CheckIn.objects.filter(outcome="", due_on__lt=today - timedelta(days=GRACE_DAYS))
        .exclude(departure__stage=Stage.CANCELLED)
        .values_list(
            "departure_id", "due_on", "departure__owner_agency_id", "departure__created_by_id"
        )
    )
    for departure_id, due_on, agency_id, user_id in rows.iterator(chunk_size=2000):
        if due_on is None:  # the filter excludes it; for the type checker
            continue
        found[(str(departure_id), str(NoticeKind.OVERDUE), due_on)] = (agency_id, user_id)
    return found


def _unreachable() -> dict[Key, tuple[int, int | None]]:
    outcomes: dict[str, list[str]] = defaultdict(list)
    latest: dict[str, tuple[date, int, int | None]] = {}
    rows = (
        CheckIn.objects.filter(departure__stage=Stage.AWAY)
        .exclude(outcome="")
        .order_by("departure_id", "-contacted_on", "-created_at")
        .values_list(
            "departure_id",
            "outcome",
            "contacted_on",
            "created_at",
            "departure__owner_agency_id",
            "departure__created_by_id",
        )
    )
    for departure_id, outcome, contacted_on, created_at, agency_id, user_id in rows.iterator(
        chunk_size=2000
    ):
        key = str(departure_id)
        if key not in latest:
            latest[key] = (contacted_on or created_at.date(), agency_id, user_id)
        outcomes[key].append(outcome)
    return {
        (key, str(NoticeKind.UNREACHABLE), latest[key][0]): latest[key][1:]
        for key, seen in outcomes.items()
        if unreachable_streak(seen) >= UNREACHABLE_STREAK
    }


def record_checkin_notices(today: date | None = None) -> int:
    """Record the notices not recorded yet; returns how many are new. Safe to run any number of
    times (the unique departure, kind and date decide), so the job is retried freely."""
    today = today or timezone.localdate()
    wanted = {**_overdue(today), **_unreachable()}
    if not wanted:
        return 0
    ids = list({key[0] for key in wanted})
    existing: set[Key] = set()
    for start in range(0, len(ids), 2000):
        for departure_id, kind, on in CheckInNotice.objects.filter(
            departure_id__in=ids[start : start + 2000]
        ).values_list("departure_id", "kind", "on"):
            existing.add((str(departure_id), kind, on))
    new = [
        CheckInNotice(departure_id=d, kind=k, on=on, agency_id=agency_id, user_id=user_id)
        for (d, k, on), (agency_id, user_id) in wanted.items()
        if (d, k, on) not in existing
    ]
    if not new:
        return 0
    with transaction.atomic():
        CheckInNotice.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        audit("checkin.notice", record_type="migration.checkinnotice", count=len(new))
    return len(new)
