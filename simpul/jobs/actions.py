"""Every write to the job tables: enqueue, progress and log, success, failure with retry,
heartbeats, reaping lost tasks, and enqueueing the periodic jobs' slots.

These rows are the queue's own bookkeeping, written by the system, not by a person: they are
not audited one by one (the audit trail records what the tasks themselves change). Job
arguments, log lines and errors never hold an identity: arguments are checked at enqueue, a
failure keeps the exception's class and stack frames but never its message.
"""

import logging
import os
import socket
import traceback
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks.base import Task, TaskResultStatus
from django_tasks.utils import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from simpul.jobs.models import Job, ScheduledSlot, WorkerHeartbeat
from simpul.jobs.registry import SPECS, JobArgumentError, clean_arguments, spec_for

logger = logging.getLogger("simpul.jobs")

LOST_WORKER = "simpul.jobs.WorkerLost"


def enqueue(task: Task, *, run_after: datetime | None = None, **kwargs: Any) -> Job:
    """Queue `task` with keyword arguments that are ids or codes; returns its job row."""
    spec = SPECS.get(task.module_path)
    if spec is None:
        raise JobArgumentError(f"{task.module_path} is not a @simpul_task.")
    arguments = clean_arguments(kwargs)
    if run_after is not None:
        task = task.using(run_after=run_after)
    with transaction.atomic():
        result = task.enqueue(**arguments)
        return Job.objects.create(
            result_id=uuid.UUID(result.id),
            task_name=task.name,
            idempotent=spec.idempotent,
            max_attempts=spec.max_attempts,
        )


def enqueue_many(task: Task, arguments: list[dict[str, Any]]) -> int:
    """Queue `task` once per keyword-argument dict, in bulk (one insert per few hundred rows,
    not two per task): e.g. the one-record check of every return of an imported list."""
    spec = SPECS.get(task.module_path)
    if spec is None:
        raise JobArgumentError(f"{task.module_path} is not a @simpul_task.")
    cleaned = [clean_arguments(kwargs) for kwargs in arguments]
    if not cleaned:
        return 0
    backend: Any = task.get_backend()  # the database backend: its id function and alias
    results: list[DBTaskResult] = [
        DBTaskResult(
            id=backend._get_id(),
            args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),  # the backend's "no delay"
            backend_name=backend.alias,
        )
        for kwargs in cleaned
    ]
    jobs = [
        Job(
            result_id=uuid.UUID(str(r.id)),
            task_name=task.name,
            idempotent=spec.idempotent,
            max_attempts=spec.max_attempts,
        )
        for r in results
    ]
    with transaction.atomic():
        DBTaskResult.objects.bulk_create(results, batch_size=500)
        Job.objects.bulk_create(jobs, batch_size=500)
    return len(results)


def enqueue_many_on_commit(task: Task, arguments: list[dict[str, Any]]) -> None:
    """`enqueue_many` once the surrounding transaction commits. Robust: the records are
    committed by then, so a failure to queue is logged, never reported as the action's."""
    for kwargs in arguments:
        clean_arguments(kwargs)
    transaction.on_commit(lambda: enqueue_many(task, arguments), robust=True)


def enqueue_on_commit(task: Task, **kwargs: Any) -> None:
    """Queue `task` once the surrounding transaction commits (the house rule for side effects).
    The arguments are checked now, so a bad one fails the action, not the commit hook."""
    clean_arguments(kwargs)
    transaction.on_commit(lambda: enqueue(task, **kwargs))


def _job_for(result: DBTaskResult) -> Job:
    """The job row of a result; made on the fly for a task enqueued through the bare framework."""
    spec = spec_for(result.task_path)
    job, _ = Job.objects.get_or_create(
        result=result,
        defaults={
            "task_name": result.task_path.rsplit(".", 1)[-1],
            "idempotent": spec.idempotent,
            "max_attempts": spec.max_attempts,
        },
    )
    return job


def _appended(text: str) -> Concat:
    stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    return Concat(F("log"), Value(f"{stamp} {text}\n"))


def log_line(result_id: Any, text: str, **fields: Any) -> int:
    """Append one line to a job's log (and set `fields`). Ids and counts, never identities."""
    return Job.objects.filter(pk=result_id).update(log=_appended(text), **fields)


