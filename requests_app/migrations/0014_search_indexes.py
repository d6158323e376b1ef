"""Search indexes (issue 12 item 2, ADR 0019).

PostgreSQL: the pg_trgm extension (a trusted extension: the database owner may create it),
trigram GIN indexes for names, organisations and references (typos and parts of words), and a
full-text GIN index on what was asked. Built CONCURRENTLY, so a council's live database keeps
taking writes while they build (hence a non-atomic migration).

SQLite (the demo) has neither extension nor GIN: the operations still record the indexes in
the migration state (the models declare them), but create nothing; search falls back to
plain lookups there (requests_app/search.py).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from requests_app.migration_operations import AddPostgresIndex


def trigram(model_name, field, name):
    return AddPostgresIndex(
        model_name=model_name,
        index=django.contrib.postgres.indexes.GinIndex(
            fields=[field], name=name, opclasses=["gin_trgm_ops"]),
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("requests_app", "0013_perf_indexes"),
    ]

    operations = [
        # Does nothing on SQLite (Django's CreateExtension checks the vendor itself).
        TrigramExtension(),
        trigram("caserecord", "first_name", "caserecord_first_name_trgm"),
        trigram("caserecord", "last_name", "caserecord_last_name_trgm"),
        trigram("caserecord", "reference", "caserecord_reference_trgm"),
        trigram("informationrequest", "reference", "request_reference_trgm"),
        AddPostgresIndex(
            model_name="informationrequest",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("information_sought",
                                                            config="english"),
                name="request_sought_fts"),
        ),
        trigram("requester", "name", "requester_name_trgm"),
        trigram("requester", "organisation", "requester_org_trgm"),
    ]
