"""Retries with backoff for idempotent tasks; no retry for the others; ids-only arguments."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.jobs.actions import enqueue
from simpul.jobs.models import Job
from simpul.jobs.registry import JobArgumentError
from tests.jobs import sample_tasks
from tests.jobs.support import drain

T0 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def _result(job: Job) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=job.pk)


@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_twice_is_retried_with_growing_backoff_then_succeeds():
    with time_machine.travel(T0, tick=False) as clock:
        job = enqueue(sample_tasks.flaky)
        drain()
        first = _result(job)
        assert (first.status, len(first.worker_ids)) == (TaskResultStatus.READY, 1)
        assert first.run_after == T0 + timedelta(seconds=30)
        assert first.exception_class_path == "builtins.RuntimeError"

        drain()  # not before its backoff
        assert len(_result(job).worker_ids) == 1

        clock.move_to(T0 + timedelta(seconds=30))
        drain()
        second = _result(job)
        assert (second.status, len(second.worker_ids)) == (TaskResultStatus.READY, 2)
        assert second.run_after == T0 + timedelta(seconds=30 + 60)

        clock.move_to(T0 + timedelta(seconds=90))
        drain()
        done = _result(job)
        assert (done.status, done.return_value, len(done.worker_ids)) == (
            TaskResultStatus.SUCCESSFUL,
            3,
            3,
        )
        assert (done.exception_class_path, done.traceback) == ("", "")
    job.refresh_from_db()
    assert job.progress == 100
    assert job.log.count("failed (builtins.RuntimeError); retry after") == 2
    assert "finished" in job.log


@pytest.mark.django_db(transaction=True)
def test_a_failure_keeps_the_class_and_frames_but_never_the_message(caplog):
    job = enqueue(sample_tasks.fails_once_for_good)
    with caplog.at_level("DEBUG"):
        drain()
    result = _result(job)
    assert (result.status, len(result.worker_ids)) == (TaskResultStatus.FAILED, 1)
    assert result.exception_class_path == "builtins.ValueError"
    assert "fails_once_for_good" in result.traceback
    job.refresh_from_db()
    assert "failed (builtins.ValueError)" in caplog.text
    for text in (result.traceback, job.log, caplog.text):
        assert "Kenanga" not in text
        assert "Puspitasari" not in text


@pytest.mark.django_db(transaction=True)
def test_a_task_not_marked_idempotent_is_not_retried():
    job = enqueue(sample_tasks.fails_once_for_good)
    drain()
    drain()
    result = _result(job)
    assert (result.status, len(result.worker_ids)) == (TaskResultStatus.FAILED, 1)
    job.refresh_from_db()
    assert job.log.endswith("attempt 1 failed (builtins.ValueError); gave up\n")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    ["Kenanga Puspitasari", "kenanga", "6101095507090003", "081234567890", 6101095507090003],
)
def test_a_job_argument_that_could_be_an_identity_is_refused_and_nothing_is_queued(value):
    with pytest.raises(JobArgumentError) as refused:
        enqueue(sample_tasks.noop, n=value)
    assert str(value) not in str(refused.value)
    assert (DBTaskResult.objects.count(), Job.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_ids_codes_and_numbers_are_accepted_as_job_arguments():
    job = enqueue(sample_tasks.noop, n=42)
    assert _result(job).args_kwargs == {"args": [], "kwargs": {"n": 42}}
    assert (job.task_name, job.idempotent, job.max_attempts) == ("noop", True, 5)
