"""Nottinghamshire's main path in the browser, walked by each person in turn.

A closed case whose last team (Broxtowe) no longer exists goes to the CSM of Broxtowe DCPT
(NOTTS-1.2); that CSM approves, the DCPT's team manager allocates, the worker re-verifies
identity and discloses, asks for hard copies, the same CSM approves them (NOTTS-2), business
support sends them by Cryptshare to a confirmed address, and the worker closes the request.
"""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from requests_app.models import CaseRecord
from tests.browser.helpers import (
    add_child,
    assert_accessible,
    log_request,
    open_request,
    submit,
    submit_empty_and_see_errors,
    switch_user,
    take_action,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closed_case_of_defunct_team_from_triage_to_hard_copies_and_closure(
    page, live_server, demo
):
    # SCIMT logs the request: an empty form first, to see the GOV.UK error summary.
    switch_user(page, live_server, "notts.scimt")
    expect(page.locator("h1")).to_have_text("My work")
    assert_accessible(page)
    page.get_by_role("link", name="Log a request").click()
    expect(page.locator("h1")).to_have_text("Log a new request")
    assert_accessible(page)
    submit_empty_and_see_errors(
        page, "Save and check the routing",
        "Search for and add the child or young person the request is about",
        "Enter the requester's full name", "Select the type of request",
    )
    # Lily has a brother: both are found by typing, added one search after the other, and
    # nothing typed before is lost. He is not part of this request after all: Remove.
    lily = CaseRecord.objects.get(council__slug="nottinghamshire", last_name="Kendrick")
    CaseRecord.objects.create(council=lily.council, reference="NO999001", first_name="Jake",
                              last_name="Kendrick", date_of_birth=date(2012, 4, 3))
    page.get_by_label("What information is asked for").fill("Typed before the search")
    add_child(page, "Lily Ke", "Lily Kendrick")
    add_child(page, "Jake", "Jake Kendrick")
    chosen = page.locator("#children-added")
    expect(chosen).to_contain_text("Lily Kendrick")
    expect(chosen).to_contain_text("Jake Kendrick")
    expect(page.get_by_label("What information is asked for")).to_have_value(
        "Typed before the search")
    page.get_by_role("button", name="Remove Jake Kendrick").click()
    expect(page.locator("#children-added")).not_to_contain_text("Jake")
    reference = log_request(
        page, live_server, search=None, subject=None,
        requester="Jo Kerr, Derbyshire County Council",
        request_type="Information from records",
        asked="Whether the family was known between 2015 and 2019, for a transfer-in "
              "assessment.",
        public_interest="The child has moved to Derbyshire; the assessment needs the history.",
        lawful_basis="Children Act 1989 s.47",
    )
    routing = page.locator(".app-routing-panel")
    expect(routing).to_contain_text("Routed to the CSM of Broxtowe DCPT")
    expect(routing).to_contain_text("NOTTS-1.2")
    expect(routing).to_contain_text("no longer exists")
    assert_accessible(page)
    page.get_by_role("button", name="Add the case note and forward").click()
    expect(page.locator("h1")).to_contain_text("Awaiting CSM decision")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Dev Patel")
    # SCIMT has forwarded it and steps back: no buttons, the decision is not theirs.
    expect(page.get_by_text("There is nothing for you to do on this request now.")).to_be_visible()
    expect(page.locator("#why-approve")).to_have_count(0)
    assert_accessible(page)

    # The CSM of another team cannot even see it (NOTTS-1.2.1 names the DCPT's CSM).
    switch_user(page, live_server, "notts.csm")
    response = page.goto(live_server.url + reverse("request_detail", args=[reference]))
    assert response.status == 404
    assert_accessible(page)

    # Broxtowe DCPT's CSM approves, after trying once without reasons.
    switch_user(page, live_server, "notts.dcpt.csm")
    page.get_by_role("link", name="For my decision (1)").click()
    page.get_by_role("link", name=reference).click()
    expect(page.locator("h1")).to_contain_text(reference)
    assert_accessible(page)
    take_action(page, "Approve sharing", heading="Approve sharing information")
    submit_empty_and_see_errors(page, "Approve sharing", "Enter the reasons for the decision")
    page.get_by_label("Reasons for the decision").fill(
        "Necessary for the transfer-in assessment; proportionate to the risk.")
    submit(page, "Approve sharing", state="Awaiting allocation")

    # The DCPT's team manager allocates the DCPT's social worker.
    switch_user(page, live_server, "notts.tm2")
    open_request(page, live_server, reference)
    assert_accessible(page)
    take_action(page, "Allocate a worker")
    submit_empty_and_see_errors(page, "Allocate a worker", "Select the social worker to allocate")
    page.get_by_label("Social worker").select_option(label="Simon Wright")
    submit(page, "Allocate a worker", state="With the practitioner")

    # The worker must verify the requester's identity again before disclosing (NOTTS-1.2.2).
    switch_user(page, live_server, "notts.sw2")
    open_request(page, live_server, reference)
    assert_accessible(page)
    take_action(page, "Record disclosure", heading="Record what was disclosed")
    expect(page.locator("main form")).to_contain_text("NOTTS-1.2.2")
    submit_empty_and_see_errors(page, "Record disclosure", "Enter what information you provided",
                                "Select how the information was provided")
    page.get_by_label("What information did you provide?").fill(
        "Dates of involvement 2015–2019 and the outcome of the 2018 assessment.")
    page.get_by_label("Cryptshare").check()
    page.get_by_label("Sent to (address or number)").fill("jo.kerr@derbyshire.gov.uk")
    page.get_by_label("I confirmed this address or number with the requester").check()
    page.get_by_role("button", name="Record disclosure").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm you have verified the requester's identity")
    assert_accessible(page)
    page.get_by_label("I have verified the requester's identity again").check()
    submit(page, "Record disclosure", state="Information provided")
    expect(page.locator(".moj-timeline")).to_contain_text("Identity re-verified")

    # The worker asks for hard copies for the CSM who approved the sharing (NOTTS-2).
    take_action(page, "Ask for hard copies", heading="Ask the CSM to approve hard copies")
    submit_empty_and_see_errors(page, "Ask for hard copies", "List the documents asked for")
    page.get_by_label("Documents asked for, one per line").fill(
        "Strategy discussion minutes, 12 March 2018\nChild and family assessment, April 2018")
    submit(page, "Ask for hard copies", state="Hard copies awaiting CSM approval")

    # Nobody but that CSM is offered the approval (NOTTS-2): not the worker, not SCIMT, and
    # another CSM cannot even see the request.
    expect(page.get_by_role("link", name="Approve hard copies")).to_have_count(0)
    switch_user(page, live_server, "notts.scimt")
    open_request(page, live_server, reference)
    expect(page.get_by_role("link", name="Approve hard copies")).to_have_count(0)
    assert_accessible(page)
    switch_user(page, live_server, "notts.csm")
    response = page.goto(live_server.url + reverse("act", args=[reference,
                                                               "approve_hard_copies"]))
    assert response.status == 404

    # The same CSM approves the hard copies.
    switch_user(page, live_server, "notts.dcpt.csm")
    open_request(page, live_server, reference)
    take_action(page, "Approve hard copies")
    submit_empty_and_see_errors(page, "Approve hard copies", "Enter the reasons for the decision")
    page.get_by_label("Reasons").fill("Both documents are needed for the assessment.")
    submit(page, "Approve hard copies", state="Hard copies approved – to send")

    # Business support sends them by Cryptshare to a confirmed address.
    switch_user(page, live_server, "notts.bs")
    open_request(page, live_server, reference)
    assert_accessible(page)
    take_action(page, "Send hard copies", heading="Record that the hard copies were sent")
    submit_empty_and_see_errors(page, "Send hard copies", "Select how the copies are sent",
                                "Enter the address")
    page.get_by_label("Cryptshare").check()
    page.get_by_label("Address they are sent to").fill("jo.kerr@derbyshire.gov.uk")
    page.get_by_label("I have confirmed this address with the requester").check()
    submit(page, "Send hard copies", state="Information provided")
    expect(page.locator(".moj-timeline")).to_contain_text("approved by Dev Patel")

    # The worker closes the request.
    switch_user(page, live_server, "notts.sw2")
    open_request(page, live_server, reference)
    take_action(page, "Close the request")
    page.get_by_label("Closing note (optional)").fill("Information and hard copies provided.")
    submit(page, "Close the request", state="Closed")
    expect(page.get_by_text("There is nothing for you to do on this request now.")).to_be_visible()
