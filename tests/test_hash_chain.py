"""The history is tamper-evident (issue 11, item 2): audit events and case notes are chained
per council by SHA-256, `verify_history` finds the first broken link, and TRUNCATE of the
append-only tables is refused. Each chain's tail is kept in `ChainTail` by triggers (ADR 0039):
the next entry links to it, and a chain cut short at its end is reported."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from requests_app.models import AuditEvent, CaseNote, ChainTail, DisclosureDecision
from requests_app.models.chain import GENESIS, NO_COUNCIL, entry_hash
from requests_app.services.history import add_note, audit
from tests.factories import make_council, make_request, make_user

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = io.StringIO()
    call_command("verify_history", stdout=out, stderr=out)
    return out.getvalue()


def verify_broken() -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("verify_history", stdout=io.StringIO(), stderr=err)
    assert refused.value.returncode == 1
    return err.getvalue()


def tamper(sql: str, params, table: str) -> None:
    """What an owner of the tables could do: switch the trigger off, rewrite, switch it on."""
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit; ALTER TABLE needs them checked now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


@pytest.fixture
def history(scimt_officer, outsider):
    """Notes and events in two councils, interleaved."""
    notts_request = make_request(scimt_officer.council, created_by=scimt_officer)
    camden_request = make_request(outsider.council, created_by=outsider)
    for n in range(3):
        add_note(notts_request, scimt_officer, f"Notts note {n}")
        audit(scimt_officer, "request.viewed", notts_request, request=notts_request,
              detail={"n": n, "why": "checking"})
        add_note(camden_request, outsider, f"Camden note {n}")
        audit(outsider, "request.viewed", camden_request, request=camden_request)
    return notts_request, camden_request


def test_each_entry_points_at_the_one_before_it_in_its_councils_chain(history):
    notts_request, camden_request = history
    for model, council in ((AuditEvent, notts_request.council_id),
                           (CaseNote, notts_request.council_id),
                           (CaseNote, camden_request.council_id)):
        rows = list(model.objects.filter(**model.chain_filter(council)).order_by("id"))
        assert rows[0].prev_hash == GENESIS
        for before, row in zip(rows, rows[1:], strict=False):
            assert row.prev_hash == before.hash
            assert row.hash == entry_hash(model.__name__, row, row.prev_hash)
            assert len(row.hash) == 64


def test_an_intact_history_is_verified(history):
    total = AuditEvent.objects.count() + CaseNote.objects.count()

    assert verify().strip() == f"{total} entries verified, chain intact"


def test_a_changed_case_note_is_reported_at_that_note(history):
    notts_request, _ = history
    changed = CaseNote.objects.filter(request=notts_request).order_by("id")[1]
    tamper("UPDATE requests_app_casenote SET text = %s WHERE id = %s",
           ["Nothing to see here", changed.pk], "requests_app_casenote")

    report = verify_broken()

    assert f"CaseNote {changed.pk}: its content was changed" in report
    assert "Nottinghamshire" in report
    assert "Camden" not in report  # the other council's chain is intact


def test_a_removed_audit_event_is_reported_at_the_next_one(history):
    notts_request, _ = history
    events = list(AuditEvent.objects.filter(council_id=notts_request.council_id).order_by("id"))
    tamper("DELETE FROM requests_app_auditevent WHERE id = %s", [events[1].pk],
           "requests_app_auditevent")

    report = verify_broken()

    assert f"AuditEvent {events[2].pk}: it does not point at the entry before it" in report


def test_a_rewritten_hash_is_caught_by_the_next_link(history):
    notts_request, _ = history
    events = list(AuditEvent.objects.filter(council_id=notts_request.council_id).order_by("id"))
    tamper("UPDATE requests_app_auditevent SET detail = %s, hash = %s WHERE id = %s",
           ['{"n": 99}', "0" * 64, events[0].pk], "requests_app_auditevent")

    report = verify_broken()

    assert f"AuditEvent {events[0].pk}: its content was changed" in report


def test_an_event_without_a_council_has_its_own_chain(db):
    first = audit(None, "auth.sign_in_failed", None, detail={"username": "nobody"})
    second = audit(None, "auth.sign_in_failed", None, detail={"username": "nobody"})

    assert (first.council_id, second.council_id) == (None, None)
    assert second.prev_hash == first.hash
    assert "2 entries verified, chain intact" in verify()


def recorded_tails() -> dict:
    return {(t.chain, t.council_key): (t.last_id, t.hash) for t in ChainTail.objects.all()}


def newest_entries() -> dict:
    """Each chain's newest entry in each council, as `ORDER BY id DESC LIMIT 1` finds it."""
    newest = {}
    for model in (AuditEvent, CaseNote):
        for row in model.objects.select_related("request").order_by("id"):
            newest[(model.__name__, row.chain_council_id() or NO_COUNCIL)] = (row.pk, row.hash)
    return newest


