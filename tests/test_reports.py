"""Reports for managers and information governance (issue 12, item 4).

A small constructed month of Nottinghamshire requests (March 2026), one older request and one
of Camden's, whose every figure is worked out by hand below; then who may read the reports,
the filters, the CSV and its audit, and the number of queries at two sizes.
"""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.models import AuditEvent, DisclosureDecision, HardCopyRequest, Pack
from requests_app.reports import CSV_HEADER
from requests_app.reports.queries import working_days_late
from tests.factories import make_council, make_request, make_requester, make_team, make_user

MARCH = {"received_from_0": "1", "received_from_1": "3", "received_from_2": "2026",
         "received_to_0": "31", "received_to_1": "3", "received_to_2": "2026"}


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def changes(request, *steps):
    """Audit events for changes of state: (from, to, when) as the services write them."""
    for from_state, to_state, when in steps:
        AuditEvent.objects.create(
            council=request.council, request=request, object_type="requests_app.Request",
            object_id=str(request.pk), from_state=from_state, to_state=to_state, at=when,
            action="request.logged" if not from_state else "request.step")


def refusal(request, action, when, **detail):
    AuditEvent.objects.create(
        council=request.council, request=request, object_type="requests_app.Request",
        object_id=str(request.pk), action=action, from_state="received", to_state="closed",
        at=when, detail=detail)


class Month:
    """March 2026 in Nottinghamshire, and the people who look at it."""

    def __init__(self):
        self.notts = make_council("nottinghamshire")
        self.mansfield = make_team(self.notts, name="Mansfield Social Work")
        self.ashfield = make_team(self.notts, name="Ashfield Social Work")
        self.csm = make_user(self.notts, role="csm", team=self.ashfield, first_name="Carol",
                             last_name="Hennessy")
        self.sw = make_user(self.notts, role="social_worker", team=self.ashfield,
                            first_name="Sophie", last_name="Walker")
        self.scimt = make_user(self.notts, role="scimt_officer")
        self.ig = make_user(self.notts, role="ig_officer")
        self.camden = make_council("camden")
        self.camden_csm = make_user(self.camden, role="csm")

        def req(day, **kw):
            agency = kw.pop("agency", "police")
            return make_request(self.notts, received_at=at(day), created_by=self.scimt,
                                requester=make_requester(self.notts, agency_type=agency), **kw)

        # Closed on time; its history walks four steps (a pause in the middle is no step).
        self.r1 = req(date(2026, 3, 2), routed_team=self.mansfield, state="closed",
                      due_date=date(2026, 3, 30), closed_at=at(date(2026, 3, 27)))
        t = at(date(2026, 3, 2))
        changes(self.r1, ("", "received", t),
                ("received", "awaiting_decision", t + timedelta(days=1)),
                ("awaiting_decision", "with_worker", t + timedelta(days=3)),
                ("with_worker", "with_worker", t + timedelta(days=4)),
                ("with_worker", "disclosed", t + timedelta(days=6)),
                ("disclosed", "closed", t + timedelta(days=7)))
        AuditEvent.objects.create(council=self.notts, request=self.r1, action="request.viewed",
                                  object_type="x", object_id="1", at=t + timedelta(days=2))
        # Closed late: due Tue 31 March, closed Tue 7 April, past Good Friday and Easter
        # Monday: 3 working days late.
        self.r2 = req(date(2026, 3, 3), routed_team=self.mansfield, state="closed",
                      request_type="dbs", agency="dbs", due_date=date(2026, 3, 31),
                      closed_at=at(date(2026, 4, 7)))
        t = at(date(2026, 3, 3))
        changes(self.r2, ("", "received", t), ("received", "with_worker", t + timedelta(days=2)))
        # Open: one overdue with Sophie, one not yet due with Carol.
        self.r3 = req(date(2026, 3, 10), routed_team=self.ashfield, state="with_worker",
                      agency="health", due_date=date(2026, 4, 7), allocated_worker=self.sw)
        self.r4 = req(date(2026, 3, 11), routed_team=self.ashfield,
                      state="awaiting_decision", due_date=timezone.localdate() + timedelta(
                          days=30), routed_to=self.csm)
        # Refused at triage, refused by a decision, referred outside the council.
        self.r5 = req(date(2026, 3, 12), state="refused_at_triage", agency="solicitor",
                      route_explanation="Printed files are not sent.", route_rule_ids=["R-7"])
        refusal(self.r5, "request.refuse_at_triage", at(date(2026, 3, 13)), rule_ids=["R-7"])
        self.r7 = req(date(2026, 3, 16), routed_team=self.ashfield, state="refused")
        refusal(self.r7, "request.refuse", at(date(2026, 3, 18)))
        DisclosureDecision.objects.create(
            request=self.r7, outcome="refused", reasons="Not necessary for the stated purpose.",
            decided_by=self.csm)
        self.r8 = req(date(2026, 3, 20), state="closed", request_type="subject_access",
                      agency="subject", closed_at=at(date(2026, 3, 20)),
                      route_explanation="Subject access goes to the SAR team.")
        refusal(self.r8, "request.refer_out", at(date(2026, 3, 20)), rule_ids=["R-4"])
        # Withdrawn: received, but neither on time nor late.
        self.r9 = req(date(2026, 3, 25), routed_team=self.mansfield, state="withdrawn",
                      due_date=date(2026, 4, 22), closed_at=at(date(2026, 3, 26)))
        # Packs and hard copies sent for r1 and r2; a draft on r3 is not "sent".
        self.pack(self.r1, "secure_email")
        self.pack(self.r2, "cryptshare")
        Pack.objects.create(request=self.r3, version=1, created_by=self.sw)
        HardCopyRequest.objects.create(request=self.r1, items="Chronology", requested_by=self.sw,
                                       approver=self.csm, method="post",
                                       sent_at=at(date(2026, 3, 26)))
        # Outside the period, and another council's: never counted.
        self.old = req(date(2025, 12, 1), routed_team=self.mansfield, state="closed",
                       due_date=date(2025, 12, 29), closed_at=at(date(2026, 2, 2)))
        self.pack(self.old, "post")
        theirs = make_request(self.camden, received_at=at(date(2026, 3, 5)), state="closed",
                              due_date=date(2026, 3, 6), closed_at=at(date(2026, 3, 20)),
                              created_by=make_user(self.camden, role="scimt_officer"))
        changes(theirs, ("", "received", at(date(2026, 3, 5))))
        refusal(theirs, "request.refuse_at_triage", at(date(2026, 3, 6)))
        self.pack(theirs, "post")

    @staticmethod
    def pack(request, method):
        return Pack.objects.create(request=request, version=1, created_by=request.created_by,
                                   status="sent", method=method, sent_at=request.received_at)


