"""Make the restitution ledger append-only in the database itself, as the event log (0002).

PostgreSQL: a trigger refuses UPDATE and DELETE (TRUNCATE stays possible for the test flush).
SQLite: a trigger refuses UPDATE; DELETE stays possible because Django's test flush uses it,
and the model's `delete()` refuses it.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION simpul_justice_restitution_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'justice_restitutionentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER justice_restitutionentry_append_only
    BEFORE UPDATE OR DELETE ON justice_restitutionentry
    FOR EACH ROW EXECUTE FUNCTION simpul_justice_restitution_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS justice_restitutionentry_append_only ON justice_restitutionentry;
DROP FUNCTION IF EXISTS simpul_justice_restitution_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER justice_restitutionentry_no_update BEFORE UPDATE ON justice_restitutionentry
BEGIN SELECT RAISE(ABORT, 'justice_restitutionentry is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS justice_restitutionentry_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("justice", "0003_restitution_lpsk")]
    operations = [migrations.RunPython(forward, backward)]
