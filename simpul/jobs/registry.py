"""`@simpul_task`: a task of Django's task framework plus what Simpul's worker needs to know.

    @simpul_task(idempotent=True, max_attempts=5)
    def escalate_referrals(context: TaskContext) -> int: ...

Every Simpul task takes the framework's `TaskContext` first (its result id carries progress and
log lines to the job row) and keyword arguments that are ids or codes only. Only a task marked
idempotent (safe to run twice) is retried after a failure or a lost worker, with exponential
backoff: `backoff_seconds`, then twice that, and so on up to `max_backoff_seconds`.
"""

import contextlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_QUEUE_NAME, task
from django_tasks.base import Task


@dataclass(frozen=True)
class JobSpec:
    path: str
    idempotent: bool
    max_attempts: int
    backoff_seconds: float
    max_backoff_seconds: float

    def backoff(self, failed_attempt: int) -> timedelta:
        """The wait before the next attempt, after attempt number `failed_attempt` (1-based)."""
        seconds = self.backoff_seconds * 2 ** max(failed_attempt - 1, 0)
        return timedelta(seconds=min(seconds, self.max_backoff_seconds))

    def may_retry(self, attempts_made: int) -> bool:
        return self.idempotent and attempts_made < self.max_attempts


SPECS: dict[str, JobSpec] = {}


def simpul_task(
    *,
    idempotent: bool = False,
    max_attempts: int | None = None,
    backoff_seconds: float = 30,
    max_backoff_seconds: float = 3600,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    priority: int = 0,
) -> Callable[[Callable[..., Any]], Task]:
    attempts = max_attempts if max_attempts is not None else (5 if idempotent else 1)
    if attempts < 1 or (attempts > 1 and not idempotent):
        raise ImproperlyConfigured("Only an idempotent task may have more than one attempt.")

    def decorate(func: Callable[..., Any]) -> Task:
        framework_task = task(takes_context=True, queue_name=queue_name, priority=priority)(func)
        path = framework_task.module_path
        SPECS[path] = JobSpec(path, idempotent, attempts, backoff_seconds, max_backoff_seconds)
        return framework_task

    return decorate


def spec_for(task_path: str) -> JobSpec:
    """The task's settings; importing its module registers it (a worker that has not run the
    task yet may reap it). A task nobody registered runs once, never again."""
    if task_path not in SPECS:
        with contextlib.suppress(ImportError):
            import_string(task_path)
    return SPECS.get(task_path) or JobSpec(
        task_path, idempotent=False, max_attempts=1, backoff_seconds=0, max_backoff_seconds=0
    )


# Job arguments are ids and codes: a UUID, a row number, a date, or a code with at least one
# digit and no spaces (person and case codes, region codes). Free text (a name), and anything
# with nine or more digits in a row (a NIK, a phone or passport number) is refused, so no
# identity reaches the queue table, the job page or a log line.
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_CODE = re.compile(r"^(?=[^\d]*\d)(?!.*\d{9})[A-Za-z0-9_.:/-]{1,64}$")
_MAX_INT = 10**8
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+([+-]\d{2}:\d{2}|Z)?)?$")


class JobArgumentError(ValueError):
    pass


def clean_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The JSON-ready arguments, or JobArgumentError naming the argument (never its value)."""
    return {name: _clean(name, value) for name, value in kwargs.items()}


def _clean(name: str, value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) < _MAX_INT:
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_TIME.match(value):
        return value
    if isinstance(value, str) and (_UUID.match(value) or _CODE.match(value)):
        return value
    if isinstance(value, list | tuple):
        return [_clean(name, v) for v in value]
    raise JobArgumentError(
        f"Job argument {name!r} must be an id, a code or a number, never free text."
    )
