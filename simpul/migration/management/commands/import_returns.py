"""`simpul import_returns FILE --user USERNAME`: import a deportee list from the command line.

Runs the same validation and the same all-or-nothing commit as the upload page. On any error
nothing is written, every problem is printed as `row;column;reason` (reasons in Bahasa
Indonesia) and the command exits with status 1. With `--queue` the file is stored sealed and a
worker imports it (as for a large file uploaded on the page); the command prints the page
that shows its progress and result.
"""

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.accounts.models import User
from simpul.migration.codes import POINT_BY_CODE
from simpul.migration.importer import (
    ENCODINGS,
    UnreadableFile,
    XlsxUnavailable,
    import_returns,
    queue_import,
)


class Command(BaseCommand):
    help = "Import a deportee list (CSV or XLSX) as returns; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user",
            required=True,
            help="Username of the border, Imigrasi, BP3MI or Dinsos officer importing",
        )
        parser.add_argument("--entry-point", default="", help="Code for rows that name none")
        parser.add_argument("--list-reference", default="", help="e.g. the consulate's letter")
        parser.add_argument(
            "--encoding",
            choices=sorted(ENCODINGS),
            default="utf-8",
            help="Encoding of a CSV file (default utf-8); an invalid byte refuses the file",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Store the file sealed and let a worker import it (simpul worker)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        point = options["entry_point"]
        if point and point not in POINT_BY_CODE:
            raise CommandError(f"Unknown entry point {point}; codes: {', '.join(POINT_BY_CODE)}")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']}")
        if options["queue"] and not options["dry_run"]:
            try:
                job = queue_import(
                    user,
                    path.read_bytes(),
                    path.name,
                    default_entry_point=point,
                    list_reference=options["list_reference"],
                    encoding=options["encoding"],
                )
            except PermissionDenied as exc:
                raise CommandError(f"{user.username} cannot import returns: {exc}") from exc
            self.stdout.write(
                f"Queued {path.name} as import {job.pk}; a worker imports it. Progress and "
                f"result: /migration/returns/import/{job.pk}/"
            )
            return
        started = time.perf_counter()
        try:
            result = import_returns(
                user,
                path.read_bytes(),
                path.name,
                default_entry_point=point,
                list_reference=options["list_reference"],
                encoding=options["encoding"],
                dry_run=options["dry_run"],
            )
        except PermissionDenied as exc:
            raise CommandError(f"{user.username} cannot import returns: {exc}") from exc
        except UnreadableFile as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        except XlsxUnavailable as exc:
            raise CommandError("XLSX needs the openpyxl package; save the sheet as CSV.") from exc
        elapsed = time.perf_counter() - started
        if result.errors:
            self.stdout.write("row;column;reason")
            for error in result.errors:
                self.stdout.write(f"{error.row};{error.column};{error.reason}")
            raise CommandError(f"Nothing imported: {len(result.errors)} problems in {path.name}.")
        verb = "Checked" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb} {path.name}: {result.total} rows, {result.created} returns created, "
            f"{result.persons_created} new persons, {result.names_added} other names added, "
            f"{result.skipped} already recorded ({elapsed:.1f} s)."
        )
