from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.backups.actions import BackupFailed, create_backup


class Command(BaseCommand):
    help = (
        "Write an encrypted backup of the database (PostgreSQL: pg_dump custom format; SQLite: "
        "the online backup API) with its manifest, under SIMPUL_BACKUP_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: a new file in SIMPUL_BACKUP_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup = create_backup(options["output"])
        except BackupFailed as exc:
            raise CommandError(f"Backup failed ({exc.code}): {exc}") from exc
        self.stdout.write(
            f"Backup written: {backup.path} ({backup.size_bytes} bytes; {backup.tables} tables, "
            f"{backup.rows} rows, {backup.audit_entries} audit entries; key {backup.key_id})."
        )