def test_each_councils_chains_end_at_their_recorded_tails(history):
    audit(None, "auth.sign_in_failed", None, detail={"username": "nobody"})

    # Events and notes of two councils, and the events of no council.
    assert len(recorded_tails()) == 5
    assert recorded_tails() == newest_entries()


def test_one_insert_of_several_councils_entries_moves_each_tail_to_its_own_newest(history):
    notts_request, camden_request = history
    rows = [AuditEvent(council_id=council, action="bench.load", object_type="", object_id="",
                       hash=f"{n}" * 64)
            for n, council in enumerate([notts_request.council_id, camden_request.council_id,
                                         notts_request.council_id, None])]
    AuditEvent.objects.bulk_create(rows)  # one INSERT statement, no chain links (bypasses save)

    tails = recorded_tails()
    assert tails[("AuditEvent", notts_request.council_id)] == (rows[2].pk, "2" * 64)
    assert tails[("AuditEvent", camden_request.council_id)] == (rows[1].pk, "1" * 64)
    assert tails[("AuditEvent", NO_COUNCIL)] == (rows[3].pk, "3" * 64)
    assert tails == newest_entries()


def test_an_entry_with_a_lower_id_than_the_tail_leaves_the_tail_where_it_is(history):
    notts_request, _ = history
    before = recorded_tails()
    AuditEvent.objects.bulk_create([AuditEvent(
        pk=-1, council_id=notts_request.council_id, action="bench.load", object_type="",
        object_id="", hash="e" * 64)])

    assert recorded_tails() == before


def test_rebuilding_the_tails_from_the_tables_changes_nothing(history):
    before = recorded_tails()
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_tail_rebuild()")

    assert recorded_tails() == before != {}


def test_the_next_entry_links_to_the_recorded_tail_and_a_rewritten_tail_is_reported(history):
    notts_request, _ = history
    with connection.cursor() as cursor:
        cursor.execute("UPDATE requests_app_chaintail SET hash = %s WHERE chain = 'AuditEvent' "
                       "AND council_key = %s", ["f" * 64, notts_request.council_id])

    event = audit(None, "request.viewed", notts_request, request=notts_request)

    assert event.prev_hash == "f" * 64
    assert f"AuditEvent {event.pk}: it does not point at the entry before it" in verify_broken()


def test_removing_the_last_entries_of_a_chain_is_reported(history):
    notts_request, _ = history
    last = AuditEvent.objects.filter(council_id=notts_request.council_id).latest("id")
    tamper("DELETE FROM requests_app_auditevent WHERE id = %s", [last.pk],
           "requests_app_auditevent")

    report = verify_broken()

    assert (f"AuditEvent {last.pk}: the chain's last entry, by its recorded tail, is missing"
            in report)
    assert "Camden" not in report


def test_an_entry_written_with_the_tail_trigger_off_is_reported(history):
    notts_request, _ = history
    trigger = "chain_tail_on_casenote_insert"
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE requests_app_casenote DISABLE TRIGGER {trigger}")
        [note] = add_note(notts_request, notts_request.created_by, "Written around the tail")
        cursor.execute(f"ALTER TABLE requests_app_casenote ENABLE TRIGGER {trigger}")

    assert (f"CaseNote {note.pk}: written after the chain's recorded tail" in verify_broken())


