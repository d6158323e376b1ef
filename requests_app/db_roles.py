"""The two PostgreSQL roles (issue 11 item 2, ADR 0015).

- The **owner** owns the schema and runs the migrations (`MIGRATE_DATABASE_URL`).
- The **app role** (`DATABASE_URL`) owns nothing and holds only what `grant_app_role` gives it:
  SELECT and INSERT on the history tables, SELECT, INSERT, UPDATE and DELETE on the others,
  SELECT on Django's migration ledger, USAGE on the sequences.

Why that is enough to protect the history: `ALTER TABLE … DISABLE TRIGGER` needs ownership,
`SET session_replication_role = replica` (which silences triggers) needs a superuser, and
`TRUNCATE`, `UPDATE` and `DELETE` are privileges the app role is never granted on history.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# A plain PostgreSQL identifier: the name is put into GRANT statements, so nothing else passes.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# The ledger of applied migrations belongs to the owner; the app only reads it.
READ_ONLY_TABLES = frozenset({"django_migrations"})

HISTORY_PRIVILEGES = ("SELECT", "INSERT")
READ_ONLY_PRIVILEGES = ("SELECT",)
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
EVERY_TABLE_PRIVILEGE = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                         "TRIGGER")


class RoleProblem(Exception):
    """The app role is missing, or is something that could get round its grants."""


def history_tables() -> list[str]:
    """The append-only tables, from the models (models/append_only.py) so the list cannot
    drift from what the ORM and the triggers protect."""
    from requests_app.models.append_only import AppendOnlyModel

    return sorted({model._meta.db_table for model in apps.get_models()
                   if issubclass(model, AppendOnlyModel)})


def privileges_for(table: str, history: set[str]) -> tuple[str, ...]:
    if table in history:
        return HISTORY_PRIVILEGES
    if table in READ_ONLY_TABLES:
        return READ_ONLY_PRIVILEGES
    return TABLE_PRIVILEGES


@contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS):
    """Run the block with the `alias` connection made as the owner (MIGRATE_DATABASE_URL).

    One connection alias, switched for the command, rather than a second alias: a data
    migration or a post_migrate handler that forgets `.using(alias)` would otherwise run as
    the app role, in another transaction, behind the migration's locks. Without
    MIGRATE_DATABASE_URL, or on a database it does not name (the test run's own database),
    nothing changes.
    """
    connection = connections[alias]
    url = settings.MIGRATE_DATABASE_URL
    owner = dj_database_url.parse(url) if url else None
    if owner is None or connection.settings_dict["NAME"] != owner["NAME"]:
        yield connection
        return
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(
        {key: owner.get(key, "") for key in ("USER", "PASSWORD", "HOST", "PORT")}
        | {"OPTIONS": owner.get("OPTIONS", {})}
    )
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def _check_role(cursor, role: str) -> str:
    """The role exists and cannot get round its grants; returns the current (owner) role."""
    if not ROLE_NAME.fullmatch(role):
        raise RoleProblem(f"{role!r} is not a plain role name (lower-case letters, digits, _).")
    cursor.execute("SELECT current_user")
    owner = cursor.fetchone()[0]
    if role == owner:
        raise RoleProblem(
            f'"{role}" is the role running this command. Name the app role, or set '
            "MIGRATE_DATABASE_URL so that this runs as the owner."
        )
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        raise RoleProblem(
            f'There is no role "{role}". Create it first, as a superuser: CREATE ROLE {role} '
            "LOGIN PASSWORD '…' NOSUPERUSER NOCREATEDB NOCREATEROLE;"
        )
    if row[0] or row[1]:
        raise RoleProblem(f'"{role}" is a superuser (or bypasses row security): it would '
                          "get round every grant. Use a role without SUPERUSER.")
    cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
    if cursor.fetchone()[0]:
        raise RoleProblem(f'"{role}" is a member of "{owner}", so it could SET ROLE to the '
                          f"owner: REVOKE {owner} FROM {role};")
    cursor.execute(
        """SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles
               WHERE rolname = %(role)s)
           UNION ALL SELECT count(*) FROM pg_namespace WHERE nspowner = (SELECT oid FROM
               pg_roles WHERE rolname = %(role)s)
           UNION ALL SELECT count(*) FROM pg_database WHERE datname = current_database()
               AND datdba = (SELECT oid FROM pg_roles WHERE rolname = %(role)s)""",
        {"role": role},
    )
    if any(count for (count,) in cursor.fetchall()):
        raise RoleProblem(f'"{role}" owns tables, a schema or the database itself, and an '
                          "owner can disable triggers. Give them to the owner role "
                          f"(REASSIGN OWNED BY {role} TO <owner>).")
    return owner


def grant(connection, role: str) -> list[str]:
    """(Re)apply the app role's privileges from nothing, idempotently, then check the result.

    Run as the owner inside one transaction: the app never sees the moment between the
    REVOKE and the GRANTs. Returns lines describing what the role may do.
    """
    if connection.vendor != "postgresql":
        raise RoleProblem("Database roles are a PostgreSQL matter; this database is "
                          f"{connection.vendor}.")
    history = set(history_tables())
    with connection.cursor() as cursor:
        owner = _check_role(cursor, role)
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                       "ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        missing = history - set(tables)
        if missing:
            raise RoleProblem(f"Run migrate first: {', '.join(sorted(missing))} missing.")
        for statement in (
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
            f"REVOKE CREATE ON SCHEMA public FROM {role}",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
            # A table a later migration creates can be read and added to at once; changing
            # and deleting wait for the next grant_app_role, which knows whether it is history.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO {role}",
        ):
            cursor.execute(statement)
        for table in tables:
            cursor.execute(f'GRANT {", ".join(privileges_for(table, history))} '
                           f'ON TABLE "{table}" TO {role}')
        _verify(cursor, role, tables, history)
    changeable = len([t for t in tables if t not in history and t not in READ_ONLY_TABLES])
    return [
        f'"{role}" (granted by "{owner}"): SELECT and INSERT only on the history: '
        f"{', '.join(sorted(history))}",
        f"SELECT, INSERT, UPDATE and DELETE on {changeable} other tables; SELECT only on "
        f"{', '.join(sorted(READ_ONLY_TABLES))}; USAGE on the sequences",
        "No TRUNCATE, no ownership, not a superuser: it cannot disable the history's "
        "triggers or change history.",
    ]


def _verify(cursor, role: str, tables: list[str], history: set[str]) -> None:
    """A GRANT on a table the current role does not own only warns; PUBLIC may hold more
    than we grant. Ask PostgreSQL what the role can really do."""
    cursor.execute(
        "SELECT t, p, has_table_privilege(%s, 'public.' || quote_ident(t), p) "
        "FROM unnest(%s::text[]) AS t, unnest(%s::text[]) AS p ORDER BY t, p",
        [role, tables, list(EVERY_TABLE_PRIVILEGE)],
    )
    wrong = [f"{privilege} on {table}" for table, privilege, held in cursor.fetchall()
             if held != (privilege in privileges_for(table, history))]
    cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [role])
    if cursor.fetchone()[0]:
        wrong.append("CREATE on schema public (REVOKE CREATE ON SCHEMA public FROM PUBLIC)")
    if wrong:
        raise RoleProblem(f'"{role}" does not hold exactly what it should (is every table '
                          f"owned by the role running this?): {'; '.join(wrong[:10])}")
