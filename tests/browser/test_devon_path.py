"""Devon's main path in the browser: a CAFCASS public law request on an open case goes
straight to the allocated social worker (DEVON-1), who decides, discloses and closes."""

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


def test_cafcass_public_law_request_goes_to_the_allocated_worker_who_discloses(
    page, live_server, demo
):
    switch_user(page, live_server, "devon.scimt")
    assert_accessible(page)
    reference = log_request(
        page, live_server, search="Ashworth", subject="Amelia Ashworth",
        requester="Emma Rowe, Cafcass",
        request_type="CAFCASS – public law (Children's Guardian)",
        asked="The child's case file for the Children's Guardian's analysis.",
        consent="Not applicable (statutory duty or court order)",
        lawful_basis="Children Act 1989 s.42",
    )
    routing = page.locator(".app-routing-panel")
    expect(routing).to_contain_text("Routed to Sian Trelawny, the allocated social worker")
    expect(routing).to_contain_text("DEVON-1")
    assert_accessible(page)
    page.get_by_role("button", name="Add the case note and forward").click()
    expect(page.locator("h1")).to_contain_text("With the practitioner")
    assert_accessible(page)

    switch_user(page, live_server, "devon.sw")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("h1")).to_contain_text(reference)
    assert_accessible(page)
    take_action(page, "Record decision to share", heading="Record the decision to share")
    submit_empty_and_see_errors(page, "Record decision to share",
                                "Enter the reasons for the decision")
    page.get_by_label("Reasons for the decision").fill(
        "The Children's Guardian may see and have copies of the child's file (DEVON-1).")
    submit(page, "Record decision to share", state="With the practitioner")
    expect(page.locator("main")).to_contain_text("Sharing information: Approved by Sian Trelawny")

    take_action(page, "Record disclosure", heading="Record what was disclosed")
    page.get_by_label("What information did you provide?").fill(
        "The case file, with third-party details redacted.")
    page.get_by_label("Secure email").check()
    page.get_by_label("Sent to (address or number)").fill("emma.rowe@cafcass.gov.uk.cjsm.net")
    # ALL-6: the address is confirmed before sending; the worker says so, nothing assumes it.
    page.get_by_role("button", name="Record disclosure").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm the address or number")
    expect(page.get_by_label("Sent to (address or number)")).to_have_value(
        "emma.rowe@cafcass.gov.uk.cjsm.net")
    assert_accessible(page)
    page.get_by_label("I confirmed this address or number with the requester").check()
    submit(page, "Record disclosure", state="Information provided")

    take_action(page, "Close the request")
    submit(page, "Close the request", state="Closed")
    open_request(page, live_server, reference)
    expect(page.locator(".moj-timeline")).to_contain_text("Request closed.")
