"""One search box finds requests and children's case records (issue 12 item 2, ADR 0019).

By reference, child's name (typos and parts of names), date of birth, requester, organisation
and the words of what was asked; only what access.py lets the person see, never another
council's.
"""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from requests_app import access, search
from requests_app.models import (
    AuditEvent,
    CaseRecord,
    CaseRecordName,
    InformationRequest,
    Requester,
)
from tests.factories import make_case, make_request, make_requester

SEARCH = reverse("search")


def found(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    context = response.context
    if "query" not in context:
        return None, None
    return ({r.reference for r in context["requests_page"]},
            {r.reference for r in context["records_page"]})


@pytest.fixture
def lily(notts):
    return make_case(notts, reference="NT-448812", first_name="Lily", last_name="Kendrick",
                     date_of_birth=date(2019, 3, 12))


@pytest.fixture
def lilys_request(notts, lily):
    requester = make_requester(notts, name="Jo Kerr", organisation="Derbyshire County Council")
    return make_request(notts, subjects=[lily], requester=requester,
                        information_sought="Injuries recorded at the nursery in May.")


@pytest.fixture
def signed_in(client, scimt_officer):
    client.force_login(scimt_officer)
    return client


def test_a_request_is_found_by_its_reference_whole_or_in_part(signed_in, lilys_request):
    number = lilys_request.reference.rsplit("-", 1)[1]

    assert found(signed_in, lilys_request.reference)[0] == {lilys_request.reference}
    assert found(signed_in, lilys_request.reference.lower())[0] == {lilys_request.reference}
    assert lilys_request.reference in found(signed_in, number)[0]


def test_a_whole_reference_finds_what_holding_it_in_part_would(signed_in, notts):
    """A whole reference is looked up by its year and sequence (search.request_reference_q):
    the same requests as "holds the text", including one past 999,999 requests in a year whose
    longer sequence begins with the same six digits, and none whose sequence only ends so."""
    prefix, year = notts.reference_prefix, 2026

    def numbered(sequence):
        request = make_request(notts)
        reference = f"{prefix}-{year}-{sequence:06d}"
        InformationRequest.objects.filter(pk=request.pk).update(
            year=year, sequence=sequence, reference=reference)
        return reference

    whole, longer = numbered(123456), numbered(1234567)
    numbered(7123456)  # holds the digits, but not after the prefix and year
    numbered(123457)

    assert found(signed_in, whole)[0] == {whole, longer}
    assert found(signed_in, whole.lower())[0] == {whole, longer}
    assert found(signed_in, longer)[0] == {longer}
    as_text = set(InformationRequest.objects.filter(search.reference_q(whole))
                  .values_list("reference", flat=True))
    assert as_text == {whole, longer}


def test_a_whole_reference_under_an_old_or_another_prefix_finds_what_holding_it_would(
        signed_in, notts):
    """A council's prefix can change, so its older references hold another one: a whole
    reference is looked up by year and sequence whatever its letters, and finds exactly the
    requests whose reference holds the text (a shorter tail of the prefix included)."""
    def numbered(reference, year, sequence):
        request = make_request(notts)
        InformationRequest.objects.filter(pk=request.pk).update(
            year=year, sequence=sequence, reference=reference)
        return reference

    old = numbered("OLDNT-2025-000042", 2025, 42)
    numbered("OLDNT-2025-000043", 2025, 43)
    newer = numbered(f"{notts.reference_prefix}-2025-000044", 2025, 44)  # after the change

    for text in ("OLDNT-2025-000042", "oldnt-2025-000042", "DNT-2025-000042",
                 "DEVON-2025-000042", "XOLDNT-2025-000042", "OLDNT-2025-000044", newer):
        as_text = set(InformationRequest.objects.filter(search.reference_q(text))
                      .values_list("reference", flat=True))
        assert found(signed_in, text)[0] == as_text, text
    assert found(signed_in, "OLDNT-2025-000042")[0] == {old}
    assert found(signed_in, "DEVON-2025-000042")[0] == set()
    assert found(signed_in, newer)[0] == {newer}


def test_a_whole_reference_is_asked_for_by_year_and_sequence_not_as_text(db, notts):
    """Its year and sequence are what the unique index (council, year, sequence) serves,
    whatever council's letters it has; a part of one stays text (the trigram index). Which
    index PostgreSQL picks on tables this small says nothing: bench/load.py measures it (a
    whole reference ~23 ms through the trigram index at a million requests)."""
    def where(reference):
        return str(InformationRequest.objects.filter(
            search.request_reference_q(reference)).order_by()
            .query).split(" WHERE ", 1)[1]

    for text in (f"{notts.reference_prefix}-2026-000123", "DEVON-2026-000123"):
        whole = where(text)
        assert '"year" = 2026' in whole and '"sequence" = 123' in whole
        assert f"LIKE %{text}%" in whole
    for text in (f"{notts.reference_prefix}-2026-0001", "2026-000123", "N0TTS-2026-000123"):
        assert '"sequence"' not in where(text) and f"LIKE %{text}%" in where(text)


@pytest.mark.parametrize("typed", ["Lily Kendrick", "Kendrick", "kendrik", "Kend",
                                   "Lilly Kendrik", "KENDRICK lily"])
def test_a_child_is_found_by_name_with_typos_and_parts_of_names(signed_in, lilys_request,
                                                                lily, typed):
    requests, records = found(signed_in, typed)

    assert requests == {lilys_request.reference}
    assert records == {lily.reference}


def test_a_name_that_is_only_a_bit_alike_is_not_found(signed_in, lilys_request, lily):
    assert found(signed_in, "Kowalczyk") == (set(), set())


@pytest.mark.parametrize("typed", ["12/03/2019", "2019-03-12", "12 March 2019", "12 Mar 2019",
                                   "12th March 2019"])
def test_a_child_is_found_by_date_of_birth_however_it_is_typed(signed_in, notts, lilys_request,
                                                               lily, typed):
    make_case(notts, date_of_birth=date(2019, 12, 3))  # the same digits, read the US way

    assert found(signed_in, typed) == ({lilys_request.reference}, {lily.reference})


def test_a_record_is_found_by_its_reference(signed_in, lily):
    assert found(signed_in, "448812")[1] == {lily.reference}


@pytest.mark.parametrize("typed", ["Jo Kerr", "Kerr", "Derbyshire", "derbyshire county",
                                   "Derbyshir"])
def test_requests_are_found_by_requester_and_organisation(signed_in, notts, lilys_request,
                                                          typed):
    make_request(notts)  # another requester, another organisation

    assert found(signed_in, typed)[0] == {lilys_request.reference}


@pytest.mark.parametrize("typed", ["nursery", "injury at nursery", "injuries May"])
def test_requests_are_found_by_the_words_of_what_was_asked(signed_in, notts, lilys_request,
                                                           typed):
    make_request(notts, information_sought="School attendance records for the last year.")

    assert found(signed_in, typed)[0] == {lilys_request.reference}


def test_case_records_without_requests_are_found_too(signed_in, notts):
    alone = make_case(notts, first_name="Mason", last_name="Oduya")

    assert found(signed_in, "Oduya") == (set(), {alone.reference})


def test_a_social_worker_finds_only_the_requests_granted_to_them_and_no_case_records(
        client, notts, social_worker, lily, lilys_request):
    not_theirs = make_request(notts, subjects=[lily])
    access.grant(lilys_request, social_worker)
    client.force_login(social_worker)

    response = client.get(SEARCH, {"q": "Kendrick"})

    assert {r.reference for r in response.context["requests_page"]} == {lilys_request.reference}
    assert not_theirs.reference not in response.content.decode()
    assert not response.context["records_page"].paginator.count
    assert lily.reference not in response.content.decode()
    assert "Children's case records are searched by the people who log requests" in (
        response.content.decode())


def test_a_social_worker_finds_by_what_was_asked_only_what_they_may_see(
        client, notts, social_worker, social_work_team):
    """The words of what was asked are matched apart from who may see the requests (ADR
    0027), then intersected with exactly `access.visible_requests`: granted to them, to their
    team, or logged by them, and nothing else."""
    asked = "Bruising noted at the childminder's."
    to_them, to_team, logged, hidden = (make_request(notts, information_sought=asked)
                                        for _ in range(4))
    access.grant(to_them, social_worker)
    access.grant(to_team, social_work_team.group)
    InformationRequest.objects.filter(pk=logged.pk).update(created_by=social_worker)
    client.force_login(social_worker)

    references = found(client, "bruising childminder")[0]

    assert references == {to_them.reference, to_team.reference, logged.reference}
    assert references == {r.reference for r in access.visible_requests(social_worker).filter(
        information_sought=asked)}
    assert hidden.reference not in references


def test_the_newest_of_what_was_asked_are_counted_among_what_the_person_may_see(
        client, notts, social_worker, monkeypatch):
    """PER_FIELD newest matches are the newest the person may see: newer requests they may
    not see do not crowd out their own older ones."""
    monkeypatch.setattr(search, "PER_FIELD", 2)
    made = [make_request(notts, information_sought="Police disclosure about the stepfather.")
            for _ in range(5)]
    for n, request in enumerate(made):  # the first made is the oldest
        InformationRequest.objects.filter(pk=request.pk).update(
            received_at=request.received_at.replace(year=2018 + n))
    for request in made[:3]:  # granted the three oldest only
        access.grant(request, social_worker)
    client.force_login(social_worker)

    response = client.get(SEARCH, {"q": "stepfather"})

    assert [r.reference for r in response.context["requests_page"]] == [
        made[2].reference, made[1].reference]
    assert response.context["requests_cut"]


def test_what_was_asked_is_searched_as_it_now_reads(signed_in, notts, lilys_request):
    """The stored words follow the request's text when it is corrected."""
    lilys_request.information_sought = "Hospital records of the fracture in June."
    lilys_request.save()

    assert found(signed_in, "fractures")[0] == {lilys_request.reference}
    assert found(signed_in, "nursery")[0] == set()


def test_search_never_crosses_councils(client, notts, camden, outsider, lilys_request, lily):
    camden_lily = make_case(camden, first_name="Lily", last_name="Kendrick",
                            date_of_birth=date(2019, 3, 12))
    camden_request = make_request(camden, subjects=[camden_lily])
    client.force_login(outsider)

    for typed in ("Kendrick", "kendrik", "12/03/2019", lilys_request.reference, "Jo Kerr",
                  "Derbyshire", "nursery", "448812"):
        requests, records = found(client, typed)
        assert lilys_request.reference not in requests and lily.reference not in records, typed
        assert requests <= {camden_request.reference} and records <= {camden_lily.reference}

    assert found(client, "Kendrick") == ({camden_request.reference}, {camden_lily.reference})


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter a reference, a child's name or date of birth"),
    ("   ", "Enter a reference, a child's name or date of birth"),
    ("K", "Enter at least 2 characters"),
    ("x" * 201, "Enter no more than 200 characters"),
])
def test_empty_and_too_short_queries_say_what_to_type(signed_in, typed, message):
    response = signed_in.get(SEARCH, {"q": typed})

    assert response.status_code == 200
    assert response.context["problem"].startswith(message)
    assert "govuk-error-summary" in response.content.decode()
    assert "query" not in response.context


