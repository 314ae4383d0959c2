from typing import Any

from django.core.management.base import BaseCommand, CommandError

from simpul.backups.actions import run_restore_drill
from simpul.backups.choices import Outcome


class Command(BaseCommand):
    help = (
        "Restore the latest backup into a scratch database, check migrations, row counts, the "
        "audit chain and the canary, record the RPO and RTO achieved, and remove the scratch copy."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        drill = run_restore_drill()
        if drill.outcome != Outcome.OK:
            raise CommandError(f"Restore drill failed: {drill.failure_reason}.")
        self.stdout.write(
            f"Restore drill passed: RPO {drill.rpo_seconds:.0f} s, RTO {drill.rto_seconds:.1f} s; "
            f"{drill.tables_checked} tables, {drill.rows_checked} rows, "
            f"{drill.audit_entries_verified} audit entries verified; canary opened."
        )
