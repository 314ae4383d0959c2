"""The starter question bank (data/question_bank_2025_1.json) and the default risk indicators
(simpul.prevention.risk.DEFAULT_INDICATORS, documented in docs/prevention.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from simpul.prevention.starter import ensure_starter_data

    ensure_starter_data(
        apps.get_model("prevention", "Question"),
        apps.get_model("prevention", "EventQuestion"),
        apps.get_model("prevention", "RiskIndicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("prevention", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