def test_the_query_stays_in_the_box_and_the_groups_show_their_counts(signed_in, lilys_request):
    page = signed_in.get(SEARCH, {"q": "  Lily   Kendrick "}).content.decode()

    assert 'value="Lily Kendrick"' in page
    assert "Requests <span class=\"app-count\">(1)</span>" in page
    assert "Children's case records <span class=\"app-count\">(1)</span>" in page


def test_results_are_paginated_per_group_keeping_the_query(signed_in, notts):
    requester = make_requester(notts, organisation="Ashfield Academy")
    made = {make_request(notts, requester=requester).reference for _ in range(23)}

    first = signed_in.get(SEARCH, {"q": "Ashfield"})
    second = signed_in.get(SEARCH, {"q": "Ashfield", "rpage": 2})

    on_first = {r.reference for r in first.context["requests_page"]}
    on_second = {r.reference for r in second.context["requests_page"]}
    assert len(on_first) == 20 and on_first | on_second == made
    assert "q=Ashfield&amp;rpage=2" in first.content.decode()


def test_the_search_is_audited_as_a_read_with_the_query_and_what_it_found(
        signed_in, scimt_officer, lilys_request):
    signed_in.get(SEARCH, {"q": "Kendrick"})

    event = AuditEvent.objects.get(action="search.viewed")
    assert event.actor == scimt_officer and event.council_id == scimt_officer.council_id
    assert event.detail["q"] == "Kendrick"
    assert event.detail["requests_found"] == 1 and event.detail["records_found"] == 1


