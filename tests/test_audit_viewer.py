"""The audit viewer (issue 11 item 3): information governance and the managers the council's
policy names read their own council's audit trail, filtered by person, child, request, kind
of event and date, newest first a page at a time, and export it as a CSV. Every use of it is
itself audited."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from requests_app.models import AuditEvent, CaseRecord, User
from requests_app.services.audit_log import PAGE_SIZE
from requests_app.services.history import audit
from tests.services.conftest import (  # noqa: F401 (fixtures shared with the service tests)
    _demo_rows,
    closed_electronic,
    demo,
    log_and_triage,
    open_case,
)

pytestmark = pytest.mark.usefixtures("demo")
AUDIT = reverse("audit_log")
EXPORT = reverse("audit_export")


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def trail():
    """Two Nottinghamshire requests about two children, and a Camden one."""
    scimt = person("notts.scimt")
    lily, other = open_case("nottinghamshire"), closed_electronic("nottinghamshire")
    about_lily = log_and_triage(scimt, lily)
    about_other = log_and_triage(scimt, other)
    camden = log_and_triage(person("camden.scimt"), open_case("camden"), agency_type="health")
    return {"lily": lily, "other": other, "about_lily": about_lily,
            "about_other": about_other, "camden": camden}


def shown(response) -> list[AuditEvent]:
    assert response.status_code == 200, response.content[:500]
    return response.context["page"].rows


def signed_in(client, username="notts.ig"):
    client.force_login(person(username))
    return client


@pytest.mark.parametrize("username", ["notts.ig", "notts.csm", "notts.gm", "camden.ig"])
def test_information_governance_and_managers_may_read_the_trail(client, username):
    response = signed_in(client, username).get(AUDIT)

    assert response.status_code == 200
    assert b'href="/audit/"' in response.content  # in the service navigation too


@pytest.mark.parametrize("username", ["notts.sw", "notts.tm", "notts.scimt", "notts.bs"])
def test_anyone_else_is_refused_with_a_reason_and_not_offered_the_link(client, username):
    client = signed_in(client, username)

    response = client.get(AUDIT)
    export = client.get(EXPORT)

    assert response.status_code == 403 and export.status_code == 403
    assert "Only information governance" in response.content.decode()
    assert b'href="/audit/"' not in client.get(reverse("home")).content
    assert not AuditEvent.objects.filter(action__in=["audit.viewed", "audit.exported"]).exists()
    assert AuditEvent.objects.filter(action="read.refused", actor__username=username).count() == 2


def test_only_the_readers_own_council_is_shown(client, trail):
    rows = shown(signed_in(client).get(AUDIT))

    notts = person("notts.ig").council_id
    assert rows and {e.council_id for e in rows} == {notts}
    assert trail["camden"].reference not in signed_in(client).get(AUDIT).content.decode()
    elsewhere = signed_in(client, "camden.ig").get(
        AUDIT, {"reference": trail["about_lily"].reference})
    assert elsewhere.context["page"] is None  # another council's reference is unknown here
    assert "There is no request with that reference in your council" in elsewhere.content.decode()


def test_newest_first(client, trail):
    rows = shown(signed_in(client).get(AUDIT))

    assert [(e.at, e.pk) for e in rows] == sorted(((e.at, e.pk) for e in rows), reverse=True)


def test_filter_by_person_shows_what_they_did_and_what_was_done_to_their_account(
        client, trail):
    scimt = person("notts.scimt")
    audit(None, "auth.sign_in_failed", scimt, detail={"username": "notts.scimt"})
    audit(person("notts.sw"), "note.added", None, council_id=scimt.council_id)

    rows = shown(signed_in(client).get(AUDIT, {"person": scimt.pk}))

    assert rows and all(e.actor_id == scimt.pk or e.object_id == str(scimt.pk) for e in rows)
    assert "auth.sign_in_failed" in {e.action for e in rows}
    assert "note.added" not in {e.action for e in rows}


def test_filter_by_child_shows_the_events_on_the_requests_about_them(client, trail):
    rows = shown(signed_in(client).get(AUDIT, {"child": trail["lily"].reference}))

    assert rows and {e.request_id for e in rows} == {trail["about_lily"].pk}


def test_filter_by_request_reference(client, trail):
    rows = shown(signed_in(client).get(AUDIT, {"reference": trail["about_other"].reference}))

    assert rows and {e.request_id for e in rows} == {trail["about_other"].pk}
    assert "request.logged" in {e.action for e in rows}


def test_filter_by_kind_of_event_and_by_exact_name(client, trail):
    council = person("notts.ig").council_id
    audit(person("notts.sw"), "auth.sign_in", person("notts.sw"))
    audit(person("notts.sw"), "request.viewed", trail["about_lily"],
          request=trail["about_lily"], council_id=council)

    sign_ins = shown(signed_in(client).get(AUDIT, {"kind": "sign_in"}))
    changes = shown(signed_in(client).get(AUDIT, {"kind": "requests"}))
    reads = shown(signed_in(client).get(AUDIT, {"kind": "reads"}))
    exact = shown(signed_in(client).get(AUDIT, {"action": "request.logged"}))

    assert sign_ins and all(e.action.startswith("auth.") for e in sign_ins)
    assert changes and all(e.action.startswith("request.") for e in changes)
    assert "request.viewed" not in {e.action for e in changes}  # a read, not a change
    assert "request.viewed" in {e.action for e in reads}
    assert exact and {e.action for e in exact} == {"request.logged"}


def test_filter_by_date_range(client, trail):
    long_ago = timezone.now() - timedelta(days=40)
    old = AuditEvent.objects.create(council_id=person("notts.ig").council_id, at=long_ago,
                                    action="note.added", object_type="", object_id="")
    day = timezone.localtime(long_ago).date()

    def between(start, end):
        return {"date_from_0": start.day, "date_from_1": start.month, "date_from_2": start.year,
                "date_to_0": end.day, "date_to_1": end.month, "date_to_2": end.year}

    that_day = shown(signed_in(client).get(AUDIT, between(day, day)))
    after = shown(signed_in(client).get(AUDIT, between(day + timedelta(days=1),
                                                       timezone.localdate())))

    assert [e.pk for e in that_day] == [old.pk]
    assert old.pk not in {e.pk for e in after} and after


def test_bad_filters_are_explained_on_the_page_and_nothing_is_listed(client, trail):
    response = signed_in(client).get(AUDIT, {
        "child": "NO-SUCH", "reference": trail["camden"].reference,
        "person": person("camden.ig").pk,
        "date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"})

    assert response.status_code == 200 and response.context["page"] is None
    text = response.content.decode()
    assert "There is no child with that record reference in your council" in text
    assert "There is no request with that reference in your council" in text
    assert "The start date must be a real date" in text
    assert "Select a person from the list" in text  # someone from another council


def test_pages_go_back_in_time_without_counting_the_trail(client, trail):
    council = person("notts.ig").council_id
    for i in range(PAGE_SIZE + 5):
        audit(None, "note.added", None, council_id=council, detail={"n": i})
    client = signed_in(client)

    first = client.get(AUDIT, {"action": "note.added"})
    older = client.get(AUDIT, {"action": "note.added",
                               "before": first.context["page"].older})
    newer = client.get(AUDIT, {"action": "note.added", "after": older.context["page"].newer})

    assert len(shown(first)) == PAGE_SIZE and shown(first)[0].detail["n"] == PAGE_SIZE + 4
    assert [e.detail["n"] for e in shown(older)] == [4, 3, 2, 1, 0]
    assert older.context["page"].older is None
    assert [e.pk for e in shown(newer)] == [e.pk for e in shown(first)]
    assert f"before={first.context['page'].older}" in first.content.decode()


def test_each_use_of_the_viewer_is_audited_with_its_filters(client, trail):
    reader = person("notts.ig")

    signed_in(client).get(AUDIT, {"reference": trail["about_lily"].reference, "kind": "packs"})

    event = AuditEvent.objects.filter(action="audit.viewed").get()
    assert event.actor == reader and event.council_id == reader.council_id
    assert event.detail["filters"] == {"request": trail["about_lily"].reference,
                                       "kind": "packs"}


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_holds_the_filtered_rows_neutralised_and_is_audited(client, trail):
    reader = person("notts.ig")
    web = RequestFactory().get("/", HTTP_USER_AGENT='=HYPERLINK("http://evil","x")')
    about_lily = trail["about_lily"]
    audit(person("notts.sw"), "note.added", about_lily, request=about_lily, http_request=web)
    wanted = AuditEvent.objects.filter(request=about_lily).order_by("-at", "-pk")

    rows = _csv(signed_in(client).get(EXPORT, {"reference": about_lily.reference}))

    header, body = rows[0], rows[1:]
    assert header[0] == "Event" and "Hash" in header
    assert [int(r[0]) for r in body] == list(wanted.values_list("pk", flat=True))
    assert {r[5] for r in body} == {about_lily.reference}
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in {r[header.index("Browser")] for r in body}
    event = AuditEvent.objects.get(action="audit.exported")
    assert event.actor == reader and event.council_id == reader.council_id
    assert event.detail["filters"] == {"request": about_lily.reference}
    assert event.detail["rows"] == len(body)


def test_the_export_never_holds_another_councils_events(client, trail):
    body = _csv(signed_in(client, "camden.ig").get(EXPORT))[1:]

    references = {r[5] for r in body} - {""}
    assert references == {trail["camden"].reference}
    camden = person("camden.ig").council_id
    assert set(AuditEvent.objects.filter(pk__in=[int(r[0]) for r in body])
               .values_list("council_id", flat=True)) == {camden}


def test_a_child_of_another_council_is_not_found(client, trail):
    camden_child = CaseRecord.objects.filter(council__slug="camden").first()

    response = signed_in(client).get(AUDIT, {"child": camden_child.reference})

    assert response.context["page"] is None
