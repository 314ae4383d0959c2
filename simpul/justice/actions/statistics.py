"""The justice statistics job's action: compute the figures over every proceeding and store
them as one `StatisticsSnapshot` row (figures older than a day are dropped)."""

import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from simpul.audit.log import record as audit
from simpul.justice import statistics
from simpul.justice.models import StatisticsSnapshot

KEEP = timedelta(days=1)


def refresh_statistics(now: datetime | None = None) -> StatisticsSnapshot:
    moment = now or timezone.now()
    started = time.perf_counter()
    summary = statistics.summarise(statistics.load(timezone.localdate(moment)))
    with transaction.atomic():
        snapshot = StatisticsSnapshot.objects.create(
            computed_at=moment,
            seconds=round(time.perf_counter() - started, 3),
            figures=statistics.to_json(summary),
        )
        StatisticsSnapshot.objects.filter(computed_at__lt=moment - KEEP).delete()
        audit(
            "justice.statistics_refresh",
            record_type="justice.statisticssnapshot",
            record_id=str(snapshot.pk),
        )
    return snapshot
