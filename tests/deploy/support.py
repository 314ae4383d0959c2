"""A fresh, empty database of the kind the suite runs on, and production-like process
environments, for the deployment tests (real `simpul setup`, gunicorn, worker, scheduler)."""

import base64
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a new empty database on the suite's engine; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    s = connection.settings_dict
    name = f"simpul_fresh_{secrets.token_hex(4)}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    server = f"postgresql://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env(database_url: str, data_dir: Path, port: int) -> dict[str, str]:
    """Production settings (not the test settings): keys from the environment, manifest
    static files, full-cost password hashing. Plain HTTP on loopback, as behind a proxy."""

    def key() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "SIMPUL_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=database_url,
        SIMPUL_SECRET_KEY=secrets.token_urlsafe(50),
        SIMPUL_VAULT_KEYS=f"k1:{key()}",
        SIMPUL_BLIND_INDEX_KEY=key(),
        SIMPUL_AUDIT_KEY=f"a1:{key()}",
        SIMPUL_DATA_DIR=str(data_dir),
        SIMPUL_AUDIT_ANCHOR_PATH=str(data_dir / "audit-anchors.jsonl"),
        SIMPUL_ALLOWED_HOSTS="127.0.0.1",
        SIMPUL_HTTPS="false",
        SIMPUL_BIND=f"127.0.0.1:{port}",
        SIMPUL_WEB_WORKERS="1",
    )
    return env


def stop(process: subprocess.Popen[str], timeout: float = 30) -> int:
    """SIGTERM to the process group, then SIGKILL if it is still there after `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return -9


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except OSError as exc:  # not listening yet
            last = exc
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")
