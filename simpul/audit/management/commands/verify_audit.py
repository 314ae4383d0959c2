from typing import Any

from django.core.management.base import BaseCommand, CommandError

from simpul.audit.chain import verify_all


class Command(BaseCommand):
    help = "Verify the audit hash chain and name the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_all()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at entry #{report.first_broken_id}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries verified.")
