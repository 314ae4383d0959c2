from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.audit.anchors import append_anchor
from simpul.audit.chain import ChainReport, verify_all


def broken_message(report: ChainReport) -> str:
    if report.first_broken_id is None:
        return f"Audit chain cannot be trusted: {report.problem}."
    return (
        f"Audit chain broken at entry #{report.first_broken_id}: {report.problem} "
        f"({report.checked} entries before it are intact)."
    )


class Command(BaseCommand):
    help = (
        "Verify the audit chain (keyed MACs) against every anchor outside the database, name "
        "the first broken entry, and anchor the verified head."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-anchor", action="store_true", help="Only verify; do not append an anchor."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_all()
        if not report.ok:
            raise CommandError(broken_message(report))
        self.stdout.write(f"Audit chain intact: {report.checked} entries verified.")
        if not options["no_anchor"]:
            anchor = append_anchor(report)
            if anchor is not None:
                self.stdout.write(
                    f"Anchored entry #{anchor.last_id} ({anchor.count} entries) at {anchor.at}."
                )
