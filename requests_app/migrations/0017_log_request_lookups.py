"""Indexes for finding the child and the requester on "Log a request" (issue 12 item 1), and an
organisation a parent or the person themselves need not have (issue 13 item 1).

The indexes are PostgreSQL's own (``text_pattern_ops`` for ``UPPER(col) LIKE 'KEN%'``,
``gin_trgm_ops`` for ``UPPER(col) LIKE '%KERR%'``), so they are created here in SQL and only
on PostgreSQL; the SQLite demo is small enough to read whole. See ADR 0022.
"""

from django.db import migrations, models

INDEXES = {
    "case_record_last_name_prefix": "requests_app_caserecord "
    "(council_id, upper(last_name::text) text_pattern_ops)",
    "case_record_first_name_prefix": "requests_app_caserecord "
    "(council_id, upper(first_name::text) text_pattern_ops)",
    "case_record_reference_upper": "requests_app_caserecord (council_id, upper(reference::text))",
    "requester_name_prefix": "requests_app_requester "
    "(council_id, upper(name::text) text_pattern_ops)",
    "requester_organisation_prefix": "requests_app_requester "
    "(council_id, upper(organisation::text) text_pattern_ops)",
    "requester_name_trigram": "requests_app_requester USING gin (upper(name::text) gin_trgm_ops)",
    "requester_organisation_trigram": "requests_app_requester "
    "USING gin (upper(organisation::text) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0016_notifications_and_case_opened"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requester",
            name="organisation",
            field=models.CharField(blank=True, max_length=160),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
