"""Health of the three processes, for load balancers, container runtimes and monitoring.

Each check answers from the database only and says nothing about people: a status, a count of
live workers and ages in seconds. `health_views.py` serves them as JSON without signing in
(200 healthy, 503 not): `/health/` (the web process reaches its database), `/health/worker/` (a
worker heartbeat younger than `WORKER_STALE_SECONDS`), `/health/scheduler/` (every periodic
job's current slot enqueued, or the slot younger than `SCHEDULER_GRACE_SECONDS`).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import DatabaseError, connection
from django.db.models import Max

from simpul.jobs.models import ScheduledSlot, WorkerHeartbeat
from simpul.jobs.schedule import due_slots

# A worker beats every 10 seconds (`simpul worker --heartbeat`); the reaper treats one silent for
# 60 seconds as dead (`--stale-after`): the health check uses the same limit.
WORKER_STALE_SECONDS = 60
# The scheduler passes every 10 seconds (`simpul scheduler --interval`): a slot not enqueued a
# minute after it began means no scheduler is running.
SCHEDULER_GRACE_SECONDS = 60


@dataclass(frozen=True)
class Health:
    healthy: bool
    details: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"status": "ok" if self.healthy else "unavailable", **self.details}


def _seconds(delta: timedelta) -> int:
    return max(int(delta.total_seconds()), 0)


def database_health() -> Health:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Health(False, {"database": "unreachable"})
    return Health(True, {"database": "ok"})


def worker_health(now: datetime) -> Health:
    try:
        live = WorkerHeartbeat.objects.filter(
            beat_at__gte=now - timedelta(seconds=WORKER_STALE_SECONDS)
        ).count()
        last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    except DatabaseError:
        return Health(False, {"database": "unreachable"})
    return Health(
        live > 0,
        {
            "workers": live,
            "last_heartbeat_seconds": _seconds(now - last) if last else None,
            "stale_after_seconds": WORKER_STALE_SECONDS,
        },
    )


def scheduler_health(now: datetime) -> Health:
    """Lag: how long the oldest current slot that is not enqueued has been due (0 when every
    periodic job's current slot is enqueued)."""
    try:
        due = [(name, start) for name, start, _task, _kwargs in due_slots(now)]
        enqueued = {
            (name, start)
            for name, start in ScheduledSlot.objects.filter(
                slot_start__in={start for _name, start in due}
            ).values_list("job_name", "slot_start")
        }
        last = ScheduledSlot.objects.aggregate(last=Max("enqueued_at"))["last"]
    except DatabaseError:
        return Health(False, {"database": "unreachable"})
    missing = [start for name, start in due if (name, start) not in enqueued]
    lag = _seconds(now - min(missing)) if missing else 0
    return Health(
        lag <= SCHEDULER_GRACE_SECONDS,
        {
            "lag_seconds": lag,
            "periodic_jobs": len(due),
            "last_enqueued_seconds": _seconds(now - last) if last else None,
            "grace_seconds": SCHEDULER_GRACE_SECONDS,
        },
    )
