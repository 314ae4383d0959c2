"""Linkage work run by the worker: a queued linkage run, and the one-record check of a new
return, intake or shelter admission (so its alert reaches the officer within a minute of the
save, not on the next run). Queued by `simpul.linkage.actions`; arguments are ids only.

Each check is idempotent: an alert is unique by kind, persons and source, so a retried or
repeated check raises nothing twice.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django_tasks import TaskContext

from simpul.audit.log import record as audit
from simpul.jobs.actions import log_line, report_progress
from simpul.jobs.registry import simpul_task
from simpul.linkage import alerts, realtime, service
from simpul.linkage.models import LinkageRun, RunStatus

PROGRESS_STEPS = 100


@simpul_task(idempotent=True, max_attempts=2, backoff_seconds=5)
def run_linkage(context: TaskContext, run_id: int) -> str:
    """Execute a queued linkage run, its progress shown on the run page and the job page.

    A run already taken by `simpul link_persons --pending` (cron) is left to it. A run left
    RUNNING by a worker that died (this is then the second attempt) starts again from the
    beginning: both kinds of run rewrite what they store, so running again is safe."""
    run = LinkageRun.objects.filter(pk=run_id).first()
    if run is None:
        log_line(context.task_result.id, f"linkage run {run_id} no longer exists")
        return "missing"
    if run.status == RunStatus.RUNNING and context.attempt > 1:
        LinkageRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.QUEUED, stage="", progress=0.0
        )
        run.refresh_from_db()
        log_line(context.task_result.id, f"linkage run {run_id} restarted after a lost worker")
    if run.status != RunStatus.QUEUED:
        log_line(context.task_result.id, f"linkage run {run_id} is already {run.status}")
        return str(run.status)

    def progress(fraction: float) -> None:
        report_progress(context, int(fraction * PROGRESS_STEPS), PROGRESS_STEPS)

    try:
        done = service.execute_run(run, on_progress=progress)
    except Exception:
        run.refresh_from_db()
        if run.status == RunStatus.FAILED:
            # Recorded on the run row (shown on its page); a retry would find it finished.
            log_line(context.task_result.id, f"linkage run {run_id} failed")
            return str(run.status)
        raise
    log_line(
        context.task_result.id,
        f"linkage run {run_id}: {done.records} records, {done.review_pairs} pairs for review, "
        f"{done.alerts} alerts",
    )
    return str(done.status)


def _check(context: TaskContext, events: list[alerts.Event], record_type: str) -> int:
    """Check each event's person against everyone linked and raise the alerts."""
    related: dict[str, dict[str, float]] = {}
    decrypted = 0
    for person_id in dict.fromkeys(e.person_id for e in events):
        matches = realtime.check_person(person_id)
        decrypted += 1 + len(matches)
        related[person_id] = alerts.related_persons(person_id, matches)
    with transaction.atomic():
        if decrypted:
            audit(
                "linkage.decrypt",
                record_type=record_type,
                record_id=events[0].source_id if events else "",
                count=decrypted,
                fields=["full_name", "nik", "passport", "birth_date", "sex", "phone"],
            )
        created = alerts.raise_for_record(events, related)
    log_line(
        context.task_result.id,
        f"checked {len(related)} persons, {decrypted - len(related)} candidates matched, "
        f"{created} new alerts",
    )
    return created


@simpul_task(idempotent=True, max_attempts=5, backoff_seconds=10)
def check_return(context: TaskContext, return_id: str) -> int:
    """A new return or deportation: does the returnee match an open missing report?"""
    events = alerts.new_events(None, return_id=uuid.UUID(return_id))
    return _check(context, events, "migration.returnevent")


@simpul_task(idempotent=True, max_attempts=5, backoff_seconds=10)
def check_intake(context: TaskContext, intake_id: str) -> int:
    """A new intake: does a person concerned match an open missing report or a known victim?"""
    events = alerts.new_events(None, intake_id=uuid.UUID(intake_id))
    return _check(context, events, "intake.intake")


@simpul_task(idempotent=True, max_attempts=5, backoff_seconds=10)
def check_shelter_admission(context: TaskContext, person_id: str) -> int:
    """A person admitted to a shelter: does the person match an open missing report?"""
    events = alerts.new_events(None, shelter_person_id=uuid.UUID(person_id))
    return _check(context, events, "identity.person")
