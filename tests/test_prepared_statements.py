"""A kept query is prepared once per database connection and then only executed (ADR 0031):
what comes back is what the plain query reads, a new connection prepares again, a statement
that failed is never used by name again, and the setting turns it all off."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from requests_app import sql_memo
from requests_app.models import InformationRequest, Requester
from tests.factories import make_request, make_requester


@pytest.fixture(autouse=True)
def nothing_kept():
    sql_memo.forget()
    yield
    sql_memo.forget()
    # These tests deallocate statements behind sql_memo's back: the next test prepares anew.
    connections["default"].__dict__.pop("_sql_memo_prepared", None)


def by_reference(reference):
    return InformationRequest.objects.select_related("requester").annotate(
        flag=Value(7)).filter(reference=reference)


def read(reference):
    with CaptureQueriesContext(connection) as sent:
        found = sql_memo.instances("test.prepared", by_reference, reference, prepare=True)
    [query] = sent.captured_queries
    return found, query["sql"]


def test_the_first_read_prepares_and_later_ones_only_execute(notts):
    first = make_request(notts, requester=make_requester(notts, name="Avery Lane"))
    second = make_request(notts)

    found, sql = read(first.reference)
    assert sql.startswith("PREPARE sql_memo_") and "EXECUTE sql_memo_" in sql
    assert [(r.pk, r.requester.name, r.flag) for r in found] == [(first.pk, "Avery Lane", 7)]

    found, sql = read(second.reference)
    assert sql.startswith("EXECUTE sql_memo_") and "PREPARE" not in sql
    assert [r.pk for r in found] == [second.pk]
    # The same instance, field for field, as the ORM reads it unprepared.
    plain = by_reference(second.reference).get()
    assert found[0].received_at == plain.received_at
    assert found[0].information_sought == plain.information_sought


def test_rows_are_prepared_too_and_read_the_same(notts):
    requests = [make_request(notts) for _ in range(3)]

    def pks(council, ids):
        from requests_app.lookups import among
        return InformationRequest.objects.filter(council_id=council).filter(
            among("pk", ids)).order_by("pk").values_list("pk", "reference")

    wanted = sorted((r.pk, r.reference) for r in requests[:2])
    assert sql_memo.rows("test.rows", pks, notts.pk, [r.pk for r in requests[:2]],
                         prepare=True) == wanted
    with CaptureQueriesContext(connection) as sent:
        again = sql_memo.rows("test.rows", pks, notts.pk, [requests[2].pk], prepare=True)
    assert again == [(requests[2].pk, requests[2].reference)]
    assert sent.captured_queries[0]["sql"].startswith("EXECUTE sql_memo_")


def test_a_new_connection_prepares_again(notts):
    request = make_request(notts)
    read(request.reference)
    before = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    # What a new session looks like: the driver's connection is another object.
    connection._sql_memo_prepared.raw = object()
    found, sql = read(request.reference)
    assert sql.startswith("PREPARE sql_memo_")
    assert [r.pk for r in found] == [request.pk]
    assert connection.connection is before


def test_a_statement_that_failed_is_prepared_afresh_under_a_new_name(notts):
    request = make_request(notts)
    _, first_sql = read(request.reference)
    with connection.cursor() as cursor:  # behind sql_memo's back: its statement is gone
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(Exception, match="does not exist"), transaction.atomic():
        read(request.reference)

    found, sql = read(request.reference)
    assert sql.startswith("PREPARE sql_memo_")
    assert sql.split()[1] != first_sql.split()[1]  # a name never used before
    assert [r.pk for r in found] == [request.pk]


def test_a_connection_at_its_limit_deallocates_them_all_and_goes_on(notts, monkeypatch):
    monkeypatch.setattr(sql_memo, "PREPARED_LIMIT", 1)
    request = make_request(notts)
    read(request.reference)

    with CaptureQueriesContext(connection) as sent:  # another statement: over the limit
        assert sql_memo.rows("test.limit", lambda pk: InformationRequest.objects.filter(
            pk=pk).values_list("reference"), request.pk, prepare=True) == [(request.reference,)]
    assert sent.captured_queries[0]["sql"].startswith("DEALLOCATE ALL; PREPARE sql_memo_")

    found, sql = read(request.reference)  # deallocated with the rest: prepared again
    assert sql.startswith("DEALLOCATE ALL; PREPARE") and [r.pk for r in found] == [request.pk]


def test_with_the_setting_off_the_plain_query_is_sent(notts, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    request = make_request(notts)
    found, sql = read(request.reference)
    assert sql.startswith("SELECT") and [r.pk for r in found] == [request.pk]


def test_parameters_are_declared_with_their_types_or_not_prepared():
    assert [sql_memo._pg_type(v) for v in (True, 3, "a", 1.5, Decimal("2"), date(2026, 1, 2),
                                           datetime(2026, 1, 2, tzinfo=UTC), [1, 2], ["a"])] \
        == ["boolean", "bigint", "text", "double precision", "numeric", "date", "timestamptz",
            "bigint[]", "text[]"]
    # Nothing to declare a type from: sent as a plain query.
    assert [sql_memo._pg_type(v) for v in (None, [], [1, "a"], object())] == [None] * 4


def test_placeholders_are_numbered_and_literal_percent_signs_kept():
    assert sql_memo._numbered('SELECT %s WHERE "a" %%> %s AND b LIKE \'x%%\'') == (
        'SELECT $1 WHERE "a" %%> $2 AND b LIKE \'x%%\'')


def sent_on_second_visit(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as sent:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in sent.captured_queries]


def test_the_request_page_executes_prepared_statements_and_the_queues_their_own(
        client, notts, social_work_team, social_worker):
    """A request's own rows are found the same way whatever the request: prepared with
    parameters. How best to read a queue depends on how much the person may see: prepared
    with the person's values written in, so planned for them (ADR 0036), then only executed
    on their next visit."""
    request = make_request(notts, routed_to=social_worker)
    from requests_app import access
    access.grant(request, social_work_team.group)
    client.force_login(social_worker)

    page = sent_on_second_visit(client, f"/requests/{request.reference}/")
    assert any(sql.startswith("EXECUTE sql_memo_") for sql in page)
    assert not any(sql.startswith("PREPARE") for sql in page)  # prepared on the first visit

    with CaptureQueriesContext(connection) as first:
        client.get("/?view=mine")
    prepared = [q["sql"] for q in first.captured_queries if "COUNT(" in q["sql"]]
    assert prepared and prepared[0].startswith("PREPARE sql_memo_")
    assert f"= {social_worker.pk}" in prepared[0] and "$1" not in prepared[0]
    home = sent_on_second_visit(client, "/?view=mine")
    assert f"EXECUTE {prepared[0].split()[1]}" in home


# ---- values written in (sql_memo.INLINE, ADR 0036) -------------------------------------------


def inline_names(value):
    """Requesters with this name or a longer one, read with the value written into the
    statement."""
    with CaptureQueriesContext(connection) as sent:
        found = sql_memo.rows("test.inline", lambda text: Requester.objects.filter(
            name__gte=text).order_by("name").values_list("name"), value,
            prepare=sql_memo.INLINE)
    [query] = sent.captured_queries
    return [name for (name,) in found], query["sql"]


def test_a_statement_with_its_values_written_in_is_planned_once_for_those_values(notts):
    make_requester(notts, name="Avery Lane")
    make_requester(notts, name="Jo Kerr")

    found, sql = inline_names("B")
    assert found == ["Jo Kerr"]
    assert sql.startswith("PREPARE sql_memo_") and "'B'" in sql and "$1" not in sql
    found, again = inline_names("B")
    assert found == ["Jo Kerr"] and again == f"EXECUTE {sql.split()[1]}"
    # Other values are another statement, planned for them.
    found, other = inline_names("A")
    assert found == ["Avery Lane", "Jo Kerr"] and other.startswith("PREPARE")
    assert other.split()[1] != sql.split()[1]


def test_values_written_in_keep_their_quotes_and_percent_signs(notts):
    make_requester(notts, name="Dan O'Connor (50% share)")
    make_requester(notts, name="Dan O'Connor (50%% share)")

    def named(name):
        return sql_memo.rows("test.inline.exact", lambda text: Requester.objects.filter(
            name=text).values_list("name"), name, prepare=sql_memo.INLINE)

    assert named("Dan O'Connor (50% share)") == [("Dan O'Connor (50% share)",)]
    assert named("Dan O'Connor (50%% share)") == [("Dan O'Connor (50%% share)",)]
    assert named("Dan O'Connor (50% share)") == [("Dan O'Connor (50% share)",)]  # executed


def test_the_least_recently_used_statement_goes_first_at_the_limit(notts, monkeypatch):
    monkeypatch.setattr(sql_memo, "INLINE_LIMIT", 2)
    make_requester(notts, name="Avery Lane")
    first = inline_names("Avery")[1].split()[1]
    second = inline_names("A")[1].split()[1]
    inline_names("Avery")  # used again: now the most recent

    found, sql = inline_names("Ave")  # a third: the second's statement goes
    assert found == ["Avery Lane"] and sql.startswith(f"DEALLOCATE {second}; PREPARE")
    assert inline_names("Avery")[1] == f"EXECUTE {first}"  # still kept
    assert inline_names("A")[1].startswith("DEALLOCATE")  # prepared again


def test_deallocating_them_all_forgets_those_with_values_written_in_too(notts, monkeypatch):
    monkeypatch.setattr(sql_memo, "PREPARED_LIMIT", 1)
    request = make_request(notts, requester=make_requester(notts, name="Avery Lane"))
    inline_names("Avery")
    read(request.reference)  # a typed statement: the connection's limit
    read_again = sql_memo.rows("test.limit", lambda pk: InformationRequest.objects.filter(
        pk=pk).values_list("reference"), request.pk, prepare=True)  # over it: all go
    assert read_again == [(request.reference,)]

    found, sql = inline_names("Avery")
    assert found == ["Avery Lane"] and "PREPARE" in sql
