"""On PostgreSQL, refuse UPDATE and DELETE on the append-only tables (ALL-2, BH-11).

The ORM already refuses (models/append_only.py); the trigger also stops raw SQL and any future
code path. SQLite (demo only) relies on the ORM guard.
"""

from django.db import migrations

TABLES = ["requests_app_casenote", "requests_app_disclosuredecision", "requests_app_auditevent"]

FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_append_only_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: add a correction instead', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the body's '%' is PL/pgSQL's placeholder, not a query parameter.
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS refuse_append_only_change();")


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
