"""One trigram index of a child's first and last names together (issue 12, ADR 0034).

A search for a full name ("Lucas Holenham") asks that every word match the first or the last
name. With an index per name, PostgreSQL could only read every record close to one of the
words and test the rest on the rows (~3,500 records for a surname at a million requests).
In one index of both names, each word's matches are intersected inside the index. The
expression is written exactly as `search.Joined` writes it, so queries match it. PostgreSQL
only, as the other trigram indexes (migration 0017); the SQLite demo reads its few records.
"""

from django.db import migrations

NAME = "caserecord_names_trgm"
TARGET = ("requests_app_caserecord USING gin "
          "((COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) gin_trgm_ops)")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON {TARGET}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0020_sought_search_column"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
