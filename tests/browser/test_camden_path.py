"""Camden's main path in the browser: an open case goes to the allocated worker (CAMDEN-5),
who records the decision, discloses (parents told first, CAMDEN-2) and closes once the
family has been told what was shared (CAMDEN-7)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_accessible,
    log_request,
    submit,
    submit_empty_and_see_errors,
    switch_user,
    take_action,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_case_goes_to_the_allocated_worker_who_decides_discloses_and_closes(
    page, live_server, demo
):
    switch_user(page, live_server, "camden.scimt")
    assert_accessible(page)
    reference = log_request(
        page, live_server, search="Amelia", subject="Amelia Barker",
        new_requester={
            "Requester's full name": "Dr Asha Mehta",
            "Organisation": "Whittington Hospital safeguarding team",
            "Type of agency": "Health",
            "Email address": "asha.mehta@nhs.net",
            "Secure email address": "asha.mehta@nhs.net",
            "How their identity was established": "Called back via the hospital switchboard",
        },
        request_type="Information from records",
        asked="Whether there is a child protection plan, to plan a safe discharge.",
        lawful_basis="Children Act 1989 s.47; Data Protection Act 2018 Sch 8",
        necessity="The ward needs to know who may collect the child.",
        parents="Parents have been told",
    )
    routing = page.locator(".app-routing-panel")
    expect(routing).to_contain_text("Routed to Selin Aydin, the allocated social worker")
    expect(routing).to_contain_text("CAMDEN-5")
    assert_accessible(page)
    page.get_by_role("button", name="Add the case note and forward").click()
    expect(page.locator("h1")).to_contain_text("With the practitioner")
    expect(page.locator("main")).to_contain_text("Whittington Hospital safeguarding team")

    switch_user(page, live_server, "camden.sw")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("h1")).to_contain_text(reference)
    assert_accessible(page)
    take_action(page, "Record decision to share", heading="Record the decision to share")
    submit_empty_and_see_errors(page, "Record decision to share",
                                "Enter the reasons for the decision")
    page.get_by_label("Reasons for the decision").fill(
        "Necessary for a safe discharge; only the plan and the named contacts.")
    submit(page, "Record decision to share", state="With the practitioner")

    take_action(page, "Record disclosure", heading="Record what was disclosed")
    page.get_by_label("What information did you provide?").fill(
        "That a child protection plan is in place, and who may collect the child.")
    page.get_by_label("Secure email").check()
    page.get_by_label("Sent to (address or number)").fill("asha.mehta@nhs.net")
    page.get_by_label("I confirmed this address or number with the requester").check()
    submit(page, "Record disclosure", state="Information provided")

    # Closing needs the family told what was shared, or why not (CAMDEN-7).
    take_action(page, "Close the request")
    expect(page.locator("main form")).to_contain_text("CAMDEN-7")
    page.get_by_role("button", name="Close the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether the family has been told")
    assert_accessible(page)
    page.get_by_role("group", name="Has the family been told what was shared?").get_by_label(
        "Parents have been told").check()
    submit(page, "Close the request", state="Closed")
    expect(page.locator(".moj-timeline")).to_contain_text("Family told what was shared")
    # Both steps are facts recorded elsewhere (the parents at logging, CAMDEN-2; the family at
    # closing, CAMDEN-7): the council's steps show them done.
    for words in ("Tell the parents, or record the exception.",
                  "Tell the family what was shared."):
        expect(page.get_by_role("listitem").filter(has_text=words)).to_contain_text("Done")
