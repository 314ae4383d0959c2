"""`simpul link_persons`: link the vault's persons (full or incremental), on DuckDB or Spark."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.linkage import service
from simpul.linkage.engine.pipeline import spark_session
from simpul.linkage.models import LinkageRun, RunMode, RunStatus


class Command(BaseCommand):
    help = (
        "Link every person in the vault (--full) or only those added since the last run "
        "(default), or execute the runs queued from the runs page (--pending)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--full", action="store_true", help="Re-link everyone.")
        group.add_argument("--pending", action="store_true", help="Execute queued runs.")
        group.add_argument("--run", type=int, help="Execute this queued run.")
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument(
            "--workers", type=int, default=None, help="Decryption worker processes (default 2)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pending"]:
            runs = list(LinkageRun.objects.filter(status=RunStatus.QUEUED).order_by("id"))
        elif options["run"]:
            runs = list(LinkageRun.objects.filter(pk=options["run"], status=RunStatus.QUEUED))
            if not runs:
                raise CommandError(f"Run {options['run']} is not waiting to start.")
        else:
            mode = RunMode.FULL if options["full"] else RunMode.INCREMENTAL
            try:
                runs = [service.create_run(mode, options["engine"])]
            except service.RunInFlight:
                raise CommandError(
                    "A linkage run is already waiting or running; run --pending instead."
                ) from None
        spark = None
        if any(r.engine == "spark" for r in runs):
            spark = spark_session()
        for run in runs:
            try:
                done = service.execute_run(run, spark=spark, workers=options["workers"])
            except Exception as exc:
                raise CommandError(f"Linkage run {run.pk} failed: {exc}") from exc
            timings = ", ".join(
                f"{k} {v:.1f}s" for k, v in done.timings.items() if isinstance(v, float)
            )
            self.stdout.write(
                f"Run {done.pk} ({done.mode}, {done.engine}): {done.records} records, "
                f"{done.clusters} persons, {done.pairs} scored pairs, {done.review_pairs} for "
                f"review, {done.alerts} alerts. {timings}"
            )
