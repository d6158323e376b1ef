"""`manage.py migrate`, connected as the schema's owner when MIGRATE_DATABASE_URL is set.

The app's own role (DATABASE_URL) may not create or alter tables (ADR 0015), so the whole
command — the migrations, their data steps and the post_migrate handlers — runs as the owner.
After it, run `manage.py grant_app_role`.
"""

from django.core.management.commands import migrate

from requests_app.db_roles import as_owner


class Command(migrate.Command):
    help = (migrate.Command.help + " Connects as the owner given by MIGRATE_DATABASE_URL when "
            "that is set; run grant_app_role afterwards.")

    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
