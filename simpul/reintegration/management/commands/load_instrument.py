"""`simpul load_instrument FILE.json`: add a monitoring instrument version (validated)."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from simpul.reintegration.actions import load_instrument


class Command(BaseCommand):
    help = "Add a reintegration monitoring instrument version from a JSON file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            row, created = load_instrument(data)
        except (OSError, ValueError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        state = "loaded" if created else "already loaded"
        self.stdout.write(f"{row.code} version {row.version} {state}")
