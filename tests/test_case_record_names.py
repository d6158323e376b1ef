"""A search by name goes through the names the council's case records hold (ADR 0034).

`CaseRecordName` is kept by PostgreSQL triggers (migration 0021): every first or last name a
council's records hold now, once. The search then reads the records holding the names close
to each word; its answer must be exactly, and in the same order, what matching every
record's own names gives (search._ranked_records).
"""

import pytest
from django.db import connection

from requests_app import search
from requests_app.models import CaseRecord, CaseRecordName
from tests.factories import make_case, make_council
from tests.threads import one_while_the_other_holds


def names(council) -> set[str]:
    return set(CaseRecordName.objects.filter(council=council).values_list("name", flat=True))


def test_a_record_brings_its_names_and_the_last_record_holding_a_name_takes_it_away(notts):
    lily = make_case(notts, first_name="Lily", last_name="Kendrick")
    sam = make_case(notts, first_name="Sam", last_name="Kendrick")
    assert names(notts) == {"Lily", "Sam", "Kendrick"}

    lily.last_name = "O'Connor"
    lily.save()
    assert names(notts) == {"Lily", "Sam", "Kendrick", "O'Connor"}  # Sam still holds Kendrick

    sam.delete()
    assert names(notts) == {"Lily", "O'Connor"}

    CaseRecord.objects.filter(pk=lily.pk).update(first_name="Lilly")
    assert names(notts) == {"Lilly", "O'Connor"}


def test_names_are_kept_per_council_and_a_bulk_load_brings_them_in_one_go(notts, camden):
    make_case(notts, first_name="Lily", last_name="Kendrick")
    CaseRecord.objects.bulk_create([
        CaseRecord(council=camden, reference=f"BULK{n}", first_name=first, last_name="Abara",
                   date_of_birth="2016-01-01") for n, first in enumerate(["Ada", "Ben", "Ada"])])

    assert names(notts) == {"Lily", "Kendrick"}
    assert names(camden) == {"Ada", "Ben", "Abara"}


def test_changing_something_else_on_a_record_leaves_the_names_alone(notts):
    record = make_case(notts, first_name="Lily", last_name="Kendrick")
    before = list(CaseRecordName.objects.filter(council=notts).order_by("pk").values_list(
        "pk", "name"))

    record.locality = "Newark"
    record.save()

    assert list(CaseRecordName.objects.filter(council=notts).order_by("pk").values_list(
        "pk", "name")) == before


RECORDS = [("Lily", "Kendrick"), ("Sam", "Kendrick"), ("Lily-Mae", "O'Connor"), ("Ann", "Abel"),
           ("Kendrick", "Lily"), ("Zofia", "Kowalczyk-Smith"), ("Mo", "Li"), ("Lilly", "Smith"),
           ("Joanne", "Smyth"), ("Jo", "Kerr"), ("Liam", "Kendall")]


@pytest.mark.parametrize("typed", [
    "Lily Kendrick", "lilly kendrik", "Kend Lil", "Lily Mae Connor", "Smith Zofia", "Smith",
    "Kowalczyk Smyth", "Mo Li", "Lily Abel", "Kendrick", "Jo", "Annab", "Lykend Lily", "Smyth",
    "Lily Kendrick Smith", "Ken",
])
def test_a_name_finds_exactly_the_records_their_own_names_find_in_the_same_order(
        notts, camden, typed):
    for first, last in RECORDS:
        make_case(notts, first_name=first, last_name=last)
        make_case(camden, first_name=first, last_name=last)  # never found from Nottinghamshire
    query = search.parse(typed)
    by_records = list(search._ranked_records(notts.pk, query).values_list("pk", flat=True))

    found = search.record_matches(notts.pk, query)

    assert list(found.ids) == by_records
    assert set(found.ids) <= set(CaseRecord.objects.filter(council=notts).values_list(
        "pk", flat=True))
    if typed == "Lily Kendrick":  # Lily Kendrick and Kendrick Lily, the closest first
        assert len(found.ids) == 2


@pytest.mark.django_db(transaction=True)
def test_a_name_is_read_from_its_indexes_not_the_records():
    """With enough records for PostgreSQL to weigh its choices (a few thousand, vacuumed as
    autovacuum would), the records are read from the covering indexes alone. (That the names'
    trigram index serves the lookup of names is test_search's: with a few thousand names,
    reading them all wins.)"""
    notts, camden = make_council("nottinghamshire"), make_council("camden")
    CaseRecord.objects.bulk_create([
        CaseRecord(council=council, reference=f"R{council.pk}-{n}", first_name=f"First{n % 97}",
                   last_name=f"Family{n % 1500}", date_of_birth="2016-01-01")
        for council in (notts, camden) for n in range(3000)])
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {CaseRecord._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {CaseRecordName._meta.db_table}")
        cursor.execute("EXPLAIN " + search._by_names_sql(1, 1), [
            *search._by_names_params(notts.pk, ["Family1234"]), "Family1234", "Family1234"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Only Scan using case_record_by_last_name" in plan
    assert "Index Only Scan using case_record_by_first_name" in plan
    assert "Scan on requests_app_caserecord " not in plan  # no read of the table itself


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["the last holder is deleted", "a new holder is added"])
def test_a_name_survives_its_last_record_leaving_while_another_arrives(first):
    """One transaction deletes the last record holding a name while another adds a record
    holding it: whichever locks the name first, the name is there when both have committed."""
    council = make_council()
    leaving = make_case(council, first_name="Zed", last_name="Quist")

    def delete():
        CaseRecord.objects.filter(pk=leaving.pk).delete()

    def add():
        make_case(council, first_name="Zed", last_name="Okoro")

    one_while_the_other_holds(
        *((delete, add) if first == "the last holder is deleted" else (add, delete)))

    assert list(CaseRecord.objects.filter(council=council).values_list("first_name", flat=True)
                ) == ["Zed"]
    assert names(council) == {"Zed", "Okoro"}
