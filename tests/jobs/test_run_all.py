"""`simpul run_all` (what `make run` starts): web, worker and scheduler up and down together."""

import os
import signal
import socket
import urllib.request

import pytest

from simpul.jobs.models import ScheduledSlot, WorkerHeartbeat
from tests.jobs.support import start, wait_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serves(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _start_all(port: int):
    runner = start("run_all", f"127.0.0.1:{port}", "--noreload", "--grace", "10")
    wait_for(lambda: _serves(port), timeout=90, what="the web server", process=runner)
    heartbeat = wait_for(
        lambda: WorkerHeartbeat.objects.first(), timeout=90, what="the worker", process=runner
    )
    wait_for(lambda: ScheduledSlot.objects.exists(), timeout=90, what="the scheduler")
    return runner, heartbeat


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_stops_the_web_server_the_worker_and_the_scheduler_together():
    port = _free_port()
    runner, heartbeat = _start_all(port)
    runner.send_signal(signal.SIGINT)
    output, _ = runner.communicate(timeout=60)
    assert runner.returncode == 0, output
    assert not _serves(port)
    assert not _alive(heartbeat.pid)
    assert not WorkerHeartbeat.objects.exists()  # the worker stopped cleanly, not killed


@pytest.mark.django_db(transaction=True)
def test_when_the_worker_dies_the_others_are_stopped_and_the_command_fails():
    port = _free_port()
    runner, heartbeat = _start_all(port)
    os.kill(heartbeat.pid, signal.SIGKILL)
    output, _ = runner.communicate(timeout=60)
    assert runner.returncode != 0
    assert "worker exited with code -9; stopping the others." in output
    assert not _serves(port)
