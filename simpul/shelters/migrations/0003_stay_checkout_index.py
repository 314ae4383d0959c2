from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shelters", "0002_handover"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="stay",
            index=models.Index(
                fields=["shelter", "checked_out_at"],
                include=("checked_in_at", "person"),
                name="stay_shelter_checkout_idx",
            ),
        ),
    ]
