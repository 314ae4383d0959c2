"""Ship version 1 of the monitoring instrument (modelled on the IOM Reintegration
Sustainability Survey; see docs/reintegration.md), validated as it is loaded."""

import json
from pathlib import Path
from typing import Any

from django.db import migrations

from simpul.reintegration.instrument import validate

SHIPPED = Path(__file__).resolve().parent.parent / "instruments" / "rss-v1.json"


def load(apps: Any, schema_editor: Any) -> None:
    instrument = apps.get_model("reintegration", "Instrument")
    data = validate(json.loads(SHIPPED.read_text(encoding="utf-8")))
    instrument.objects.get_or_create(
        code=data["code"], version=data["version"], defaults={"data": data}
    )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("reintegration", "Instrument").objects.filter(code="rss", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("reintegration", "0001_plans_visits_instruments")]

    operations = [migrations.RunPython(load, unload)]
