"""Simpul's background tasks. Each calls one app's action; the action validates, changes and
audits as it would from a page. Arguments are ids only (see `simpul.jobs.registry`)."""

from django_tasks import TaskContext

from simpul.jobs.actions import log_line
from simpul.jobs.registry import simpul_task
from simpul.referrals.actions import escalate_overdue


@simpul_task(idempotent=True, max_attempts=3)
def escalate_referrals(context: TaskContext) -> int:
    """Referrals not answered by their due time are marked escalated (safe to run often)."""
    count = escalate_overdue()
    log_line(context.task_result.id, f"escalated {count} overdue referrals")
    return count
