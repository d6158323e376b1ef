"""CSV exports of the lists people look at, filters applied, audited (issue 12 item 3)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from requests_app import access
from requests_app.exports import RECORD_HEADER, REQUEST_HEADER
from requests_app.models import AuditEvent
from tests.factories import make_case, make_request, make_requester, make_team


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body)))


def export_home(client, **filters):
    return rows_of(client.get(reverse("export_home"), filters))


def export_search(client, group, q):
    return rows_of(client.get(reverse("export_search", kwargs={"group": group}), {"q": q}))


@pytest.fixture
def signed_in(client, scimt_officer):
    client.force_login(scimt_officer)
    return client


def test_the_home_list_exports_with_every_column(signed_in, notts, social_worker,
                                                 social_work_team):
    child = make_case(notts, first_name="Lily", last_name="Kendrick")
    sibling = make_case(notts, first_name="Mia", last_name="Kendrick")
    requester = make_requester(notts, name="Jo Kerr", organisation="Derbyshire County Council")
    request = make_request(notts, subjects=[child, sibling], requester=requester,
                           state="with_worker", due_date=date(2026, 12, 4),
                           routed_team=social_work_team, allocated_worker=social_worker)

    header, *rows = export_home(signed_in, view="all")

    assert header == REQUEST_HEADER == [
        "Reference", "Received", "Due", "Status", "Type", "Requester", "Organisation",
        "Children", "Team", "Who has it"]
    assert rows == [[
        request.reference, request.received_at.date().isoformat(), "2026-12-04",
        request.get_state_display(), "Information from records", "Jo Kerr",
        "Derbyshire County Council", "Lily Kendrick; Mia Kendrick", social_work_team.name,
        social_worker.get_full_name()]]


def test_the_home_export_applies_the_tab_and_the_filters_shown(signed_in, notts):
    dbs = make_request(notts, request_type="dbs")
    information = make_request(notts, request_type="information")
    closed_dbs = make_request(notts, request_type="dbs", state="closed")

    every = {row[0] for row in export_home(signed_in, view="all")[1:]}
    by_type = {row[0] for row in export_home(signed_in, view="all", type="dbs")[1:]}
    by_state = {row[0] for row in export_home(signed_in, view="all", type="dbs",
                                              state="closed")[1:]}

    assert every == {dbs.reference, information.reference, closed_dbs.reference}
    assert by_type == {dbs.reference, closed_dbs.reference}
    assert by_state == {closed_dbs.reference}


def test_the_home_page_links_to_its_export_with_its_filters(signed_in, notts):
    make_request(notts, request_type="dbs")

    page = signed_in.get(reverse("home"), {"view": "all", "type": "dbs"}).content.decode()

    assert (reverse("export_home") + "?view=all&amp;state=&amp;type=dbs&amp;sort=due") in page
    assert "Export to CSV" in page


def test_a_social_worker_exports_only_what_they_may_see(client, notts, social_worker):
    theirs, not_theirs = make_request(notts), make_request(notts)
    access.grant(theirs, social_worker)
    client.force_login(social_worker)

    exported = {row[0] for row in export_home(client, view="all")[1:]}

    assert exported == {theirs.reference} and not_theirs.reference not in exported


def test_exports_never_cross_councils(client, notts, camden, outsider):
    make_request(notts, subjects=[make_case(notts, last_name="Kendrick")])
    theirs = make_request(camden, subjects=[make_case(camden, last_name="Kendrick")])
    client.force_login(outsider)

    assert {r[0] for r in export_home(client, view="all")[1:]} == {theirs.reference}
    assert {r[0] for r in export_search(client, "requests", "Kendrick")[1:]} == {
        theirs.reference}
    assert len(export_search(client, "records", "Kendrick")) == 2  # header + Camden's child


def test_search_results_export_both_groups(signed_in, notts):
    child = make_case(notts, reference="NT-1", first_name="Lily", last_name="Kendrick",
                      date_of_birth=date(2019, 3, 12), locality="Ashfield", is_open=False,
                      last_team=make_team(notts, name="Broxtowe"))
    request = make_request(notts, subjects=[child])
    make_request(notts)  # about someone else

    requests = export_search(signed_in, "requests", "kendrik")
    records = export_search(signed_in, "records", "kendrik")

    assert [row[0] for row in requests] == ["Reference", request.reference]
    assert records == [RECORD_HEADER, ["NT-1", "Lily", "Kendrick", "2019-03-12", "Ashfield",
                                       "Closed", "Broxtowe"]]


def test_who_may_not_search_records_exports_none(client, notts, social_worker):
    make_case(notts, last_name="Kendrick")
    client.force_login(social_worker)

    assert export_search(client, "records", "Kendrick") == [RECORD_HEADER]


def test_a_cell_typed_as_a_formula_is_exported_as_text(signed_in, notts):
    requester = make_requester(notts, name="=HYPERLINK(\"http://evil\",\"x\")",
                               organisation="+44 police")
    make_request(notts, requester=requester)

    row = export_home(signed_in, view="all")[1]

    assert row[5] == "'=HYPERLINK(\"http://evil\",\"x\")" and row[6] == "'+44 police"


def test_an_export_is_audited_with_what_the_filters_and_the_row_count(signed_in, notts,
                                                                      scimt_officer):
    make_request(notts, request_type="dbs")
    make_request(notts, request_type="dbs")
    make_request(notts, request_type="information")

    export_home(signed_in, view="all", type="dbs")
    export_search(signed_in, "records", "Child")

    home_event, search_event = AuditEvent.objects.filter(
        action="export.downloaded").order_by("pk")
    assert home_event.actor == scimt_officer and home_event.council_id == notts.pk
    assert home_event.detail["exported"] == "requests" and home_event.detail["rows"] == 2
    assert home_event.detail["filters"] == {"list": "home", "view": "all", "state": "",
                                            "type": "dbs", "sort": "due"}
    assert search_event.detail["exported"] == "case_records"
    assert search_event.detail["rows"] == 3 and search_event.detail["group"] == "records"
    assert search_event.detail["filters"] == {"list": "search", "q": "Child"}


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "x"}, {}])
def test_a_search_export_without_a_usable_query_is_not_found(signed_in, params):
    response = signed_in.get(reverse("export_search", kwargs={"group": "requests"}), params)

    assert response.status_code == 404


def test_an_unknown_group_is_not_found(signed_in):
    response = signed_in.get(reverse("export_search", kwargs={"group": "people"}), {"q": "ab"})

    assert response.status_code == 404