@pytest.fixture
def month(db):
    return Month()


def read(client, user, slug, **params):
    client.force_login(user)
    response = client.get(reverse("report", args=[slug]), {**MARCH, **params})
    assert response.status_code == 200, response.content.decode()[:2000]
    return {t.key: t.rows for t in response.context["report"].tables}, response


# ---- the figures --------------------------------------------------------------------------


def test_requests_received_by_type_agency_and_route(client, month):
    tables, _ = read(client, month.csm, "received")

    assert tables["type"] == [("Information from records", 6),
                              ("Disclosure and Barring Service request", 1),
                              ("Subject access request", 1)]
    assert tables["agency"] == [("Police", 4), ("Disclosure and Barring Service", 1),
                                ("Health", 1), ("Solicitor", 1), ("The subject themselves", 1)]
    assert tables["route"] == [
        ("Ashfield Social Work", 3), ("Mansfield Social Work", 3),
        ("No team (refused at triage or referred outside the council)", 2)]


def test_closed_requests_on_time_or_late_in_working_days(client, month):
    tables, _ = read(client, month.csm, "timeliness")

    assert tables["by_type"] == [
        ("Disclosure and Barring Service request", 0, 1, 0, 0),
        ("Information from records", 1, 0, 0, 100),
        ("Subject access request", 0, 0, 1, "–"),
    ]
    assert tables["how_late"][0] == ("Up to 5 working days late", 1)
    assert sum(n for _, n in tables["how_late"]) == 1
    # Good Friday (3 April) and Easter Monday (6 April) are not working days.
    assert working_days_late(date(2026, 3, 31), date(2026, 4, 7)) == 3


def test_open_and_overdue_now_by_team_and_person(client, month):
    tables, _ = read(client, month.csm, "open-now")

    assert tables["team"] == [("Ashfield Social Work", 2, 1)]
    assert tables["person"] == [("Carol Hennessy", 1, 0), ("Sophie Walker", 1, 1)]


