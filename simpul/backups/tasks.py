"""The daily backup and the daily restore drill, as Simpul jobs (simpul/jobs/schedule.py)."""

from django_tasks import TaskContext

from simpul.backups.actions import create_backup, run_restore_drill
from simpul.backups.choices import Outcome
from simpul.jobs.actions import log_line
from simpul.jobs.registry import simpul_task


@simpul_task(idempotent=False)
def backup_database(context: TaskContext) -> str:
    """Write today's encrypted backup (a failure is recorded and fails the job)."""
    backup = create_backup()
    log_line(context.task_result.id, f"backup {backup.pk}: {backup.size_bytes} bytes")
    return str(backup.pk)


@simpul_task(idempotent=False)
def restore_drill(context: TaskContext) -> str:
    """Restore the latest backup into a scratch database and check it."""
    drill = run_restore_drill()
    log_line(
        context.task_result.id,
        f"drill {drill.pk}: {drill.outcome} {drill.failure_reason}".strip(),
    )
    if drill.outcome != Outcome.OK:
        raise RuntimeError(f"restore drill failed: {drill.failure_reason}")
    return str(drill.pk)
