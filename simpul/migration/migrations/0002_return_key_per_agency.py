"""A return's natural key is unique per agency (issue 21, finding 7): another agency's record of
the same return neither blocks nor reveals anything."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("migration", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="returnevent",
            name="natural_key",
            field=models.CharField(max_length=64),
        ),
        migrations.AddConstraint(
            model_name="returnevent",
            constraint=models.UniqueConstraint(
                fields=("owner_agency", "natural_key"), name="migration_return_key_per_agency"
            ),
        ),
    ]
