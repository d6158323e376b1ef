"""Brighton & Hove's main path in the browser: a 16-year-old's open case with recorded family
wishes goes to the allocated worker (BH-1), who reads the wishes before deciding (BH-4),
tells the young person in their own right before disclosing (BH-6), and closes."""

import re

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


def test_sixteen_year_old_with_family_wishes_decided_disclosed_and_closed(
    page, live_server, demo
):
    switch_user(page, live_server, "bh.scimt")
    assert_accessible(page)
    reference = log_request(
        page, live_server, search="Mia", subject="Mia Jarvis",
        requester="Dr Ruth Adler, Sussex Partnership NHS Foundation Trust",
        request_type="Information from records",
        asked="Details of any safeguarding concerns relevant to a mental health assessment.",
        consent="The subject (or someone on their behalf) has consented",
        consent_evidence="Mia agreed by phone on 20 November 2026.",
    )
    expect(page.locator(".govuk-warning-text")).to_contain_text("BH-4")
    routing = page.locator(".app-routing-panel")
    expect(routing).to_contain_text("Routed to Saskia Dunn, the allocated social worker")
    expect(routing).to_contain_text("BH-1")
    assert_accessible(page)
    page.get_by_role("button", name="Add the case note and forward").click()
    expect(page.locator("h1")).to_contain_text("With the practitioner")

    switch_user(page, live_server, "bh.sw")
    page.get_by_role("link", name=reference).click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("mental health history")
    assert_accessible(page)

    # The family's wishes must be read and considered before the decision (BH-4): the form
    # the council's policy builds asks for it, with the rule and the wishes as its hint.
    take_action(page, "Record decision to share", heading="Record the decision to share")
    expect(page.locator("main form")).to_contain_text("BH-4")
    page.get_by_label("Reasons for the decision").fill(
        "Relevant to the assessment; the mother's health history is left out.")
    page.get_by_role("button", name="Record decision to share").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm you have read the family's wishes")
    assert_accessible(page)
    page.get_by_label("I have read and considered the family's recorded wishes").check()
    submit(page, "Record decision to share", state="With the practitioner")

    # Mia is 16: she is told in her own right before anything is disclosed (BH-6).
    take_action(page, "Record disclosure", heading="Record what was disclosed")
    submit_empty_and_see_errors(page, "Record disclosure", "Enter what information you provided")
    page.get_by_label("What information did you provide?").fill(
        "The dates of the two safeguarding referrals and their outcomes.")
    page.get_by_label("Secure email").check()
    page.get_by_label("Sent to (address or number)").fill("ruth.adler@nhs.net")
    page.get_by_label("I confirmed this address or number with the requester").check()
    page.get_by_role("button", name="Record disclosure").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm the young person has been told")
    expect(page.locator("main form")).to_contain_text("BH-6")
    page.get_by_label("The young person (16 or over) has been told").check()
    submit(page, "Record disclosure", state="Information provided")

    # BH-10: closing asks whether the child asked for anything to be deleted.
    take_action(page, "Close the request")
    page.get_by_role("group", name=re.compile("asked for part of their record to be deleted")
                     ).get_by_label("No").check()
    submit(page, "Close the request", state="Closed")
    expect(page.locator(".moj-timeline")).to_contain_text("told in their own right")
