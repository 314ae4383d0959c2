"""`simpul run_all`: the web server, a worker and the scheduler, started and stopped together.

Each runs as a child process in its own process group (so the development server's reloader
child goes with it). Ctrl-C or SIGTERM stops all three; when one of them dies the others are
stopped too and the command exits with that child's code. Children get SIGTERM first (the
worker finishes its running job), then SIGKILL after `--grace` seconds.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server, a worker and the scheduler together; Ctrl-C stops all three."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--grace", type=float, default=15.0)
        parser.add_argument("--noreload", action="store_true", help="Web server without reloader.")

    def handle(self, *args: Any, **options: Any) -> None:
        simpul = [sys.executable, "-m", "simpul"]
        web = [*simpul, "runserver", options["addrport"]]
        if options["noreload"]:
            web.append("--noreload")
        commands = {"web": web, "worker": [*simpul, "worker"], "scheduler": [*simpul, "scheduler"]}
        stopping = False

        def request_stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        children = {
            name: subprocess.Popen(cmd, start_new_session=True)  # noqa: S603 - our own commands
            for name, cmd in commands.items()
        }
        code = 0
        try:
            while not stopping:
                dead = [(n, p.returncode) for n, p in children.items() if p.poll() is not None]
                if dead:
                    name, code = dead[0]
                    self.stderr.write(f"{name} exited with code {code}; stopping the others.")
                    code = code or 1
                    break
                time.sleep(0.3)
        finally:
            self._stop_all(children, options["grace"])
        if code:
            sys.exit(code)

    def _stop_all(self, children: dict[str, subprocess.Popen[bytes]], grace: float) -> None:
        for process in children.values():
            self._signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in children.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        for process in children.values():
            self._signal_group(process, signal.SIGKILL)
            process.wait()

    @staticmethod
    def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
