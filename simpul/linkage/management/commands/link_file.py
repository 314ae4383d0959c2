"""`simpul link_file IN OUT`: link a standalone CSV or Parquet file of person records."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.linkage.engine import filelink
from simpul.linkage.engine.model import Thresholds


class Command(BaseCommand):
    help = (
        "Link the person records of a CSV or Parquet file (columns record_id, source, full_name, "
        "given_name, family_name, birth_date, sex, nik, passport, phone, region_code; any may "
        "be empty) and write record_id, cluster_id, match_probability_to_cluster. The database "
        "is not touched."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input")
        parser.add_argument("output")
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--auto-threshold", type=float, default=Thresholds().auto_link)
        parser.add_argument("--review-threshold", type=float, default=Thresholds().review)
        parser.add_argument("--pairs", help="Also write the scored pairs with their reasons here.")
        parser.add_argument(
            "--no-indonesian",
            action="store_true",
            help="Plain word comparison, without the Indonesian name rules (for benchmarks).",
        )
        parser.add_argument("--no-training", action="store_true", help="Keep the starting values.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            thresholds = Thresholds(options["auto_threshold"], options["review_threshold"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            summary = filelink.link_file(
                options["input"],
                options["output"],
                engine=options["engine"],
                thresholds=thresholds,
                indonesian=not options["no_indonesian"],
                train=not options["no_training"],
                pairs_path=options["pairs"],
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{summary.records} records, {summary.clusters} clusters "
            f"({summary.records - summary.clusters} merged), {summary.pairs} scored pairs, "
            f"{summary.seconds:.1f}s -> {options['output']}"
        )
