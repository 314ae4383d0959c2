import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from simpul.demo.cases import build_case_stages
from simpul.demo.justice import build_justice_demo
from simpul.demo.linkage import build_linkage_demo
from simpul.demo.migration import build_migration_demo
from simpul.demo.protection import build_protection_demo
from simpul.demo.world import build_world


class Command(BaseCommand):
    help = (
        "Load the demo world (agencies, one user per role, synthetic persons, reports, cases, "
        "referrals, migration records, a finished linkage run, court proceedings). "
        "Demo mode only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("The demo world loads only with SIMPUL_DEMO=true.")
        started = time.perf_counter()
        counts = build_world()
        protection = build_protection_demo()
        stages = build_case_stages()
        migration = build_migration_demo()
        linkage = build_linkage_demo()
        justice = build_justice_demo()  # after the linkage run: its persons stay out of it
        self.stdout.write(
            f"Demo protection data: {protection['intakes']} reports, "
            f"{protection['cases'] + stages['cases']} new cases."
        )
        self.stdout.write(
            f"Demo migration data: {migration['departures']} departures, "
            f"{migration['missing']} missing reports, {migration['screenings']} screenings, "
            f"{migration['returns']} imported returns."
        )
        self.stdout.write(
            f"Demo linkage: {linkage['persons']} near-duplicate persons, "
            f"{linkage['review_pairs']} pairs to review, {linkage['alerts']} alerts."
        )
        self.stdout.write(
            f"Demo justice data: {justice['proceedings']} proceedings, "
            f"{justice['reminders']} reminders."
        )
        self.stdout.write(
            f"Demo world ready: {counts['agencies']} agencies, {counts['users']} new users, "
            f"{counts['persons']} new persons ({time.perf_counter() - started:.1f} s)."
        )