def test_the_box_is_in_the_navigation_of_every_signed_in_page(signed_in):
    page = signed_in.get(reverse("home")).content.decode()

    assert f'action="{SEARCH}"' in page and 'name="q"' in page


@pytest.mark.parametrize(("typed", "expected"), [
    ("12/03/2019", date(2019, 3, 12)), ("2019-03-12", date(2019, 3, 12)),
    ("12 March 2019", date(2019, 3, 12)), ("12 mar 2019", date(2019, 3, 12)),
    ("1st June 2020", date(2020, 6, 1)), ("March 12, 2019", date(2019, 3, 12)),
    ("31/02/2019", None), ("Kendrick", None), ("NOTTS-2026-000001", None),
])
def test_dates_of_birth_are_read_the_ways_people_type_them(typed, expected):
    assert search.parse_date(typed) == expected


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


INDEXED = {
    "caserecord_first_name_trgm": lambda: CaseRecord.objects.filter(
        search.every_word_in(("first_name", "last_name"), ["Lilly"])),
    "caserecord_last_name_trgm": lambda: CaseRecord.objects.filter(
        search.every_word_in(("first_name", "last_name"), ["Kendrik"])),
    "case_record_name_trgm": lambda: CaseRecordName.objects.filter(
        name__trigram_word_similar="Kendrik"),
    "caserecord_reference_trgm": lambda: CaseRecord.objects.filter(search.reference_q("4488")),
    "requester_name_trgm": lambda: Requester.objects.filter(
        search.every_word_in(("name", "organisation"), ["Kerr"])),
    "requester_org_trgm": lambda: Requester.objects.filter(
        search.every_word_in(("name", "organisation"), ["Derbyshir"])),
    "request_reference_trgm": lambda: InformationRequest.objects.filter(
        search.reference_q("000123")),
    "request_sought_search": lambda: search.asked(
        InformationRequest.objects.all(), "nursery injuries", ("nursery", "injuries")),
}


