"""The periodic jobs, as a table in code, and the slot arithmetic of the scheduler.

A periodic job runs once per slot: slots are `every` long, aligned on 2000-01-01 00:00 UTC
plus `offset` (a daily job at 18:00 UTC is `every=1 day, offset=18 h`). The scheduler enqueues
the current slot of each job once (a `ScheduledSlot` row guards it); a slot missed while no
scheduler ran is not caught up, the next one runs.

Adding a job here is one entry: a `@simpul_task` in the owning app's
`tasks.py` and a `Periodic(...)` line below, or an `enqueue_on_commit(task, run_id=...)` call
in the app's action for work that is started by a person.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django_tasks.base import Task

from simpul.backups import tasks as backup_tasks
from simpul.jobs import tasks
from simpul.justice.models.statistics import REFRESH_EVERY as JUSTICE_STATISTICS_EVERY
from simpul.justice.tasks import justice_deadlines, justice_statistics
from simpul.shelters.tasks import escalate_handovers, snapshot_occupancy

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task
    every: timedelta
    offset: timedelta = timedelta(0)
    kwargs: dict[str, Any] = field(default_factory=dict)

    def slot_start(self, now: datetime) -> datetime:
        origin = EPOCH + self.offset
        return origin + ((now - origin) // self.every) * self.every


SCHEDULE: list[Periodic] = [
    # Referrals past their due time: escalated within five minutes.
    Periodic("escalate_referrals", tasks.escalate_referrals, every=timedelta(minutes=5)),
    # Backups (docs/backups.md): the encrypted backup daily at 01:00 WIB, its drill at 03:00.
    Periodic(
        "backup", backup_tasks.backup_database, every=timedelta(days=1), offset=timedelta(hours=18)
    ),
    Periodic(
        "restore_drill",
        backup_tasks.restore_drill,
        every=timedelta(days=1),
        offset=timedelta(hours=20),
    ),
    Periodic(
        "shelter_occupancy",
        snapshot_occupancy,
        every=timedelta(days=1),
        offset=timedelta(hours=17, minutes=5),
    ),
    # Handovers not acknowledged in time: escalated to both agencies' supervisors, hourly
    # (at minute 13).
    Periodic(
        "handover_escalation",
        escalate_handovers,
        every=timedelta(hours=1),
        offset=timedelta(minutes=13),
    ),
    # Overdue and unreachable check-ins recorded as notices for the village officer, hourly
    # (at minute 7, away from the escalation's round slots).
    Periodic(
        "checkin_notices",
        tasks.checkin_notices,
        every=timedelta(hours=1),
        offset=timedelta(minutes=7),
    ),
    # Legal time limits of proceedings: reminders before they pass, stalled files (docs/justice.md).
    Periodic(
        "justice_deadlines", justice_deadlines, every=timedelta(days=1), offset=timedelta(hours=22)
    ),
    # The justice statistics page's figures (docs/justice.md), at minutes 3, 13, 23, ...
    Periodic(
        "justice_statistics",
        justice_statistics,
        every=JUSTICE_STATISTICS_EVERY,
        offset=timedelta(minutes=3),
    ),
]


def due_slots(
    now: datetime, schedule: list[Periodic] | None = None
) -> list[tuple[str, datetime, Task, dict[str, Any]]]:
    return [
        (p.name, p.slot_start(now), p.task, p.kwargs)
        for p in (SCHEDULE if schedule is None else schedule)
    ]