def test_time_in_each_step_from_the_changes_of_state(client, month):
    tables, _ = read(client, month.csm, "time-in-step")

    assert tables["steps"] == [
        ("Received – awaiting triage", 2, 1.5, 2.0),
        ("Awaiting CSM decision", 1, 2.0, 2.0),
        ("With the practitioner", 1, 3.0, 3.0),  # the pause on day 4 does not split it
        ("Information provided", 1, 1.0, 1.0),
    ]


def test_refusals_and_referrals_with_their_reasons(client, month):
    tables, response = read(client, month.ig, "refusals")

    assert sorted(tables["outcomes"]) == [("Decision not to share", 1),
                                          ("Referred outside the council", 1),
                                          ("Refused at triage", 1)]
    rows = {row[0]: row for row in response.context["listing_rows"]}
    assert set(rows) == {month.r5.reference, month.r7.reference, month.r8.reference}
    assert rows[month.r5.reference][3:] == ("Refused at triage",
                                            "Printed files are not sent.", "R-7")
    assert rows[month.r7.reference][3:5] == ("Decision not to share",
                                             "Not necessary for the stated purpose.")
    assert rows[month.r8.reference][3:] == ("Referred outside the council",
                                            "Subject access goes to the SAR team.", "R-4")


def test_packs_and_hard_copies_sent_by_method(client, month):
    tables, _ = read(client, month.csm, "packs")

    assert sorted(tables["methods"]) == [("Cryptshare", 1, 0, 1), ("Post", 0, 1, 1),
                                         ("Secure email", 1, 0, 1)]


# ---- filters and councils -----------------------------------------------------------------


def test_the_team_filter_counts_only_requests_with_that_team(client, month):
    received, _ = read(client, month.csm, "received", team=month.ashfield.pk)
    sent, _ = read(client, month.csm, "packs", team=month.ashfield.pk)

    assert received["type"] == [("Information from records", 3)]
    assert received["route"] == [("Ashfield Social Work", 3)]
    assert sent["methods"] == []


def test_the_dates_filter_by_the_day_received_both_days_included(client, month):
    tables, _ = read(client, month.csm, "received", received_from_0="20", received_to_0="25")
    assert sum(n for _, n in tables["type"]) == 2  # r8 on the 20th, r9 on the 25th

    tables, _ = read(client, month.csm, "packs", received_from_1="12", received_from_2="2025")
    assert ("Post", 1, 1, 2) in tables["methods"]  # the December request's pack now counts


def test_another_councils_figures_never_appear(client, month):
    for slug in ("received", "timeliness", "time-in-step", "refusals", "packs"):
        tables, response = read(client, month.camden_csm, slug)
        for rows in tables.values():  # Camden's one request, and nothing of Nottinghamshire
            assert sum(row[1] for row in rows) <= 1, (slug, tables)
        assert any(row[1] for rows in tables.values() for row in rows), (slug, tables)
        assert month.r1.reference not in response.content.decode()
        assert "Ashfield" not in response.content.decode()


def test_a_team_of_another_council_cannot_be_chosen(client, month):
    client.force_login(month.camden_csm)

    response = client.get(reverse("report", args=["received"]),
                          {**MARCH, "team": month.ashfield.pk})

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert response.context["report"] is None


def test_dates_the_wrong_way_round_are_an_error_on_the_page(client, month):
    client.force_login(month.csm)

    response = client.get(reverse("report", args=["received"]),
                          {**MARCH, "received_to_0": "15", "received_to_1": "2"})

    assert response.status_code == 422, response.content.decode()
    assert ("The last date received must be the same as or after the first date received"
            in response.content.decode())


def test_without_filters_the_last_twelve_months_are_shown(client, month):
    client.force_login(month.csm)

    response = client.get(reverse("report", args=["received"]))

    filters = response.context["filters"]
    assert filters.received_to == timezone.localdate()
    assert (filters.received_to - filters.received_from).days == 364


# ---- who may read them --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["csm", "team_manager", "group_manager", "ig_officer"])
def test_managers_and_information_governance_see_the_reports_and_the_link(client, db, role):
    reader = make_user(make_council("devon"), role=role)
    client.force_login(reader)

    index = client.get(reverse("reports"))
    page = client.get(reverse("report", args=["open-now"]))

    assert index.status_code == 200 and page.status_code == 200
    assert f'href="{reverse("reports")}"' in index.content.decode()
    for spec in index.context["reports"]:
        assert reverse("report", args=[spec.slug]) in index.content.decode()


