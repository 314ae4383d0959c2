from django.db import migrations

from simpul.screening.rulesets import install_shipped_rulesets


def add(apps, schema_editor):
    install_shipped_rulesets(apps.get_model("screening", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
