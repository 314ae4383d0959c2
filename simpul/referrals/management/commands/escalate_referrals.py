from typing import Any

from django.core.management.base import BaseCommand

from simpul.referrals.actions import escalate_overdue


class Command(BaseCommand):
    help = "Escalate referrals not answered by their due time (run every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Escalated {escalate_overdue()} overdue referrals.")
