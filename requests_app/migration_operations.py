"""Schema operations only PostgreSQL can run (GIN and trigram indexes, CONCURRENTLY), for the
migrations that need them: on any other database (the SQLite demo) only the migration state
changes, so the models may declare the indexes everywhere."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently


class OnPostgresOnly:
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddPostgresIndex(OnPostgresOnly, AddIndexConcurrently):
    """AddIndexConcurrently on PostgreSQL; elsewhere only the state changes."""


class RemovePostgresIndex(OnPostgresOnly, RemoveIndexConcurrently):
    """RemoveIndexConcurrently on PostgreSQL; elsewhere (where 0014 built nothing) only the
    state changes."""
