from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from simpul.prevention.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load demo prevention data (village indicators, outreach events with tests, volunteers) "
        "for Sajingan Besar and Tanjungpinang. Demo mode only; run after load_demo."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo prevention data loads only with SIMPUL_DEMO=true.")
        counts = load_demo()
        self.stdout.write(
            f"Prevention demo ready: {counts['indicator_values']} new indicator values, "
            f"{counts['events']} new events, {counts['volunteers']} new volunteers."
        )
