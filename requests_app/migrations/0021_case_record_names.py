"""The names case records hold, once per council, kept by triggers (issue 12, ADR 0034).

`CaseRecordName` lists every first or last name a council's case records hold now. A search
by name finds the names close to each word here (a GIN trigram index), then reads the records
holding them from two covering indexes, (council, last name, first name) and (council, first
name, last name), both carrying the id.

PostgreSQL only (the SQLite demo's search reads its few records). The triggers are
statement-level with transition tables, so a bulk load (COPY) adds its names in one
statement. A name leaves with the last record holding it (an update or a deletion). Two
transactions could otherwise race over such a name: one deletes its last record while the
other adds a record with that name. So both lock the name's row before acting on it: the
adder by `ON CONFLICT DO UPDATE … WHERE false` (which locks the row without writing it), the
remover by `FOR UPDATE`. The remover's check that no record holds the name then runs after
it holds the lock, with a snapshot that sees any adder that committed first. Both lock in
(council, name) order, so two transactions over the same names never wait on each other
in a circle.
"""

import django.db.models.deletion
from django.db import migrations, models

NAMES = "requests_app_caserecordname"
RECORDS = "requests_app_caserecord"

# The names of rows, as a query over a transition table (`rows`), optionally only those that an
# update changed (`changed`: the same record's name on the other side differs).
def _held(rows: str, other: str | None = None) -> str:
    parts = []
    for column in ("first_name", "last_name"):
        if other is None:
            parts.append(f"SELECT council_id, {column} AS name FROM {rows}")
        else:
            parts.append(f"SELECT r.council_id, r.{column} AS name FROM {rows} r "
                         f"JOIN {other} o ON o.id = r.id "
                         f"WHERE (r.council_id, r.{column}) IS DISTINCT FROM "
                         f"(o.council_id, o.{column})")
    return " UNION ".join(parts)


def _add(held: str) -> str:
    return (f"INSERT INTO {NAMES} (council_id, name) SELECT DISTINCT council_id, name "
            f"FROM ({held}) AS held ORDER BY council_id, name "
            "ON CONFLICT (council_id, name) DO UPDATE SET name = EXCLUDED.name WHERE false;")


def _drop(held: str) -> str:
    return (f"PERFORM 1 FROM {NAMES} n WHERE (n.council_id, n.name) IN ({held}) "
            "ORDER BY n.council_id, n.name FOR UPDATE; "
            f"DELETE FROM {NAMES} n WHERE (n.council_id, n.name) IN ({held}) "
            f"AND NOT EXISTS (SELECT 1 FROM {RECORDS} r "
            "WHERE r.council_id = n.council_id AND r.last_name = n.name) "
            f"AND NOT EXISTS (SELECT 1 FROM {RECORDS} r "
            "WHERE r.council_id = n.council_id AND r.first_name = n.name);")


def _function(name: str, body: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} "
            "RETURN NULL; END $$ LANGUAGE plpgsql;")


FUNCTIONS = "\n".join([
    _function("case_record_names_add", _add(_held("new_rows"))),
    _function("case_record_names_change", _add(_held("new_rows", "old_rows"))
              + " " + _drop(_held("old_rows", "new_rows"))),
    _function("case_record_names_drop", _drop(_held("old_rows"))),
    _function("case_record_names_clear", f"DELETE FROM {NAMES};"),
])

TRIGGERS = {
    "caserecord_names_on_insert": "AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION case_record_names_add()",
    "caserecord_names_on_update": "AFTER UPDATE ON {t} REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_record_names_change()",
    "caserecord_names_on_delete": "AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION case_record_names_drop()",
    "caserecord_names_on_truncate": "AFTER TRUNCATE ON {t} "
    "FOR EACH STATEMENT EXECUTE FUNCTION case_record_names_clear()",
}


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for name, definition in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {name} {definition.format(t=RECORDS)}")
    # The names of the records already held, then their index (built whole: rows added to a
    # GIN index wait in its pending list, which the planner rightly prices high, until a
    # VACUUM), then the planner's statistics.
    schema_editor.execute(
        f"INSERT INTO {NAMES} (council_id, name) SELECT DISTINCT council_id, name FROM ("
        f"SELECT council_id, first_name AS name FROM {RECORDS} "
        f"UNION ALL SELECT council_id, last_name FROM {RECORDS}) AS held "
        "ON CONFLICT DO NOTHING")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS case_record_name_trgm ON {NAMES} "
                          "USING gin (name gin_trgm_ops) WITH (fastupdate = off)")
    schema_editor.execute(f"ANALYZE {NAMES}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {RECORDS}")
    for function in ("add", "change", "drop", "clear"):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS case_record_names_{function}()")


class Migration(migrations.Migration):

    dependencies = [
        ('requests_app', '0020_sought_search_column'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseRecordName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='caserecord',
            name='requests_ap_council_cba635_idx',
        ),
        migrations.AddIndex(
            model_name='caserecord',
            index=models.Index(fields=['council', 'last_name', 'first_name'], include=('id',), name='case_record_by_last_name'),
        ),
        migrations.AddIndex(
            model_name='caserecord',
            index=models.Index(fields=['council', 'first_name', 'last_name'], include=('id',), name='case_record_by_first_name'),
        ),
        migrations.AddField(
            model_name='caserecordname',
            name='council',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='requests_app.council'),
        ),
        migrations.AddConstraint(
            model_name='caserecordname',
            constraint=models.UniqueConstraint(fields=('council', 'name'), name='case_record_name_once'),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
