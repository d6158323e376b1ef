"""What was asked, as a stored tsvector column (issue 12, ADR 0027).

PostgreSQL only: a generated column `sought_search` (the same `to_tsvector('english', ...)` as
the expression index it replaces), a GIN index on it for rare words, and a btree over the
council's requests newest first that carries it (and `created_by_id`, which visibility reads),
so a common word is found by reading that index alone, newest first, stopping after the first
PER_FIELD matches. The model does not declare the column: SQLite (the demo) has no tsvector,
and search matches what was asked with `icontains` there.

Adding a stored generated column rewrites the table under an exclusive lock (about a minute
at a million requests); the indexes are then built CONCURRENTLY (hence non-atomic).
"""

from django.db import migrations

from requests_app.migration_operations import RemovePostgresIndex

FORWARDS = [
    """ALTER TABLE requests_app_informationrequest ADD COLUMN IF NOT EXISTS sought_search
       tsvector GENERATED ALWAYS AS
       (to_tsvector('english'::regconfig, COALESCE(information_sought, ''))) STORED""",
    """CREATE INDEX CONCURRENTLY IF NOT EXISTS request_sought_search
       ON requests_app_informationrequest USING gin (sought_search)""",
    """CREATE INDEX CONCURRENTLY IF NOT EXISTS request_council_received_sought
       ON requests_app_informationrequest (council_id, received_at DESC, id DESC)
       INCLUDE (created_by_id, sought_search)""",
]
BACKWARDS = [
    "DROP INDEX CONCURRENTLY IF EXISTS request_council_received_sought",
    "DROP INDEX CONCURRENTLY IF EXISTS request_sought_search",
    "ALTER TABLE requests_app_informationrequest DROP COLUMN IF EXISTS sought_search",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("requests_app", "0019_open_work_sorts"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARDS), _run(BACKWARDS), elidable=False),
        RemovePostgresIndex(model_name="informationrequest", name="request_sought_fts"),
    ]
