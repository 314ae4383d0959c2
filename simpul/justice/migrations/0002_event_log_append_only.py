"""Make the proceeding event log append-only in the database itself.

PostgreSQL: a trigger refuses UPDATE and DELETE (TRUNCATE, which the test suite's flush uses,
stays possible). SQLite: a trigger refuses UPDATE; DELETE stays possible because Django's test
flush uses it, and the model's `delete()` refuses it (as the audit table does).
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION simpul_justice_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'justice_proceedingevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER justice_proceedingevent_append_only
    BEFORE UPDATE OR DELETE ON justice_proceedingevent
    FOR EACH ROW EXECUTE FUNCTION simpul_justice_event_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS justice_proceedingevent_append_only ON justice_proceedingevent;
DROP FUNCTION IF EXISTS simpul_justice_event_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER justice_proceedingevent_no_update BEFORE UPDATE ON justice_proceedingevent
BEGIN SELECT RAISE(ABORT, 'justice_proceedingevent is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS justice_proceedingevent_no_update;"


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
    dependencies = [("justice", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
