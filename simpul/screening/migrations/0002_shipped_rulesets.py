from datetime import date

from django.db import migrations

from simpul.screening.rulesets import UU21_DELPHI_2026_1


def add(apps, schema_editor):
    RuleSet = apps.get_model("screening", "RuleSet")
    RuleSet.objects.get_or_create(
        code="uu21-delphi",
        version="2026.1",
        defaults={
            "legal_basis": (
                "UU 21/2007 Pasal 1 angka 1 dan 7; Protokol Palermo Pasal 3(c)-(d) untuk anak; "
                "ILO/EC Operational indicators of trafficking (Delphi, 2009), adult labour list"
            ),
            "valid_from": date(2007, 4, 19),
            "definition": UU21_DELPHI_2026_1,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