@pytest.mark.parametrize("index", sorted(INDEXED))
def test_each_field_is_matched_the_way_its_index_serves(db, index):
    """Each index exists and the search's lookup is written so PostgreSQL can use it (an
    operator or expression that differs even slightly from the index's would not). Sequential
    scans are discouraged: the test tables are too small for the planner to prefer an index."""
    assert f"Bitmap Index Scan on {index}" in _plan(INDEXED[index]())


@pytest.mark.parametrize(("word", "name"), [
    ("Kendrik", "Kendrick"), ("Kend", "Kendrick"), ("Lilly", "Lily"), ("Derbyshir",
                                                                        "Derbyshire Police"),
    ("Kowalczyk", "Kendrick"), ("Smyth", "Smith"), ("Jo", "Joanne Kerr"), ("abc", "Lily"),
])
def test_the_sqlite_demo_forgives_the_same_typos_as_postgresql(db, word, name):
    """The demo's Python word similarity agrees with pg_trgm's on what passes the cut-off."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word_similarity(%s, %s)", [word, name])
        postgres = cursor.fetchone()[0]

    assert (search.word_similarity(word, name) >= search.WORD_SIMILARITY) == (
        postgres >= search.WORD_SIMILARITY), postgres


def test_a_common_name_shows_the_closest_records_and_says_so(signed_in, notts, monkeypatch):
    """Search reads at most PER_FIELD matches a field (a common surname matches thousands at
    a million requests): the closest records, and the page says more matched and how to
    narrow it."""
    monkeypatch.setattr(search, "PER_FIELD", 2)
    for n in range(3):
        make_case(notts, reference=f"NT-90{n}", first_name=f"Sam{n}", last_name="Blackwood")
    response = signed_in.get(SEARCH, {"q": "Blackwood"})

    assert len(response.context["records_page"]) == 2 and response.context["records_cut"]
    page = response.content.decode()
    assert "the closest 2" in page
    assert "Add a first name, or search by date of birth or reference" in page


def test_a_common_requester_shows_the_newest_requests_and_says_so(signed_in, notts,
                                                                   monkeypatch):
    monkeypatch.setattr(search, "PER_FIELD", 2)
    school = make_requester(notts, name="Office", organisation="Westfield Academy")
    made = [make_request(notts, requester=school) for _ in range(3)]
    for n, request in enumerate(made):  # the first made is the oldest
        InformationRequest.objects.filter(pk=request.pk).update(
            received_at=request.received_at.replace(year=2020 + n))
    response = signed_in.get(SEARCH, {"q": "Westfield"})

    assert [r.reference for r in response.context["requests_page"]] == [
        made[2].reference, made[1].reference]
    assert response.context["requests_cut"]
    assert "these are the newest 2" in response.content.decode()


def test_a_reference_is_never_matched_against_names(signed_in, lilys_request, lily):
    """A word with a digit is part of a reference or a date: "448812" finds Lily by her
    record's reference, and no name is compared with it (pg_trgm's %> never appears)."""
    query = search.parse("448812")
    assert search.record_matches(lily.council_id, query).ids == (lily.pk,)
    assert "%>" not in str(search._records(lily.council_id, query).query)
    # A word without digits is still a name.
    assert "%>" in str(search._records(lily.council_id, search.parse("Kendrik 448812")).query)


def test_the_apps_connections_set_the_similarity_cut_off_and_turn_jit_off(db):
    """Set in settings for every connection: pg_trgm's word similarity at 0.5 (ADR 0019), and
    JIT off (a common word's search plan at a million requests spent ~19 ms compiling)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert cursor.fetchone()[0] == "0.5"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
