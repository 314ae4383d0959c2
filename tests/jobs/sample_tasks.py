"""Tasks the job tests queue. They live in an importable module so a worker process runs them."""

import time

from django_tasks import TaskContext

from simpul.jobs.actions import report_progress
from simpul.jobs.registry import simpul_task


@simpul_task(idempotent=True, max_attempts=5, backoff_seconds=30)
def flaky(context: TaskContext) -> int:
    """Fails on its first two attempts, with a message quoting an identity (never stored)."""
    if context.attempt < 3:
        raise RuntimeError("could not reach Kenanga Puspitasari, NIK 6101095507090003")
    report_progress(context, 1, 1, "done")
    return context.attempt


@simpul_task()
def fails_once_for_good(context: TaskContext) -> None:
    raise ValueError("Kenanga Puspitasari")


@simpul_task(idempotent=True, max_attempts=3)
def slow_first_time(context: TaskContext, seconds: int) -> int:
    """The first attempt takes `seconds` (long enough to kill its worker); later ones finish."""
    if context.attempt == 1:
        report_progress(context, 1, 4, "sleeping")
        time.sleep(seconds)
    return context.attempt


@simpul_task(idempotent=True)
def noop(context: TaskContext, n: int = 0) -> int:
    return n
