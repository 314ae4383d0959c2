from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.backups.database import ClientVersionError, Target
from simpul.backups.fileformat import BackupFileError, keyring
from simpul.backups.restoring import restore


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup into an EMPTY database. The whole file is checked first "
        "(format, key, every chunk); a refused file or a non-empty target is left untouched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--database-url",
            default="",
            help="The empty database to restore into (default: the configured DATABASE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ring = keyring()
            url = options["database_url"]
            target = Target.from_url(url) if url else Target.default()
            restored = restore(options["path"], target, ring)
        except BackupFileError as exc:
            raise CommandError(f"Restore refused ({exc.code}): {exc}") from exc
        except (ClientVersionError, ImproperlyConfigured, ValueError) as exc:
            raise CommandError(f"Restore refused: {exc}") from exc
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the {manifest['vendor']} backup of {manifest['created_at']} into "
            f"{target.label()}: {len(restored.counts)} tables, "
            f"{sum(restored.counts.values())} rows."
        )
        differences = restored.differences
        if differences:
            detail = ", ".join(f"{n} {a} -> {b}" for n, (a, b) in list(differences.items())[:10])
            raise CommandError(f"Row counts differ from the manifest: {detail}")
        self.stdout.write("Row counts equal the manifest's.")
