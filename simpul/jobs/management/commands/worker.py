from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS

from simpul.jobs.worker import SimpulWorker


class Command(BaseCommand):
    help = (
        "Run background jobs from the database queue until stopped (SIGTERM/SIGINT: finish the "
        "running job, then exit). Heartbeats every few seconds; re-queues the jobs of dead workers."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queue-name", default="*", help="Queues, comma-separated ('*': all).")
        parser.add_argument("--interval", type=float, default=1.0, help="Idle poll, seconds.")
        parser.add_argument("--batch", action="store_true", help="Run what is ready, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default="")
        parser.add_argument("--heartbeat", type=float, default=10.0, help="Seconds between beats.")
        parser.add_argument(
            "--stale-after", type=float, default=60.0, help="A heartbeat older than this is dead."
        )
        parser.add_argument("--reap-every", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        worker = SimpulWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
            heartbeat_seconds=options["heartbeat"] or None,
            stale_after=timedelta(seconds=options["stale_after"]),
            reap_every=timedelta(seconds=options["reap_every"]),
        )
        worker.configure_signals()
        self.stdout.write(f"Worker {worker.worker_id} started.")
        worker.run()
        self.stdout.write(f"Worker {worker.worker_id} stopped.")
