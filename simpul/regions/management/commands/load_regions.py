"""`simpul load_regions`: load the vendored Kemendagri region file (or another one)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from simpul.regions.datafile import DEFAULT_DATA_FILE, RegionFileError
from simpul.regions.loader import DEFAULT_BATCH_SIZE, LoadResult, load_regions
from simpul.regions.models import DEFAULT_VINTAGE


class Command(BaseCommand):
    help = (
        "Load Indonesian administrative regions from a CSV (kode,nama,level,kode_induk; plain "
        "or gzipped) in one transaction. Safe to re-run: skips an unchanged file, updates "
        "changed names and never deletes regions."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_DATA_FILE,
            help="CSV or CSV.gz to load (default: the vendored Kepmendagri 2025 file).",
        )
        parser.add_argument(
            "--vintage",
            default=DEFAULT_VINTAGE,
            help=f"Vintage stored with every row (default: {DEFAULT_VINTAGE}).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Reload even when the file is unchanged."
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            result = load_regions(
                path,
                vintage=options["vintage"],
                force=options["force"],
                batch_size=options["batch_size"],
            )
        except RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        self._report(result)

    def _report(self, result: LoadResult) -> None:
        if result.skipped:
            self.stdout.write(f"Regions up to date (sha256 {result.sha256[:12]}).")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded regions in {result.seconds:.1f} s: {result.created} created, "
                    f"{result.updated} updated or unchanged (sha256 {result.sha256[:12]})."
                )
            )
        for level, total in result.stored_counts.items():
            self.stdout.write(f"  {level}: {total:,}")
        self.stdout.write(f"  total: {sum(result.stored_counts.values()):,}")