def report_progress(context: TaskContext, done: int, total: int, note: str = "") -> None:
    """A task's progress: `done` of `total` steps, shown as a percentage on the job page."""
    percent = 100 if total <= 0 else max(0, min(100, done * 100 // total))
    Job.objects.filter(pk=uuid.UUID(context.task_result.id)).update(progress=percent)
    if note:
        log_line(context.task_result.id, note)


def start(result: DBTaskResult) -> None:
    line = f"attempt {len(result.worker_ids)} started on {result.worker_ids[-1]}"
    if not log_line(result.pk, line):
        _job_for(result)
        log_line(result.pk, line)


def _still_ours(result: DBTaskResult) -> Any:
    """The result row as long as this attempt still holds it (the reaper did not take it)."""
    return DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
    )


def succeed(result: DBTaskResult, return_value: Any) -> bool:
    now = timezone.now()
    changed = _still_ours(result).update(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=now,
        return_value=return_value,
        exception_class_path="",
        traceback="",
    )
    if changed:
        log_line(result.pk, "finished", progress=100)
        result.status, result.finished_at = TaskResultStatus.SUCCESSFUL, now
        result.return_value = return_value
    return bool(changed)


def error_text(exc: BaseException) -> tuple[str, str]:
    """The exception's class path and its stack frames; the message is withheld because an
    exception from deep in the code (a database constraint, a validation) can quote values."""
    class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
    # Frames as file, line and function only: neither the message nor the source lines.
    frames = "".join(
        f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
        for f in traceback.extract_tb(exc.__traceback__)
    )
    return class_path, f"{frames}{class_path} (message withheld)\n"


def fail(result: DBTaskResult, exc: BaseException) -> str:
    """Record a failed attempt: re-queue with backoff when the task is idempotent and has
    attempts left, otherwise mark it failed. Returns the new status."""
    class_path, frames = error_text(exc)
    return _finish_attempt(_still_ours(result), result, class_path, frames, backoff=True)


def _finish_attempt(
    rows: Any, result: DBTaskResult, class_path: str, frames: str, *, backoff: bool
) -> str:
    spec = spec_for(result.task_path)
    attempts = len(result.worker_ids)
    now = timezone.now()
    if spec.may_retry(attempts):
        run_after = now + spec.backoff(attempts) if backoff else now
        changed = rows.update(
            status=TaskResultStatus.READY,
            run_after=run_after,
            finished_at=None,
            exception_class_path=class_path,
            traceback=frames,
        )
        status, note = (
            TaskResultStatus.READY,
            f"attempt {attempts} failed ({class_path}); retry after {run_after:%H:%M:%S}",
        )
    else:
        changed = rows.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=class_path,
            traceback=frames,
        )
        status, note = TaskResultStatus.FAILED, f"attempt {attempts} failed ({class_path}); gave up"
    if not changed:
        return ""
    _job_for(result)
    log_line(result.pk, note)
    logger.warning("job %s %s", result.pk, note)
    return status


# Heartbeats and the reaper -------------------------------------------------------------------


def beat(worker_id: str, started_at: datetime) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(pk=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "pid": os.getpid(),
                "host": socket.gethostname()[:200],
                "started_at": started_at,
                "beat_at": now,
            },
        )


def stop_beating(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).delete()


def reap_lost(stale_after: timedelta, now: datetime | None = None) -> list[str]:
    """Tasks left RUNNING by a worker whose heartbeat is older than `stale_after` (or gone):
    re-queued at once when idempotent with attempts left, failed otherwise. Returns the ids."""
    now = now or timezone.now()
    cutoff = now - stale_after
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("pk", flat=True))
    reaped = []
    for result in DBTaskResult.objects.running().filter(started_at__lt=cutoff).order_by():
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        status = _finish_attempt(
            _still_ours(result),
            result,
            LOST_WORKER,
            f"{LOST_WORKER}: no heartbeat since {cutoff:%H:%M:%S}\n",
            backoff=False,
        )
        if status:
            reaped.append(str(result.pk))
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return reaped


# Periodic jobs -----------------------------------------------------------------------------


def enqueue_slots(due: Iterable[tuple[str, datetime, Task, dict[str, Any]]]) -> list[ScheduledSlot]:
    """Enqueue each (job name, slot start, task, arguments) unless that slot already has its
    row: the unique (job name, slot start) constraint settles a race between two schedulers, and
    the slot row and the queued task commit together or not at all."""
    made = []
    for name, slot_start, task, kwargs in due:
        if ScheduledSlot.objects.filter(job_name=name, slot_start=slot_start).exists():
            continue
        try:
            with transaction.atomic():
                slot = ScheduledSlot.objects.create(job_name=name, slot_start=slot_start)
                job = enqueue(task, **kwargs)
                slot.result_id = job.pk
                slot.save(update_fields=["result_id"])
        except IntegrityError:
            continue  # another scheduler took this slot first
        made.append(slot)
        logger.info("scheduled %s for the slot at %s", name, slot_start.isoformat())
    return made
