import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from simpul.audit.anchors import anchor_path, append_anchor
from simpul.audit.chain import verify_all
from simpul.audit.management.commands.verify_audit import broken_message


class Command(BaseCommand):
    help = (
        "Verify the audit chain and append its head (time, entry id, MAC, count; the line itself "
        "MACed) to SIMPUL_AUDIT_ANCHOR_PATH, outside the database. Run it on a schedule."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if anchor_path() is None:
            raise CommandError("SIMPUL_AUDIT_ANCHOR_PATH is empty: there is nowhere to anchor.")
        report = verify_all()
        if not report.ok:
            # Anchoring a broken chain would vouch for the damage.
            raise CommandError(broken_message(report))
        anchor = append_anchor(report)
        if anchor is None:
            self.stdout.write("Audit chain is empty: nothing to anchor.")
            return
        # Printed too, so the scheduler's log (journald, cron mail) keeps a second copy.
        self.stdout.write(json.dumps(anchor.body(), sort_keys=True))
