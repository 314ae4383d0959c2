"""Migration work run by the worker: a large deportee list, imported in the background."""

from django_tasks import TaskContext

from simpul.jobs.actions import log_line, report_progress
from simpul.jobs.registry import simpul_task
from simpul.migration.importer import run_import_job


@simpul_task(idempotent=True, max_attempts=3, backoff_seconds=10)
def import_return_list(context: TaskContext, import_id: str) -> str:
    """Import a queued deportee list (`importer.queue_import`): all rows or none, then the
    sealed file is erased. Safe to run again: a finished job is left alone, and an interrupted
    one rolled back and starts over (rows already recorded are skipped)."""
    job = run_import_job(import_id, lambda percent: report_progress(context, percent, 100))
    log_line(
        context.task_result.id,
        f"import {job.pk}: {job.status}, {job.rows_created} created, {job.rows_skipped} "
        f"skipped, {job.error_count} errors",
    )
    return str(job.status)
