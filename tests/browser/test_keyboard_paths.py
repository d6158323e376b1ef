"""Keyboard only: business support signs in, opens a text record and redacts a name without a
mouse (WCAG 2.1.1), and every element reached has a visible focus indicator (WCAG 2.4.7)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from fixtures.demo import DEMO_PASSWORD
from requests_app.models import User
from requests_app.services import decisions, documents, packs
from tests.browser.helpers import assert_accessible
from tests.services.conftest import fresh, log_and_triage, open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "Janet Pryce"
TEXT = f"12 January 2026 – The neighbour, {NAME}, reported shouting.\nHome visit next day."

FOCUSED = """() => {
    const el = document.activeElement
    const style = getComputedStyle(el)
    const label = el.labels && el.labels.length ? el.labels[0].textContent : ''
    return {
        id: el.id, name: el.getAttribute('name') || '', tag: el.tagName,
        text: (el.textContent || '').trim().slice(0, 80), label: label.trim(),
        value: el.value || '',
        visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
                 || style.boxShadow !== 'none' || style.backgroundColor === 'rgb(255, 221, 0)',
    }
}"""


def tab_to(page: Page, matches, *, limit: int = 80, backwards: bool = False) -> dict:
    """Press Tab until the focused element matches; every stop must show where focus is."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] != "BODY":
            assert focused["visible"], f"No visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("Tab never reached the element wanted")


def a_text_record_to_redact():
    people = {u.username: u for u in User.objects.filter(username__startswith="bh.")}
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    decisions.record_decision(request, people["bh.sw"], reasons="Relevant to the assessment.")
    packs.ask_for_pack(fresh(request), people["bh.sw"], instructions="The chronology.")
    documents.add_text_record(fresh(request), people["bh.sw"], title="Chronology 2026", text=TEXT)
    return fresh(request)


def test_business_support_redacts_a_name_with_the_keyboard_alone(page, live_server, demo):
    request = a_text_record_to_redact()

    page.goto(live_server.url + reverse("login"))
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type("bh.bs")
    tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(live_server.url + reverse("request_detail", args=[request.reference]))
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Chronology 2026")
    page.keyboard.press("Enter")
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
    tab_to(page, lambda f: f["name"] == "reason")
    for _ in range(12):
        if page.evaluate(FOCUSED)["label"].startswith("TP"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.get_by_label("TP – Third-party information")).to_be_checked()
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Redact")
    page.keyboard.press("Enter")

    expect(page.locator(".app-redacted")).to_have_count(1)
    expect(page.locator(".app-redacted")).to_have_text(NAME)
    assert_accessible(page)


def sign_in_by_keyboard(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("login"))
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type(username)
    tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def follow(page: Page, text: str) -> None:
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill(page: Page, label: str, value: str) -> None:
    tab_to(page, lambda f: f["label"].startswith(label))
    page.keyboard.type(value)


def press_button(page: Page, text: str) -> None:
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_devon_worker_decides_discloses_and_closes_with_the_keyboard_alone(
    page, live_server, demo
):
    """Devon's main path for the practitioner (DEVON-1), every step by Tab, arrows, Space and
    Enter: decide to share, record the disclosure, close."""
    people = {u.username: u for u in User.objects.filter(username__startswith="devon.")}
    case = open_case("devon")
    request = log_and_triage(people["devon.scimt"], case, agency_type="cafcass")
    sign_in_by_keyboard(page, live_server, case.allocated_worker.username)
    page.goto(live_server.url + reverse("request_detail", args=[request.reference]))

    follow(page, "Record decision to share")
    fill(page, "Reasons for the decision", "The Guardian may see the child's file.")
    press_button(page, "Record decision to share")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Record decision to share: done.")

    follow(page, "Record disclosure")
    fill(page, "What information did you provide?", "The case file, third parties redacted.")
    tab_to(page, lambda f: f["name"] == "method")
    for _ in range(8):
        if page.evaluate(FOCUSED)["label"] == "Secure email":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.get_by_label("Secure email")).to_be_checked()
    fill(page, "Sent to (address or number)", "guardian@cafcass.gov.uk.cjsm.net")
    press_button(page, "Record disclosure")
    expect(page.locator("h1 .app-state-tag")).to_have_text("Information provided")

    follow(page, "Close the request")
    press_button(page, "Close the request")
    expect(page.locator("h1 .app-state-tag")).to_have_text("Closed")
    assert_accessible(page)
