"""sql_memo keeps a query's compiled SQL per key and fills each call's values into their
places: what comes back must be what the ORM would have read for those values, and a key
that misses something the query depends on must fail loudly in the tests (SQL_MEMO_CHECK,
set for the whole suite in tests/conftest.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app import sql_memo
from requests_app.models import CaseRecord, InformationRequest, User
from tests.factories import make_case, make_request, make_requester


@pytest.fixture(autouse=True)
def nothing_kept():
    sql_memo.forget()
    yield
    sql_memo.forget()


def request_with_people():
    return lambda reference: InformationRequest.objects.select_related(
        "council", "requester").filter(reference=reference)


def test_each_call_reads_the_rows_of_its_own_values(notts):
    first = make_request(notts, requester=make_requester(notts, name="Avery Lane"))
    second = make_request(notts, requester=make_requester(notts, name="Blake Moss"))

    read_first = sql_memo.instances("test.by_reference", request_with_people(), first.reference)
    read_second = sql_memo.instances("test.by_reference", request_with_people(),
                                     second.reference)

    assert [r.pk for r in read_first] == [first.pk]
    assert [r.pk for r in read_second] == [second.pk]
    assert sql_memo.instances("test.by_reference", request_with_people(), "NO-SUCH") == []


def test_instances_come_back_as_the_orm_builds_them(notts):
    """select_related and annotations are populated: reading them asks nothing more."""
    from django.db.models import Value

    request = make_request(notts, requester=make_requester(notts, name="Avery Lane"))
    sql_memo.instances("test.annotated", lambda ref: InformationRequest.objects.select_related(
        "requester").annotate(flag=Value(7)).filter(reference=ref), request.reference)

    with CaptureQueriesContext(connection) as queries:  # the second call reuses the SQL
        [found] = sql_memo.instances(
            "test.annotated", lambda ref: InformationRequest.objects.select_related(
                "requester").annotate(flag=Value(7)).filter(reference=ref),
            request.reference)
        assert (found.requester.name, found.flag) == ("Avery Lane", 7)
        assert found.information_sought == request.information_sought
        assert found.received_at == InformationRequest.objects.get(pk=request.pk).received_at
    assert len(queries) == 2  # this read, and the .get() above; none for the requester


def test_a_list_of_ids_is_one_parameter(notts):
    from requests_app.lookups import among

    cases = [make_case(notts) for _ in range(3)]

    def names(ids):
        return CaseRecord.objects.filter(among("pk", ids)).order_by("pk").values_list("pk")

    assert sql_memo.rows("test.among", names, [cases[0].pk]) == [(cases[0].pk,)]
    assert sql_memo.rows("test.among", names, [cases[1].pk, cases[2].pk]) == [
        (cases[1].pk,), (cases[2].pk,)]


def test_a_value_that_becomes_a_pattern_cannot_be_kept(notts):
    """`icontains` wraps the value in %…%: filling the bare value in would match otherwise."""
    make_request(notts)
    with pytest.raises(ValueError, match="as it is"):
        sql_memo.rows("test.pattern", lambda text: InformationRequest.objects.filter(
            information_sought__icontains=text).values_list("pk"), "school")


def test_a_key_that_misses_what_the_query_depends_on_fails_loudly(notts, camden):
    ours, theirs = make_request(notts), make_request(camden)

    def of_council(council_id):  # the council is not a value: it is compiled in
        return lambda reference: InformationRequest.objects.filter(
            council_id=council_id, reference=reference)

    sql_memo.instances("test.forgets_the_council", of_council(notts.pk), ours.reference)
    with pytest.raises(sql_memo.StaleKey):
        sql_memo.instances("test.forgets_the_council", of_council(camden.pk), theirs.reference)


def test_a_kept_value_is_checked_against_a_fresh_one():
    made = iter([("a",), ("b",)])
    assert sql_memo.value("test.value", lambda: next(made)) == ("a",)
    with pytest.raises(sql_memo.StaleKey):
        sql_memo.value("test.value", lambda: next(made))


def test_signed_in_people_are_each_read_as_themselves(client, notts, social_worker,
                                                      scimt_officer):
    """The sign-in backend reads every page's person through a kept query."""
    for person in (social_worker, scimt_officer, social_worker):
        client.force_login(person)
        response = client.get("/")
        assert response.status_code == 200
        assert response.wsgi_request.user.pk == person.pk
        assert response.wsgi_request.user.council.name == notts.name
    User.objects.filter(pk=scimt_officer.pk).update(is_active=False)
    client.force_login(social_worker)
    client.force_login(User.objects.get(pk=scimt_officer.pk))
    assert client.get("/").status_code == 302  # an inactive person is signed out


def test_the_least_recently_used_model_query_is_forgotten_first(notts, monkeypatch):
    """Kept model queries hold their compiler (~90 KB for the request page's): at most
    KEPT_LIMIT, and one read a moment ago stays."""
    monkeypatch.setattr(sql_memo, "KEPT_LIMIT", 2)
    request = make_request(notts)
    for key in ("first", "second", "first", "third"):
        sql_memo.instances(key, request_with_people(), request.reference)

    assert list(sql_memo._kept) == ["first", "third"]
