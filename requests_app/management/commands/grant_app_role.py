"""Give the app's database role exactly what it needs, and nothing on history it could abuse.

    manage.py grant_app_role            # the role in DATABASE_URL
    manage.py grant_app_role atr_app    # a named role

Run as the owner (MIGRATE_DATABASE_URL, or DATABASE_URL pointing at the owner) after every
`migrate`. Idempotent: it revokes everything and grants again in one transaction, then asks
PostgreSQL what the role can do and fails if that is not exactly the plan (ADR 0015).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction

from requests_app.db_roles import RoleProblem, as_owner, grant


class Command(BaseCommand):
    help = ("Grant the app's PostgreSQL role SELECT/INSERT on history and SELECT/INSERT/"
            "UPDATE/DELETE elsewhere; run as the owner after every migrate.")

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?",
                            help="The app's role (default: the user in DATABASE_URL).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role=None, database=DEFAULT_DB_ALIAS, **options):
        role = role or settings.DATABASES[database].get("USER") or ""
        if not role:
            raise CommandError("Name the app role: manage.py grant_app_role <role>.")
        with as_owner(database) as connection:
            try:
                with transaction.atomic(using=database):
                    lines = grant(connection, role)
            except RoleProblem as problem:
                raise CommandError(str(problem)) from None
        for line in lines:
            self.stdout.write(line)