@pytest.mark.parametrize("model", [CaseNote, DisclosureDecision, AuditEvent])
def test_truncating_the_history_is_refused(history, model):
    table = model._meta.db_table
    with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert model.objects.exists() or model is DisclosureDecision


def test_the_demo_history_verifies(db):
    council = make_council("devon")
    user = make_user(council, role="scimt_officer", username="devon")
    add_note(make_request(council, created_by=user), user, "A note")
    assert "chain intact" in verify()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("inside_a_transaction", [True, False],
                         ids=["in a service's transaction", "alone, as a page read"])
def test_audit_events_written_at_the_same_moment_make_one_unbroken_chain(inside_a_transaction):
    """The chain's lock and the insert linked to its tail go in one round trip
    (chain._append_sql): the insert must see what the previous holder of the lock committed,
    or two events would point at the same predecessor and the chain would fork. Page reads
    write outside any transaction, in one begun and committed by the append itself."""
    import contextlib
    import threading

    council = make_council()
    people = [make_user(council, role="social_worker", username=f"writer{n}")
              for n in range(4)]
    barrier = threading.Barrier(len(people))
    failures = []

    def write(person):
        try:
            barrier.wait(timeout=10)
            for n in range(15):
                with transaction.atomic() if inside_a_transaction else contextlib.nullcontext():
                    audit(person, "test.read", None, council_id=council.pk, detail={"n": n})
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    events = list(AuditEvent.objects.filter(council=council, action="test.read")
                  .order_by("id").values_list("prev_hash", "hash"))
    assert len(events) == 60
    chain = list(AuditEvent.objects.filter(council=council).order_by("id")
                 .values_list("prev_hash", "hash"))
    assert all(later[0] == earlier[1] for earlier, later in zip(chain, chain[1:], strict=False))
    total = AuditEvent.objects.count() + CaseNote.objects.count()
    assert verify().strip() == f"{total} entries verified, chain intact"


@pytest.mark.django_db(transaction=True)
def test_an_event_that_cannot_be_written_leaves_nothing_behind_and_the_connection_usable():
    """Outside a transaction the append's one query string is its own transaction; when the
    insert fails it is rolled back, lock and all, so the next statement on the connection (the
    next page) is not refused."""
    council = make_council()
    person = make_user(council, role="social_worker")
    audit(person, "test.read", None, council_id=council.pk)

    with pytest.raises(DatabaseError):
        audit(person, "x" * 61, None, council_id=council.pk)  # action is 60 characters at most
    assert connection.get_autocommit() and not connection.in_atomic_block

    after = audit(person, "test.read", None, council_id=council.pk)
    actions = list(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert actions == ["test.read", "test.read"]
    assert after.pk is not None and after.prev_hash == AuditEvent.objects.filter(
        council=council).order_by("id").first().hash
    assert verify().strip().endswith("chain intact")


@pytest.mark.django_db(transaction=True)
def test_a_page_read_writes_its_event_in_one_round_trip():
    """One query string locks, links and inserts, and is its own transaction, committed after
    its last statement: in place of BEGIN, lock and tail, INSERT and COMMIT."""
    from django.test.utils import CaptureQueriesContext

    council = make_council()
    person = make_user(council, role="social_worker")
    with CaptureQueriesContext(connection) as sent:
        event = audit(person, "home.viewed", None, council_id=council.pk)

    statements = [query["sql"] for query in sent.captured_queries]
    assert len(statements) == 1
    assert statements[0].startswith("SELECT pg_advisory_xact_lock(")
    assert "INSERT INTO" in statements[0]
    assert connection.get_autocommit() and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    other = connections.create_connection("default")  # committed: another session sees it
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {AuditEvent._meta.db_table} WHERE id = %s",
                           [event.pk])
            assert cursor.fetchone() == (1,)
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                           "AND pid = %s", [pid])
            assert cursor.fetchone() == (0,)  # and the chain's lock is released
    finally:
        other.close()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.prev_hash, stored.hash) == (event.prev_hash, event.hash)
    assert stored.hash == entry_hash("AuditEvent", stored, stored.prev_hash)
