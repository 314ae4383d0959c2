"""The keyed chain (key id per entry) and sealed searched terms.

Existing entries keep their plain SHA-256 hashes and an empty key id: rows are append-only and a
migration has no business holding the audit key. The first entry written afterwards (or
`simpul rekey_audit`) appends a keyed `audit.rekey` marker that binds the legacy head; see
simpul/audit/chain.py and docs/audit.md.

On SQLite, adding a column rebuilds the table, which drops the no-UPDATE trigger of 0002: it is
created again here.
"""

from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END;
"""


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="searched_index",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="searched_sealed",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
    ]
