"""The justice chain's background tasks: the daily deadline reminders, the statistics."""

from django_tasks import TaskContext

from simpul.jobs.actions import log_line
from simpul.jobs.registry import simpul_task
from simpul.justice.actions import raise_reminders, refresh_statistics


@simpul_task(idempotent=True, max_attempts=3)
def justice_deadlines(context: TaskContext) -> int:
    """Reminders before legal limits pass, and for proceedings stalled 90 days (idempotent)."""
    count = raise_reminders()
    log_line(context.task_result.id, f"raised {count} justice reminders")
    return count


@simpul_task(idempotent=True, max_attempts=3)
def justice_statistics(context: TaskContext) -> float:
    """Recompute the justice statistics page's figures (one row; rerunning adds a newer one)."""
    snapshot = refresh_statistics()
    log_line(context.task_result.id, f"justice statistics computed in {snapshot.seconds:.1f} s")
    return snapshot.seconds
