from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from simpul.demo.protection import build_protection_demo
from simpul.demo.world import build_world


class Command(BaseCommand):
    help = "Load the demo world (agencies, one user per role, synthetic persons). Demo mode only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("The demo world loads only with SIMPUL_DEMO=true.")
        counts = build_world()
        protection = build_protection_demo()
        self.stdout.write(
            f"Demo protection data: {protection['intakes']} reports, {protection['cases']} case."
        )
        self.stdout.write(
            f"Demo world ready: {counts['agencies']} agencies, {counts['users']} new users, "
            f"{counts['persons']} new persons."
        )
