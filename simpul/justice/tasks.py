"""The justice chain's background task: the daily deadline reminders."""

from django_tasks import TaskContext

from simpul.jobs.actions import log_line
from simpul.jobs.registry import simpul_task
from simpul.justice.actions import raise_reminders


@simpul_task(idempotent=True, max_attempts=3)
def justice_deadlines(context: TaskContext) -> int:
    """Reminders before legal limits pass, and for proceedings stalled 90 days (idempotent)."""
    count = raise_reminders()
    log_line(context.task_result.id, f"raised {count} justice reminders")
    return count
