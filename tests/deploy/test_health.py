"""The health endpoints (issue 14, item 6): JSON without signing in, nothing about people,
200 healthy and 503 not; the worker by its heartbeat, the scheduler by its lag."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from simpul.jobs.actions import enqueue_slots
from simpul.jobs.health import SCHEDULER_GRACE_SECONDS, WORKER_STALE_SECONDS
from simpul.jobs.models import WorkerHeartbeat
from simpul.jobs.schedule import due_slots

NOW = datetime(2026, 12, 3, 12, 2, 30, tzinfo=UTC)  # 2.5 minutes into a 5-minute slot
ALLOWED_KEYS = {
    "status",
    "database",
    "workers",
    "last_heartbeat_seconds",
    "stale_after_seconds",
    "lag_seconds",
    "periodic_jobs",
    "last_enqueued_seconds",
    "grace_seconds",
}


def _get(path: str) -> tuple[int, dict]:
    response = Client().get(path)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert set(body) <= ALLOWED_KEYS  # never a host, process id, worker id or anything else
    return response.status_code, body


@pytest.mark.django_db
def test_the_web_process_answers_when_its_database_does():
    assert _get("/health/") == (200, {"status": "ok", "database": "ok"})
    assert Client().post("/health/").status_code == 405


@pytest.mark.django_db
def test_the_worker_is_healthy_while_a_heartbeat_is_fresh():
    with time_machine.travel(NOW, tick=False):
        assert _get("/health/worker/") == (
            503,
            {
                "status": "unavailable",
                "workers": 0,
                "last_heartbeat_seconds": None,
                "stale_after_seconds": WORKER_STALE_SECONDS,
            },
        )
        WorkerHeartbeat.objects.create(
            worker_id="w1", pid=1, host="h", started_at=NOW, beat_at=NOW - timedelta(seconds=5)
        )
        status, body = _get("/health/worker/")
        assert (status, body["workers"], body["last_heartbeat_seconds"]) == (200, 1, 5)
    with time_machine.travel(NOW + timedelta(seconds=WORKER_STALE_SECONDS), tick=False):
        status, body = _get("/health/worker/")
        assert (status, body["workers"], body["last_heartbeat_seconds"]) == (503, 0, 65)


@pytest.mark.django_db
def test_the_scheduler_is_late_once_a_due_slot_waits_past_the_grace():
    due = due_slots(NOW)
    assert due, "the schedule has periodic jobs"
    lag = int((NOW - min(start for _n, start, _t, _k in due)).total_seconds())
    with time_machine.travel(NOW, tick=False):
        status, body = _get("/health/scheduler/")
        assert body["lag_seconds"] == lag and body["periodic_jobs"] == len(due)
        assert status == (200 if lag <= SCHEDULER_GRACE_SECONDS else 503)
        assert lag >= 150  # the five-minute escalation slot began at 12:00:00
        enqueue_slots(due)
        assert _get("/health/scheduler/") == (
            200,
            {
                "status": "ok",
                "lag_seconds": 0,
                "periodic_jobs": len(due),
                "last_enqueued_seconds": 0,
                "grace_seconds": SCHEDULER_GRACE_SECONDS,
            },
        )
