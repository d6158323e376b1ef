"""Ways a request ends without information being shared, in the browser: a Nottinghamshire
CSM refuses (with reasons, having told the requester), and a subject access request is
referred to the council's SAR team (ALL-4) and closed."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_accessible,
    log_request,
    open_request,
    submit,
    submit_empty_and_see_errors,
    switch_user,
    take_action,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_csm_refuses_with_reasons_after_telling_the_requester(page, live_server, demo):
    switch_user(page, live_server, "notts.scimt")
    reference = log_request(
        page, live_server, search="Chambers", subject="Isla Chambers",
        requester="Mark Ellis, Ofsted", request_type="Information from records",
        asked="The full history of the family's involvement with children's social care.",
        public_interest="Ofsted says it is considering a childminder's registration.",
    )
    routing = page.locator(".app-routing-panel")
    expect(routing).to_contain_text("Routed to the CSM of Mansfield Children's Social Work Team")
    expect(routing).to_contain_text("NOTTS-1.2")
    page.get_by_role("button", name="Add the case note and forward").click()
    expect(page.locator("h1")).to_contain_text("Awaiting CSM decision")

    switch_user(page, live_server, "notts.csm")
    open_request(page, live_server, reference)
    assert_accessible(page)
    take_action(page, "Refuse", heading="Refuse the request")
    submit_empty_and_see_errors(page, "Refuse", "Enter the reasons for refusing",
                                "Confirm that you have told the requester")
    page.get_by_label("Reasons for refusing").fill(
        "A full history is not proportionate; Ofsted should ask for specific information.")
    page.get_by_label("I have told the requester about this decision").check()
    submit(page, "Refuse", state="Refused")
    expect(page.locator("main")).to_contain_text("Sharing information: Refused by Carol Hennessy")
    expect(page.locator(".moj-timeline")).to_contain_text("The requester has been told.")


def test_subject_access_request_is_referred_to_the_sar_team_and_closed(
    page, live_server, demo
):
    switch_user(page, live_server, "notts.scimt")
    reference = log_request(
        page, live_server, search="Isla", subject="Isla Chambers",
        new_requester={
            "Requester's full name": "Kim Chambers",
            "Organisation": "Parent",
            "Type of agency": "Parent or carer",
            "Phone number": "07700 900123",
        },
        request_type="Subject access request",
        asked="Everything the council holds about my daughter.",
        consent="The subject (or someone on their behalf) has consented",
        consent_evidence="Signed request form with proof of parental responsibility.",
    )
    routing = page.locator(".app-routing-panel")
    expect(routing).to_contain_text("Referred to the Complaints and Information Team")
    expect(routing).to_contain_text("ALL-4")
    assert_accessible(page)
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator("h1")).to_contain_text(f"{reference} Referred elsewhere")
    expect(page.locator(".moj-timeline")).to_contain_text("It waits with Complaints and "
                                                          "Information Team")
    expect(page.get_by_text("There is nothing for you to do on this request now.")).to_be_visible()
    assert_accessible(page)

    # The referral lands in the access to information officer's queue, who takes it on.
    switch_user(page, live_server, "notts.ati")
    open_request(page, live_server, reference)
    assert_accessible(page)
    take_action(page, "Take on this referral")
    submit(page, "Take on this referral", state="Closed")
