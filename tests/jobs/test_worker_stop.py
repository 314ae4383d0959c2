"""SIGTERM stops the worker gracefully: the running job finishes first."""

import signal

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.jobs.actions import enqueue
from simpul.jobs.models import WorkerHeartbeat
from tests.jobs import sample_tasks
from tests.jobs.support import start, wait_for


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_running_job_finish_then_the_worker_exits():
    job = enqueue(sample_tasks.slow_first_time, seconds=3)
    worker = start("worker", "--worker-id", "polite", "--interval", "0.2")
    wait_for(
        lambda: DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.RUNNING,
        what="the job to start",
        process=worker,
    )
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    result = DBTaskResult.objects.get(pk=job.pk)
    assert (result.status, result.return_value, result.worker_ids) == (
        TaskResultStatus.SUCCESSFUL,
        1,
        ["polite"],
    )
    assert not WorkerHeartbeat.objects.filter(pk="polite").exists()
