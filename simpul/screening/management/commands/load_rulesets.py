from typing import Any

from django.core.management.base import BaseCommand

from simpul.screening.models import RuleSet
from simpul.screening.rulesets import install_shipped_rulesets


class Command(BaseCommand):
    help = "Add any shipped screening rule-set version that is missing (never changes one)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Added {install_shipped_rulesets(RuleSet)} rule-set versions.")
