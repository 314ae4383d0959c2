"""Simpul's background tasks. Each calls one app's action; the action validates, changes and
audits as it would from a page. Arguments are ids only (see `simpul.jobs.registry`)."""

from django_tasks import TaskContext

from simpul.jobs.actions import log_line
from simpul.jobs.registry import simpul_task
from simpul.migration.actions import record_checkin_notices
from simpul.referrals.actions import escalate_overdue


@simpul_task(idempotent=True, max_attempts=3)
def escalate_referrals(context: TaskContext) -> int:
    """Referrals not answered by their due time are marked escalated (safe to run often)."""
    count = escalate_overdue()
    log_line(context.task_result.id, f"escalated {count} overdue referrals")
    return count


@simpul_task(idempotent=True, max_attempts=3)
def checkin_notices(context: TaskContext) -> int:
    """Overdue and unreachable check-ins recorded as notices for the village officer (once per
    departure, kind and date, so safe to run every hour)."""
    count = record_checkin_notices()
    log_line(context.task_result.id, f"recorded {count} check-in notices")
    return count
