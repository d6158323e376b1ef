"""Hash-chain the audit trail and the case notes, and refuse TRUNCATE of the history (issue 11).

Each audit event and case note gets `prev_hash` and `hash` (requests_app/models/chain.py);
rows already written are linked here, in id order per council. The append-only tables also get
a statement-level BEFORE TRUNCATE trigger: row-level triggers never see a TRUNCATE.

Depends on 0006; if another branch adds a 0007, the merge points this at it.
"""

import django.utils.timezone
from django.db import migrations, models

from requests_app.models.chain import GENESIS, entry_hash

APPEND_ONLY = ["requests_app_casenote", "requests_app_disclosuredecision",
               "requests_app_auditevent"]
CHAINED = {"AuditEvent": ("requests_app_auditevent", "council_id"),
           "CaseNote": ("requests_app_casenote", "request__council_id")}


def link_existing_rows(apps, schema_editor):
    is_pg = schema_editor.connection.vendor == "postgresql"
    for name, (table, council_path) in CHAINED.items():
        model = apps.get_model("requests_app", name)
        if is_pg:  # the owner may: this is the one rewrite of history, to seal it
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        councils = set(model.objects.values_list(council_path, flat=True).distinct())
        for council_id in councils:
            prev = GENESIS
            for row in model.objects.filter(**{council_path: council_id}).order_by("id"):
                digest = entry_hash(name, row, prev)
                model.objects.filter(pk=row.pk).update(prev_hash=prev, hash=digest)
                prev = digest
        if is_pg:
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


def refuse_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY:
        # refuse_append_only_change() (migration 0002) raises whatever the trigger's level.
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();"
        )


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0006_catalogue_facts_amendments"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="casenote",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="casenote",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                       editable=False),
        ),
        migrations.AlterField(
            model_name="casenote",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                       editable=False),
        ),
        migrations.RunPython(link_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(refuse_truncate, allow_truncate),
    ]
