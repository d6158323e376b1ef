"""The pages no council's walk-through visits — the lists, search, notifications, reports, the
audit trail and a child's disclosure register — have no axe-core violation of any kind at
1280 and at 320 CSS pixels and do not scroll sideways at 320 (assert_accessible checks both).

The walk-throughs (test_*_path.py) check every page of the request's life the same way."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from requests_app.models import CaseNote, CaseRecord
from requests_app.reports.queries import REPORTS
from tests.browser.helpers import assert_accessible, switch_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, live_server, path: str) -> None:
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)


def test_lists_search_and_notifications_for_a_practitioner(page, live_server, demo):
    switch_user(page, live_server, "notts.sw")
    for view in ("mine", "team", "decide", "overdue", "week", "all"):
        visit(page, live_server, reverse("home") + f"?view={view}")
    visit(page, live_server, reverse("search") + "?q=Ashworth")
    visit(page, live_server, reverse("search") + "?q=Ashwroth")  # a typo still finds her
    visit(page, live_server, reverse("notifications"))


def test_reports_audit_trail_and_a_childs_register_for_information_governance(
    page, live_server, demo
):
    switch_user(page, live_server, "notts.ig")
    visit(page, live_server, reverse("reports"))
    for spec in REPORTS:
        visit(page, live_server, reverse("report", args=[spec.slug]))
    visit(page, live_server, reverse("audit_log"))
    visit(page, live_server, reverse("audit_log") + "?kind=reads")
    child = CaseRecord.objects.filter(council__slug="nottinghamshire",
                                      requests__isnull=False).first()
    visit(page, live_server, reverse("child_register", args=[child.pk]))


def test_correcting_a_request_and_a_note_for_a_practitioner(page, live_server, demo):
    """The correction pages: the child search on the request's correction page is a search
    landmark of its own name (two unnamed search landmarks fail axe's landmark-unique), and a
    note quoted with an email address in it wraps at 320 px rather than widening the page."""
    switch_user(page, live_server, "notts.sw")
    note = CaseNote.objects.filter(request__reference="NOTTS-2026-000003",
                                   text__contains="@").order_by("pk").first()
    assert note is not None, "the demo's request 3 tells the requester who to contact"
    visit(page, live_server, reverse("correct_request", args=[note.request.reference]))
    visit(page, live_server, reverse("correct_note", args=[note.request.reference, note.pk]))
    expect(page.get_by_text(note.text.splitlines()[0][:30])).to_be_visible()
