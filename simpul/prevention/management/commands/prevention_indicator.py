from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.prevention.actions import configure_indicator
from simpul.prevention.models import RiskIndicator
from simpul.prevention.risk import indicator_label


class Command(BaseCommand):
    help = (
        "List the village risk indicators, or change one's weight, reference range or use. "
        "Every change is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", help="indicator code, e.g. poverty")
        parser.add_argument("--weight", type=float)
        parser.add_argument("--min", type=float, dest="scale_min", help="value scored 0")
        parser.add_argument("--max", type=float, dest="scale_max", help="value scored 1")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--on", action="store_true", help="use it in the score")
        group.add_argument("--off", action="store_true", help="leave it out of the score")
        parser.add_argument("--reason", default="", help="why (kept in the audit trail)")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"]
        if code:
            active = True if options["on"] else False if options["off"] else None
            try:
                configure_indicator(
                    code,
                    weight=options["weight"],
                    scale_min=options["scale_min"],
                    scale_max=options["scale_max"],
                    active=active,
                    reason=options["reason"],
                )
            except RiskIndicator.DoesNotExist as exc:
                raise CommandError(f"No indicator {code!r}.") from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        for i in RiskIndicator.objects.all():
            self.stdout.write(
                f"{i.code:16} {'on ' if i.active else 'off'} weight {i.weight:5g} "
                f"range {i.scale_min:g}..{i.scale_max:g} {i.source_kind:9} {indicator_label(i)}"
            )
