"""The app's database role cannot rewrite history (issue 11 item 2, ADR 0015).

The test run connects as a superuser; each test here creates the app role if it is missing
(inside the test's transaction, so nothing is left behind), applies `grant_app_role` to it and
`SET ROLE`s to it, which makes PostgreSQL check every statement against that role's rights.
Refusals are asserted to be PostgreSQL's "insufficient privilege" (42501), not the append-only
trigger (which raises 23000): the role is stopped before any trigger has to.
"""

import io
from contextlib import contextmanager
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from requests_app import access
from requests_app.db_roles import history_tables
from requests_app.models import AuditEvent, CaseNote, ChainTail, InformationRequest, OpenWork
from requests_app.services.history import add_note, audit
from tests.factories import make_request

APP_ROLE = "atr_app"
INSUFFICIENT_PRIVILEGE = "42501"
HISTORY = ["requests_app_auditevent", "requests_app_casenote",
           "requests_app_disclosuredecision", "requests_app_requestamendment"]


def _create_role(name: str, attributes: str = "NOLOGIN") -> None:
    # Roles belong to the whole cluster; another test run may be creating the same one.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {name} {attributes}; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )


@pytest.fixture
def app_role(db):
    _create_role(APP_ROLE)
    call_command("grant_app_role", APP_ROLE, stdout=io.StringIO())
    return APP_ROLE


@contextmanager
def as_app_role():
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(sql: str) -> str:
    """Run `sql` as the app role in a savepoint; return PostgreSQL's error code."""
    with (as_app_role(), pytest.raises(DatabaseError) as error, transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(sql)
    return error.value.__cause__.pgcode


@pytest.fixture
def history(app_role, notts, scimt_officer):
    """A request with a case note and an audit event, written before the role is taken."""
    request = make_request(notts, created_by=scimt_officer)
    add_note(request, scimt_officer, "Checked Framework: the family is known to Mansfield.")
    audit(scimt_officer, "request.logged", request, request=request, to_state="received")
    return request


def test_the_history_tables_are_the_append_only_models():
    assert history_tables() == HISTORY


@pytest.mark.parametrize("table", HISTORY)
@pytest.mark.parametrize("statement", [
    "UPDATE {table} SET id = id",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
    "TRUNCATE {table} CASCADE",
    "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only",
    "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "DROP TRIGGER {table}_append_only ON {table}",
    "DROP TABLE {table} CASCADE",
], ids=lambda s: s.split(" {")[0].replace(" ", "_").lower())
def test_app_role_cannot_change_or_remove_history(history, table, statement):
    rows_before = _count(table)

    assert refused(statement.format(table=table)) == INSUFFICIENT_PRIVILEGE
    assert _count(table) == rows_before


def test_app_role_cannot_silence_triggers_for_its_session(app_role):
    assert refused("SET session_replication_role = replica") == INSUFFICIENT_PRIVILEGE


def test_app_role_cannot_create_tables_or_mark_migrations_applied(app_role):
    assert refused("CREATE TABLE requests_app_shadow (id int)") == INSUFFICIENT_PRIVILEGE
    assert refused("INSERT INTO django_migrations (app, name, applied) "
                   "VALUES ('requests_app', 'x', now())") == INSUFFICIENT_PRIVILEGE


def test_app_role_adds_to_and_reads_history_and_changes_requests(history, scimt_officer):
    with as_app_role():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == APP_ROLE
        with transaction.atomic():
            audit(scimt_officer, "request.viewed", history, request=history)
            add_note(history, scimt_officer, "Phoned the requester to confirm the address.")
            InformationRequest.objects.filter(pk=history.pk).update(
                information_sought="Chronology 2024-2026")

        assert AuditEvent.objects.filter(request=history).count() == 2
        assert CaseNote.objects.filter(request=history).count() == 2
        # The chains' tails moved on through their triggers, under the app role (ADR 0039).
        newest = AuditEvent.objects.filter(council_id=history.council_id).latest("id")
        assert ChainTail.objects.get(chain="AuditEvent",
                                     council_key=history.council_id).last_id == newest.pk
        changed = InformationRequest.objects.get(pk=history.pk)
        assert changed.information_sought == "Chronology 2024-2026"
        out = io.StringIO()
        call_command("verify_history", stdout=out)
        assert "chain intact" in out.getvalue()


def test_app_role_keeps_open_work_through_the_triggers(history, social_worker):
    """OpenWork's triggers run with the rights of whoever changes a request (ADR 0038): the
    app role may read what they read and write OpenWork."""
    with as_app_role(), transaction.atomic():
        access.grant(history, social_worker)
        InformationRequest.objects.filter(pk=history.pk).update(
            allocated_worker=social_worker, due_date=date(2026, 12, 1))

    mine = OpenWork.objects.get(request=history, holder=social_worker)
    assert mine.mine and mine.due_date == date(2026, 12, 1)


def test_grant_app_role_takes_back_what_someone_else_granted_on_history(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE, TRUNCATE ON requests_app_auditevent TO {APP_ROLE}")

    call_command("grant_app_role", APP_ROLE, stdout=io.StringIO())

    assert refused("UPDATE requests_app_auditevent SET id = id") == INSUFFICIENT_PRIVILEGE
    assert refused("TRUNCATE requests_app_auditevent") == INSUFFICIENT_PRIVILEGE


def test_grant_app_role_says_what_the_role_may_do(app_role):
    out = io.StringIO()
    call_command("grant_app_role", APP_ROLE, stdout=out)

    assert "SELECT and INSERT only on the history: " + ", ".join(HISTORY) in out.getvalue()
    assert "No TRUNCATE" in out.getvalue()


def test_grant_app_role_refuses_a_missing_role(db):
    with pytest.raises(CommandError, match='There is no role "atr_nobody_here"'):
        call_command("grant_app_role", "atr_nobody_here")


def test_grant_app_role_refuses_a_superuser(db):
    _create_role("atr_mighty_test", "SUPERUSER NOLOGIN")

    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", "atr_mighty_test")


def test_grant_app_role_refuses_a_name_that_is_not_a_plain_role(db):
    with pytest.raises(CommandError, match="not a plain role name"):
        call_command("grant_app_role", "atr_app; DROP TABLE x")


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]
