"""A worker killed mid-task: its task is reaped from the stale heartbeat and run again."""

import os
import signal
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.jobs.actions import LOST_WORKER, enqueue, reap_lost
from simpul.jobs.models import Job, WorkerHeartbeat
from tests.jobs import sample_tasks
from tests.jobs.support import drain, start, wait_for


def _status(job: Job) -> str:
    return DBTaskResult.objects.get(pk=job.pk).status


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_was_killed_is_reaped_and_run_again_by_the_next_worker():
    job = enqueue(sample_tasks.slow_first_time, seconds=120)
    doomed = start("worker", "--worker-id", "doomed", "--heartbeat", "0.5", "--interval", "0.2")
    try:
        wait_for(
            lambda: _status(job) == TaskResultStatus.RUNNING,
            what="the task to start",
            process=doomed,
        )
        wait_for(lambda: WorkerHeartbeat.objects.filter(pk="doomed").exists(), what="a heartbeat")
    finally:
        if doomed.poll() is None:
            os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=30)
    assert _status(job) == TaskResultStatus.RUNNING  # left behind by the dead worker
    # The next worker starts once its heartbeat is 2 s stale: it reaps the task, then runs it.
    time.sleep(2.5)
    rescuer = start("worker", "--batch", "--worker-id", "rescuer", "--stale-after", "2")
    output, _ = rescuer.communicate(timeout=120)
    assert rescuer.returncode == 0, output
    result = DBTaskResult.objects.get(pk=job.pk)
    assert (result.status, result.return_value, result.worker_ids) == (
        TaskResultStatus.SUCCESSFUL,
        2,
        ["doomed", "rescuer"],
    )
    job.refresh_from_db()
    assert f"attempt 1 failed ({LOST_WORKER})" in job.log
    assert not WorkerHeartbeat.objects.filter(pk="rescuer").exists()  # stopped cleanly


@pytest.mark.django_db(transaction=True)
def test_a_running_task_with_a_fresh_heartbeat_is_left_alone_and_a_stale_one_is_reaped():
    job = enqueue(sample_tasks.slow_first_time, seconds=0)
    started = timezone.now()
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["w1"]
    )
    WorkerHeartbeat.objects.create(
        worker_id="w1", pid=1, host="h", started_at=started, beat_at=started
    )
    with time_machine.travel(started + timedelta(seconds=50)):
        assert reap_lost(timedelta(seconds=60)) == []
    assert _status(job) == TaskResultStatus.RUNNING
    with time_machine.travel(started + timedelta(seconds=61), tick=False):
        assert reap_lost(timedelta(seconds=60)) == [str(job.pk)]
        result = DBTaskResult.objects.get(pk=job.pk)
        assert (result.status, result.run_after) == (TaskResultStatus.READY, timezone.now())
        assert result.exception_class_path == LOST_WORKER
        drain()
    assert _status(job) == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_lost_task_that_is_not_idempotent_is_failed_not_run_again():
    job = enqueue(sample_tasks.fails_once_for_good)
    started = timezone.now()
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["gone"]
    )
    with time_machine.travel(started + timedelta(seconds=120)):
        assert reap_lost(timedelta(seconds=60)) == [str(job.pk)]
    result = DBTaskResult.objects.get(pk=job.pk)
    assert (result.status, result.exception_class_path) == (TaskResultStatus.FAILED, LOST_WORKER)
    drain()
    assert DBTaskResult.objects.get(pk=job.pk).worker_ids == ["gone"]
