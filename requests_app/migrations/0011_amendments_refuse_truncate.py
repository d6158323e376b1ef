"""Request amendments are history (migration 0006): refuse TRUNCATE of them too, as migration
0008 does for the other append-only tables (row-level triggers never see a TRUNCATE).

Depends on 0009; the merge re-chains it after whatever else takes 0010.
"""

from django.db import migrations

TABLE = "requests_app_requestamendment"


def refuse_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();")


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0010_audit_viewer_indexes")]
    operations = [migrations.RunPython(refuse_truncate, allow_truncate)]
