"""Simpul's worker: the backport's database worker loop with three additions.

`django_tasks_db`'s `Worker` claims the next ready task atomically (row lock with SKIP LOCKED
on PostgreSQL, an EXCLUSIVE transaction on SQLite) and runs it. Simpul keeps that loop and
replaces what happens around one task:

- `run_task` records success, or a failure that is retried with backoff when the task is
  idempotent (see `simpul.jobs.actions.fail`), and never stores an exception's message;
- a heartbeat thread touches this worker's `WorkerHeartbeat` row every few seconds and runs the
  reaper, which re-queues (idempotent) or fails the tasks of workers whose heartbeat went stale;
- a first SIGTERM or SIGINT lets the running task finish and then stops; a second one stops
  the task at once (it is then recorded as failed, and retried if idempotent).
"""

import logging
import threading
from datetime import timedelta
from types import FrameType
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from simpul.jobs import actions

logger = logging.getLogger("simpul.jobs")


class SimpulWorker(Worker):
    def __init__(
        self,
        *,
        heartbeat_seconds: float | None = 10,
        stale_after: timedelta = timedelta(seconds=60),
        reap_every: timedelta = timedelta(seconds=30),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.heartbeat_seconds = heartbeat_seconds
        self.stale_after = stale_after
        self.reap_every = reap_every
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # Signals: the first asks to stop after the running task, the second interrupts it.
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:
            logger.warning("worker %s: second %s, stopping now", self.worker_id, signum)
            self.reset_signals()
            raise SystemExit(1)
        logger.info("worker %s: stopping after the running task", self.worker_id)
        self.running = False

    def run(self) -> None:
        actions.beat(self.worker_id, self.started_at)
        actions.reap_lost(self.stale_after)
        if self.heartbeat_seconds:
            self._thread = threading.Thread(target=self._heartbeat, daemon=True)
            self._thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            if self._thread is not None:
                self._thread.join(timeout=30)
            close_old_connections()
            actions.stop_beating(self.worker_id)

    def _heartbeat(self) -> None:
        assert self.heartbeat_seconds
        last_reap = timezone.now()
        try:
            while not self._stop.wait(self.heartbeat_seconds):
                try:
                    actions.beat(self.worker_id, self.started_at)
                    if timezone.now() - last_reap >= self.reap_every:
                        last_reap = timezone.now()
                        reaped = actions.reap_lost(self.stale_after)
                        if reaped:
                            logger.warning("reaped %d tasks of lost workers", len(reaped))
                except Exception:
                    logger.exception("worker %s: heartbeat failed", self.worker_id)
        finally:
            connection.close()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        try:
            actions.start(db_task_result)
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                context = TaskContext(task_result=task_result)  # type: ignore[arg-type]
                value = task.call(context, *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            actions.succeed(db_task_result, value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as exc:
            close_old_connections()
            status = actions.fail(db_task_result, exc)
            logger.warning(
                "job %s failed (%s.%s), now %s",
                db_task_result.pk,
                type(exc).__module__,
                type(exc).__qualname__,
                status or "taken by the reaper",
            )
        finally:
            self.running_task = False
            self._run_tasks += 1
