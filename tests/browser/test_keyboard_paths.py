"""Keyboard only (WCAG 2.1.1): logging a request and each council's main path, walked by Tab,
Shift+Tab, arrows, Space, Enter and typing, with no mouse. Every element reached shows where
the focus is (WCAG 2.4.7); on each request page the viewer's own next job is the first thing
reached in the main content, before the page's secondary actions (WCAG 2.4.3); after a form
is sent the focus goes to the error summary or the success banner (WCAG 2.4.3, 3.3.1, 4.1.3).

Earlier steps are set up through the services, as the other browser tests do; each test walks
the decisions that council's own rules ask for by keyboard. Helpers: tests/browser/keyboard.py.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from requests_app.models import CaseRecord, Pack, User
from requests_app.services import decisions, documents, packs
from tests.browser.helpers import assert_accessible
from tests.browser.keyboard import (
    arrow_to,
    button,
    choose_option,
    choose_radio,
    done,
    fill,
    focused,
    follow,
    follow_error,
    link,
    next_job,
    press_button,
    sign_in,
    switch_user,
    tab_stops,
    tab_to,
    tick,
)
from tests.services.conftest import fresh, log, log_and_triage, open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "Janet Pryce"
TEXT = f"12 January 2026 – The neighbour, {NAME}, reported shouting.\nHome visit next day."


def people(prefix: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__startswith=f"{prefix}.")}


def open_request(page, live_server, reference: str) -> None:
    page.goto(live_server.url + reverse("request_detail", args=[reference]))
    expect(page.locator("h1")).to_contain_text(reference)


# ---- logging a request -------------------------------------------------------------------


def test_nottinghamshire_front_door_logs_a_request_with_the_keyboard_alone(
    page, live_server, demo
):
    """Nottinghamshire's SCIMT logs Jo Kerr's request about Lily Kendrick and forwards it
    (NOTTS-0.4, NOTTS-1.2): the child and the requester are found by typing (htmx) and chosen
    by Tab and Enter, the focus staying where the person is (WCAG 2.4.3); a forgotten answer
    brings the error summary, whose link leads to the field (WCAG 3.3.1)."""
    sign_in(page, live_server, "notts.scimt")
    follow(page, "Log a request")
    expect(page.locator("h1")).to_have_text("Log a new request")

    # Type part of the name: the records appear as you type. Enter searches where you are;
    # it does not post the page and lose your place.
    tab_to(page, lambda f: f["id"] == "id_subjects")
    page.keyboard.type("Lily Ke")
    expect(page.locator("#child-results")).to_contain_text("1 record matches")
    posted = []

    def on_request(r):
        if r.method == "POST":
            posted.append(r.url)

    page.on("request", on_request)
    with page.expect_response(lambda r: reverse("log_request_children") in r.url):
        page.keyboard.press("Enter")
    page.remove_listener("request", on_request)
    assert not posted and focused(page)["id"] == "id_subjects"
    tab_to(page, button("Add Lily Kendrick, born 2 February 2003"), limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#children-added")).to_contain_text("Lily Kendrick")
    # The page comes back with the focus in the search, ready for a brother or sister.
    expect(page.get_by_label("Add another child, for example a brother or sister")
           ).to_be_focused()

    tab_to(page, lambda f: f["id"] == "id_existing_requester")
    page.keyboard.type("Kerr")
    expect(page.locator("#requester-results")).to_contain_text("Jo Kerr")
    tab_to(page, button("Choose Jo Kerr, Derbyshire County Council"), limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#requester-chosen")).to_contain_text("Derbyshire County Council")
    expect(page.get_by_role("button", name="Change the requester")).to_be_focused()

    choose_radio(page, "channel", "Email")
    # With JavaScript the questions follow the type by themselves: no "Update questions".
    expect(page.get_by_role("button", name="Update questions")).to_be_hidden()
    choose_option(page, "Type of request", "Information from records")
    # The questions Nottinghamshire asks for that type come in place (htmx, ADR 0023), and
    # the focus stays on the drop-down.
    expect(page.locator("#intake-questions")).to_have_attribute(
        "data-request-type", "information")
    assert focused(page)["tag"] == "SELECT"
    # What is asked for is forgotten: Tab passes it by.
    choose_radio(page, "working_with_subject", "Yes")
    choose_radio(page, "specific_information", "Yes")
    choose_radio(page, "consent", "No consent")
    fill(page, "Lawful basis", "Children Act 1989 s.47")
    fill(page, "Public interest justification",
         "The child has moved to Derbyshire; the assessment needs the history.")
    tick(page, "I have checked the requester's identity")
    press_button(page, "Save and check the routing")

    field = follow_error(page, "Enter what information is asked for")
    assert field["id"] == "id_information_sought"
    assert_accessible(page)
    page.keyboard.type(
        "Whether the family was known between 2015 and 2019, for a transfer-in assessment.")
    # Everything chosen before the error is still there.
    expect(page.locator("#children-added")).to_contain_text("Lily Kendrick")
    expect(page.get_by_label("I have checked the requester's identity")).to_be_checked()
    press_button(page, "Save and check the routing")

    expect(page.locator("h1")).to_have_text("Check the routing")
    expect(page.locator(".app-routing-panel")).to_contain_text(
        "Routed to the CSM of Broxtowe DCPT")
    press_button(page, "Add the case note and forward")
    expect(page.locator("h1")).to_contain_text("Awaiting CSM decision")
    expect(page.get_by_text("There is nothing for you to do on this request now.")).to_be_visible()


# ---- Nottinghamshire ---------------------------------------------------------------------


def test_what_was_typed_before_the_page_could_search_is_searched_when_it_can(
    page, live_server, demo
):
    """htmx loads after the page: a name typed before it listens is searched for as soon as
    it starts, without another key (issue 12 item 1, the typed input kept)."""
    sign_in(page, live_server, "notts.scimt")
    page.route("**/htmx-2.min.js", lambda route: route.abort())  # not yet loaded
    page.goto(live_server.url + reverse("log_request"))
    htmx = page.locator("script[src*='htmx-2.min.js']").get_attribute("src")
    tab_to(page, lambda f: f["id"] == "id_subjects")
    page.keyboard.type("Lily Ke")
    expect(page.locator("#child-results")).not_to_contain_text("record")
    page.unroute("**/htmx-2.min.js")

    page.add_script_tag(url=live_server.url + htmx)  # htmx arrives

    expect(page.locator("#child-results")).to_contain_text("1 record matches")
    expect(page.locator("#id_subjects")).to_be_focused()


def test_nottinghamshire_path_from_csm_approval_to_hard_copies_with_the_keyboard_alone(
    page, live_server, demo
):
    """Nottinghamshire's main path after triage, each person by keyboard: the DCPT's CSM
    approves sharing (NOTTS-1.2), the DCPT's team manager allocates, the worker re-verifies
    identity and discloses (NOTTS-1.2.2) and asks for hard copies, the same CSM approves them
    (NOTTS-2), business support sends them by Cryptshare. WCAG 2.1.1, 2.4.3, 2.4.7, 3.3.1."""
    staff = people("notts")
    lily = CaseRecord.objects.get(council__slug="nottinghamshire", last_name="Kendrick")
    request = log_and_triage(staff["notts.scimt"], lily, agency_type="other_council")
    reference = request.reference

    sign_in(page, live_server, "notts.dcpt.csm")
    follow(page, "For my decision (1)")
    follow(page, reference)
    next_job(page, "Approve sharing", heading="Approve sharing information")
    fill(page, "Reasons for the decision",
         "Necessary for the transfer-in assessment; proportionate to the risk.")
    done(page, "Approve sharing", state="Awaiting allocation")

    switch_user(page, live_server, "notts.tm2")
    open_request(page, live_server, reference)
    next_job(page, "Allocate a worker")
    choose_option(page, "Social worker", "Simon Wright")
    done(page, "Allocate a worker", state="With the practitioner")

    switch_user(page, live_server, "notts.sw2")
    open_request(page, live_server, reference)
    next_job(page, "Record disclosure", heading="Record what was disclosed")
    fill(page, "What information did you provide?",
         "Dates of involvement 2015–2019 and the outcome of the 2018 assessment.")
    choose_radio(page, "method", "Cryptshare")
    fill(page, "Sent to (address or number)", "jo.kerr@derbyshire.gov.uk")
    tick(page, "I confirmed this address or number")
    press_button(page, "Record disclosure")
    field = follow_error(page, "Confirm you have verified the requester's identity")
    assert field["label"].startswith("I have verified the requester's identity again")
    page.keyboard.press("Space")
    done(page, "Record disclosure", state="Information provided")

    # The banner has the focus: Tab goes on to the worker's jobs, closing first (the main
    # one), then asking for hard copies (NOTTS-2).
    next_job(page, "Ask for hard copies", heading="Ask the CSM to approve hard copies",
             after="Close the request")
    fill(page, "Documents asked for, one per line",
         "Strategy discussion minutes, 12 March 2018\nChild and family assessment, April 2018")
    done(page, "Ask for hard copies", state="Hard copies awaiting CSM approval")

    switch_user(page, live_server, "notts.dcpt.csm")
    open_request(page, live_server, reference)
    next_job(page, "Approve hard copies")
    fill(page, "Reasons", "Both documents are needed for the assessment.")
    done(page, "Approve hard copies", state="Hard copies approved – to send")

    switch_user(page, live_server, "notts.bs")
    open_request(page, live_server, reference)
    next_job(page, "Send hard copies", heading="Record that the hard copies were sent")
    choose_radio(page, "method", "Cryptshare")
    fill(page, "Address they are sent to", "jo.kerr@derbyshire.gov.uk")
    tick(page, "I have confirmed this address with the requester")
    done(page, "Send hard copies", state="Information provided")
    expect(page.locator(".moj-timeline")).to_contain_text("approved by Dev Patel")


# ---- Devon ---------------------------------------------------------------------------------


def test_devon_worker_decides_discloses_and_closes_with_the_keyboard_alone(
    page, live_server, demo
):
    """Devon's main path for the practitioner (DEVON-1), every step by Tab, arrows, Space and
    Enter: decide to share, record the disclosure, close. WCAG 2.1.1, 2.4.3, 2.4.7."""
    staff = people("devon")
    case = open_case("devon")
    request = log_and_triage(staff["devon.scimt"], case, agency_type="cafcass")
    sign_in(page, live_server, case.allocated_worker.username)
    open_request(page, live_server, request.reference)

    next_job(page, "Record decision to share", heading="Record the decision to share")
    fill(page, "Reasons for the decision", "The Guardian may see the child's file.")
    done(page, "Record decision to share")

    next_job(page, "Record disclosure", heading="Record what was disclosed")
    fill(page, "What information did you provide?", "The case file, third parties redacted.")
    choose_radio(page, "method", "Secure email")
    fill(page, "Sent to (address or number)", "guardian@cafcass.gov.uk.cjsm.net")
    tick(page, "I confirmed this address or number")
    done(page, "Record disclosure", state="Information provided")

    next_job(page, "Close the request")
    done(page, "Close the request", state="Closed")
    assert_accessible(page)


# ---- Camden --------------------------------------------------------------------------------


def test_camden_path_from_triage_to_closure_with_the_keyboard_alone(page, live_server, demo):
    """Camden's main path by keyboard: the front door triages and forwards an open case to the
    allocated worker (CAMDEN-5), who records the decision, discloses by secure email and
    closes once the family has been told what was shared (CAMDEN-7), finding the question
    from the error summary. WCAG 2.1.1, 2.4.3, 2.4.7, 3.3.1."""
    staff = people("camden")
    request = log(staff["camden.scimt"], open_case("camden"), agency_type="health",
                  parents_informed="informed",
                  necessity_note="The ward needs to know who may collect the child.")
    reference = request.reference

    sign_in(page, live_server, "camden.scimt")
    open_request(page, live_server, reference)
    next_job(page, "Triage and forward this request", heading="Check the routing")
    expect(page.locator(".app-routing-panel")).to_contain_text("CAMDEN-5")
    press_button(page, "Add the case note and forward")
    expect(page.locator("h1 .app-state-tag")).to_have_text("With the practitioner")

    switch_user(page, live_server, "camden.sw")
    follow(page, reference)
    # Tab order follows the page: the worker's main job, the other offers beside it, the
    # request's details, then the side column's secondary links.
    stops = [f["text"] for f in tab_stops(page, until=link("Add a case note")) if f["in_main"]]
    assert stops[0] == "Record decision to share", stops
    assert (stops.index("Ask business support to prepare the pack")
            < stops.index("How this date was worked out") < stops.index("Add a case note"))
    tab_to(page, link("Record decision to share"), backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    fill(page, "Reasons for the decision",
         "Necessary for a safe discharge; only the plan and the named contacts.")
    done(page, "Record decision to share", state="With the practitioner")

    next_job(page, "Record disclosure", heading="Record what was disclosed")
    fill(page, "What information did you provide?",
         "That a child protection plan is in place, and who may collect the child.")
    choose_radio(page, "method", "Secure email")
    fill(page, "Sent to (address or number)", "asha.mehta@nhs.net")
    tick(page, "I confirmed this address or number")
    done(page, "Record disclosure", state="Information provided")

    next_job(page, "Close the request")
    press_button(page, "Close the request")
    field = follow_error(page, "Select whether the family has been told")
    assert field["name"] == "family_informed_after", field
    arrow_to(page, "Parents have been told")
    done(page, "Close the request", state="Closed")
    expect(page.locator(".moj-timeline")).to_contain_text("Family told what was shared")
    assert_accessible(page)


# ---- Brighton & Hove -----------------------------------------------------------------------


def a_text_record_to_redact():
    staff = people("bh")
    request = log_and_triage(staff["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    decisions.record_decision(request, staff["bh.sw"], reasons="Relevant to the assessment.")
    packs.ask_for_pack(fresh(request), staff["bh.sw"], instructions="The chronology.")
    documents.add_text_record(fresh(request), staff["bh.sw"], title="Chronology 2026",
                              text=TEXT)
    return fresh(request)


def test_business_support_redacts_and_prepares_the_pack_with_the_keyboard_alone(
    page, live_server, demo, task_worker
):
    """Brighton & Hove's business support, by keyboard: redacts a name in a text record (BH-5)
    by arrows and Shift+arrows with the reason chosen by a radio, then chooses the record for
    the pack, generates it and finalises it. While the pack is generated the page updates
    itself without taking the focus away, and when it is ready the focus is on its status.
    WCAG 2.1.1, 2.4.3, 2.4.7."""
    request = a_text_record_to_redact()

    sign_in(page, live_server, "bh.bs")
    open_request(page, live_server, request.reference)
    follow(page, "Chronology 2026")
    expect(page.locator("h1")).to_contain_text("Redact: Chronology 2026")
    assert_accessible(page)

    # Into the record; the caret to the start, then before the name, then Shift+Right over it.
    tab_to(page, lambda f: f["id"] == "record")
    page.keyboard.press("Control+Home")
    for _ in range(TEXT.index(NAME)):
        page.keyboard.press("ArrowRight")
    for _ in range(len(NAME)):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#selection-status")).to_have_text(f"Selected: ‘{NAME}’")
    # Typing in the record changes nothing: it is read-only.
    page.keyboard.press("End")
    page.keyboard.type("xyz")
    expect(page.locator("#record")).not_to_contain_text("xyz")
    expect(page.locator("#selection-status")).to_have_text(f"Selected: ‘{NAME}’")

    # The reasons are radios: Tab into the group, arrow to third-party information, Space.
    choose_radio(page, "reason", "TP – Third-party information")
    tab_to(page, button("Redact"))
    page.keyboard.press("Enter")
    expect(page.locator(".app-redacted")).to_have_count(1)
    expect(page.locator(".app-redacted")).to_have_text(NAME)
    assert_accessible(page)

    # Back to the request's documents; the pack, business support's next job, is above them.
    tab_to(page, link(f"Back to {request.reference}"), backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, link("Prepare the disclosure pack"), backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Disclosure pack")
    tick(page, "Chronology 2026")
    press_button(page, "Save the choice")
    expect(page.locator(".govuk-notification-banner--success")).to_be_focused()
    press_button(page, "Generate the pack")
    expect(page.locator("#pack-progress")).to_contain_text("Waiting to be generated")

    # The panel is swapped every second while it waits: the focus stays on its link.
    tab_to(page, link("Refresh"))
    with page.expect_response(lambda r: "/progress" in r.url):
        pass
    page.wait_for_timeout(100)  # the swap follows the response
    assert focused(page)["text"] == "Refresh", focused(page)

    task_worker()  # the background worker picks the run up; the page reloads when it ends
    status = page.locator("#pack-status")
    expect(status).to_contain_text("Ready to check", timeout=60_000)
    expect(status).to_be_focused()
    assert focused(page)["visible"]
    pending = sum(n for _, n in packs.pending_suggestions(Pack.objects.get(request=request)))
    if pending:
        tick(page, f"I have reviewed the {pending} suggestion")
    press_button(page, "I have checked it: finalise version 1")
    expect(status).to_contain_text("Finalised")
    assert_accessible(page)


def test_brighton_hove_path_decision_pack_second_check_and_post_with_the_keyboard_alone(
    page, live_server, demo
):
    """Brighton & Hove's main path by keyboard: the worker reads the family's wishes before
    deciding (BH-4, found from the error summary) and asks business support for the pack;
    a second person second-checks the finalised pack (BH-8) and business support posts it to
    a confirmed address (BH-8); the worker closes, answering BH-10. WCAG 2.1.1, 2.4.3, 2.4.7,
    3.3.1."""
    staff = people("bh")
    mia = CaseRecord.objects.get(council__slug="brighton_hove", first_name="Mia",
                                 last_name="Jarvis")
    request = log_and_triage(staff["bh.scimt"], mia, agency_type="health")
    reference = request.reference

    sign_in(page, live_server, "bh.sw")
    open_request(page, live_server, reference)
    next_job(page, "Record decision to share", heading="Record the decision to share")
    fill(page, "Reasons for the decision",
         "Relevant to the assessment; the mother's health history is left out.")
    press_button(page, "Record decision to share")
    field = follow_error(page, "Confirm you have read the family's wishes")
    assert field["label"].startswith("I have read and considered the family's recorded wishes")
    page.keyboard.press("Space")
    done(page, "Record decision to share", state="With the practitioner")

    next_job(page, "Ask business support to prepare the pack", after="Record disclosure")
    fill(page, "Instructions for business support", "The 2026 chronology.")
    done(page, "Ask business support to prepare the pack")

    # Business support's redaction is the test above; here the pack is made and finalised.
    document = documents.add_text_record(fresh(request), staff["bh.bs"],
                                         title="Chronology 2026", text=TEXT)
    pack = packs.choose_documents(fresh(request), staff["bh.bs"], documents=[document])
    pack = packs.generate(pack, staff["bh.bs"])
    packs.run_generation(pack.pk, str(pack.run_id))
    packs.finalise(Pack.objects.get(pk=pack.pk), staff["bh.bs"])

    # A second person of business support checks the finalised pack on its page (BH-8).
    switch_user(page, live_server, "bh.bs2")
    open_request(page, live_server, reference)
    next_job(page, "Open the disclosure pack", heading="Disclosure pack", after="Send the pack")
    press_button(page, "Record my second check (BH-8)")
    expect(page.locator(".govuk-notification-banner--success")).to_be_focused()
    expect(page.locator("main")).to_contain_text("Second check")

    switch_user(page, live_server, "bh.bs")
    open_request(page, live_server, reference)
    next_job(page, "Send the pack", heading="Send the finalised disclosure pack")
    choose_radio(page, "method", "Post")
    fill(page, "Sent to", "Dr Ruth Adler, Sussex Partnership, Hove BN3 7HZ")
    tick(page, "I have confirmed this address is correct for the requester")
    tick(page, "The young person (16 or over) has been told")  # Mia is 16 (BH-6)
    done(page, "Send the pack", state="Information provided")

    switch_user(page, live_server, "bh.sw")
    open_request(page, live_server, reference)
    next_job(page, "Close the request")
    choose_radio(page, "deletion_requested", "No")
    done(page, "Close the request", state="Closed")
    assert_accessible(page)

