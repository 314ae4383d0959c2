import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from simpul.jobs.actions import enqueue_slots
from simpul.jobs.schedule import due_slots


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (simpul/jobs/schedule.py), each slot once even with two "
        "schedulers or after a restart. Runs until SIGTERM/SIGINT; --once for a single pass."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between passes.")
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write("Scheduler started.")
        while not stop.is_set():
            close_old_connections()
            made = enqueue_slots(due_slots(timezone.now()))
            for slot in made:
                self.stdout.write(f"Enqueued {slot.job_name} for {slot.slot_start:%Y-%m-%d %H:%M}.")
            if options["once"]:
                break
            stop.wait(options["interval"])
        self.stdout.write("Scheduler stopped.")
