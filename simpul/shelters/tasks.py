"""The shelters app's background tasks: the nightly occupancy snapshot, handover escalation."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskContext

from simpul.jobs.actions import log_line
from simpul.jobs.registry import simpul_task
from simpul.shelters.actions import escalate_unacknowledged, write_daily_snapshots


@simpul_task(idempotent=True, max_attempts=3)
def snapshot_occupancy(context: TaskContext) -> int:
    """Yesterday's row per shelter (the night just ended), then today's so far; rerunning
    rewrites the same rows."""
    today = timezone.localdate()
    count = write_daily_snapshots(today - timedelta(days=1))
    write_daily_snapshots(today)
    log_line(context.task_result.id, f"occupancy snapshot of {count} shelters")
    return count


@simpul_task(idempotent=True, max_attempts=3)
def escalate_handovers(context: TaskContext) -> int:
    """Handovers not acknowledged within SIMPUL_HANDOVER_ACK_DAYS are escalated, once."""
    count = escalate_unacknowledged()
    log_line(context.task_result.id, f"escalated {count} unacknowledged handovers")
    return count
