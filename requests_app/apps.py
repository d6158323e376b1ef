from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = "Access to Records"

    def ready(self):
        from django.db.backends.signals import connection_created

        from requests_app import (
            auth_events,  # noqa: F401  (connects the sign-in receivers)
            choice_labels,
            reauth,  # noqa: F401  (records when each sign-in happened)
        )
        from requests_app.search import register_sqlite_functions

        choice_labels.install(self.get_models())

        # The SQLite demo's search forgives typos as PostgreSQL's pg_trgm does (ADR 0019).
        connection_created.connect(register_sqlite_functions,
                                   dispatch_uid="search_sqlite_functions")
