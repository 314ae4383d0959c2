"""Run Simpul's commands as real processes against the test database."""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

from simpul.jobs.worker import SimpulWorker

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def command_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="simpul.settings_test",
        SIMPUL_TESTING="true",
        PYTHONPATH=str(ROOT),
        # A scheduler started here also runs the daily backup and drill of the test database:
        # their files go to a scratch folder, not the checkout's var/backups.
        SIMPUL_BACKUP_DIR=str(Path(tempfile.gettempdir()) / f"simpul-test-backups-{os.getpid()}"),
    )
    return env


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "simpul", *args],
        cwd=ROOT,
        env=command_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(
    condition: Callable[[], object],
    timeout: float = 60,
    what: str = "",
    process: subprocess.Popen[str] | None = None,
) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"process exited {process.returncode}: {process.stdout.read()}")
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what or condition}")


def drain(worker_id: str = "test-worker") -> None:
    """Run everything that is ready in this process (no heartbeat thread), then return."""
    SimpulWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        heartbeat_seconds=None,
    ).run()