@pytest.mark.parametrize("role", ["social_worker", "scimt_officer", "business_support"])
def test_a_practitioner_is_refused_with_the_reason_and_sees_no_link(client, month, role):
    user = make_user(month.notts, role=role)
    client.force_login(user)

    for url in (reverse("reports"), reverse("report", args=["received"]),
                reverse("report_csv", args=["received"])):
        response = client.get(url, MARCH)
        assert response.status_code == 403
        assert "Your role is not one of them" in response.content.decode()
        assert "Children&#x27;s Service Manager" in response.content.decode()
    home = client.get(reverse("home"))
    assert f'href="{reverse("reports")}"' not in home.content.decode()


def test_an_unknown_report_is_not_found(client, month):
    client.force_login(month.csm)
    assert client.get(reverse("report", args=["salaries"])).status_code == 404


# ---- the CSV ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["received", "timeliness", "open-now", "time-in-step",
                                  "refusals", "packs"])
def test_the_csv_has_every_figure_of_the_page_and_is_audited(client, month, slug):
    _, page = read(client, month.csm, slug)

    response = client.get(reverse("report_csv", args=[slug]), MARCH)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(body)))
    assert tuple(lines[0]) == CSV_HEADER
    expected = [[t.caption, str(row[0]), column, str(value)]
                for t in page.context["report"].tables for row in t.rows
                for column, value in zip(t.columns[1:], row[1:], strict=True)]
    listing = page.context["report"].listing
    if listing is not None:
        expected += [[listing.caption, str(row[0]), column, str(value)]
                     for row in page.context["listing_rows"]
                     for column, value in zip(listing.columns[1:], row[1:], strict=True)]
    assert lines[1:] == expected
    assert len(expected) > 0
    event = AuditEvent.objects.get(action="report.exported")
    assert event.actor == month.csm
    assert event.council_id == month.notts.pk and event.request_id is None
    assert event.detail["report"] == slug and event.detail["rows"] == len(expected)
    assert event.detail["filters"] == {"received_from": "2026-03-01",
                                       "received_to": "2026-03-31", "team": None,
                                       "team_name": None}


def test_a_csv_cell_typed_by_a_requester_cannot_be_a_formula(client, month):
    month.r5.__class__.objects.filter(pk=month.r5.pk).update(
        route_explanation="=HYPERLINK(\"http://evil\")")
    client.force_login(month.ig)

    response = client.get(reverse("report_csv", args=["refusals"]), MARCH)

    body = b"".join(response.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body


def test_reading_a_report_is_audited_with_its_filters(client, month):
    read(client, month.csm, "received", team=month.ashfield.pk)

    event = AuditEvent.objects.get(action="report.viewed")
    assert event.actor == month.csm and event.detail["report"] == "received"
    assert event.detail["filters"]["team"] == month.ashfield.pk


# ---- bounded queries ----------------------------------------------------------------------


def _grow(month, n):
    """n more requests in March, each with history, a refusal and a pack."""
    for i in range(n):
        day = date(2026, 3, 1 + i % 28)
        request = make_request(month.notts, received_at=at(day), created_by=month.scimt,
                               routed_team=month.ashfield if i % 2 else month.mansfield,
                               allocated_worker=month.sw, state="closed",
                               due_date=day + timedelta(days=20),
                               closed_at=at(day + timedelta(days=10 + i)))
        changes(request, ("", "received", at(day)),
                ("received", "with_worker", at(day + timedelta(days=1))))
        refusal(request, "request.refuse", at(day + timedelta(days=2)))
        month.pack(request, "egress")


# The session, the user and their roles, the policy's council, the filter form's team and the
# read audit (its chain lock and previous hash) come with every page; the rest is the report.
MAX_QUERIES = {"received": 16, "timeliness": 15, "open-now": 16, "time-in-step": 14,
               "refusals": 16, "packs": 15}


@pytest.mark.parametrize("slug", sorted(MAX_QUERIES))
def test_a_report_page_costs_the_same_queries_whatever_the_number_of_requests(
        client, month, slug, django_assert_max_num_queries):
    client.force_login(month.csm)
    url = reverse("report", args=[slug])
    client.get(url, MARCH)  # warm: content types and the like are cached after one read

    with django_assert_max_num_queries(MAX_QUERIES[slug]):
        assert client.get(url, MARCH).status_code == 200
    _grow(month, 30)
    with django_assert_max_num_queries(MAX_QUERIES[slug]):
        assert client.get(url, MARCH).status_code == 200
