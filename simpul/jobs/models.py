"""Simpul's bookkeeping around the task framework's queue table (`DBTaskResult`).

The backport stores each queued task as a `DBTaskResult` row (status, arguments, worker ids,
timestamps, the last error). What it lacks lives here:

- `Job`: one row per queued task, same primary key as its result row, with what Simpul's worker
  adds: whether the task may be retried, how often, its progress and a short log.
- `WorkerHeartbeat`: one row per running worker, touched every few seconds, so the reaper can
  tell a worker that died (its tasks left RUNNING) from one still working.
- `ScheduledSlot`: one row per periodic job and time slot; its unique constraint is what stops
  two schedulers (or one restarted) from enqueueing the same slot twice.

Nothing here holds an identity: task arguments are ids and codes only (checked at enqueue), and
errors keep the exception's class and stack frames, never its message.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class Job(models.Model):
    result = models.OneToOneField(
        DBTaskResult,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="simpul_job",
        verbose_name=_("task result"),
    )
    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    idempotent = models.BooleanField(_("may be retried"), default=False)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=1)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    log = models.TextField(_("log"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.task_name} {self.pk}"


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    pid = models.PositiveIntegerField(_("process id"))
    host = models.CharField(_("host"), max_length=200)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        ordering = ["-beat_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class ScheduledSlot(models.Model):
    job_name = models.CharField(_("periodic job"), max_length=100)
    slot_start = models.DateTimeField(_("slot start"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    result_id = models.UUIDField(_("task result"), null=True)

    class Meta:
        ordering = ["-slot_start", "job_name"]
        constraints = [
            models.UniqueConstraint(fields=["job_name", "slot_start"], name="jobs_one_slot_once")
        ]
        verbose_name = _("scheduled slot")
        verbose_name_plural = _("scheduled slots")

    def __str__(self) -> str:
        return f"{self.job_name} @ {self.slot_start:%Y-%m-%d %H:%M}"
