"""Keyboard-only helpers for browser tests: Tab, Shift+Tab, arrows, Space, Enter and typing,
never a mouse click, `.click()` or `.fill()` (WCAG 2.1.1).

Every stop `tab_to` passes must show where the focus is (WCAG 2.4.7); `next_job` checks that
the first thing reached in a request page's main content is the viewer's own next job (WCAG
2.4.3: the focus order follows the page's order, the job before the secondary actions); `done`
and `follow_error` check where the focus goes after a form is sent (WCAG 2.4.3, 3.3.1).
"""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from fixtures.demo import DEMO_PASSWORD

FOCUSED = """() => {
    const el = document.activeElement
    const style = getComputedStyle(el)
    const label = el.labels && el.labels.length ? el.labels[0].textContent : ''
    return {
        id: el.id, name: el.getAttribute('name') || '', tag: el.tagName,
        text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
        label: label.trim(), value: el.value || '', checked: !!el.checked,
        selected: el.tagName === 'SELECT' ? el.selectedOptions[0]?.text.trim() || '' : '',
        classes: el.className || '', in_main: !!el.closest('main'),
        visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
                 || style.boxShadow !== 'none' || style.backgroundColor === 'rgb(255, 221, 0)',
    }
}"""


def focused(page: Page) -> dict:
    """What has the focus now: its tag, id, name, text, label, value and whether it shows."""
    return page.evaluate(FOCUSED)


def tab_to(page: Page, matches, *, limit: int = 80, backwards: bool = False) -> dict:
    """Press Tab until the focused element matches; every stop must show where focus is."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if now["tag"] != "BODY":
            assert now["visible"], f"No visible focus on {now}"
        if matches(now):
            return now
    raise AssertionError("Tab never reached the element wanted")


def link(text: str):
    return lambda f: f["tag"] == "A" and f["text"] == text


def button(text: str):
    return lambda f: f["tag"] == "BUTTON" and f["text"] == text


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("login"))
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type(username)
    tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def switch_user(page: Page, live_server, username: str) -> None:
    """Sign out by the header's button (Tab, Enter), then sign in as ``username``."""
    if page.get_by_role("button", name="Sign out").count():
        page.goto(live_server.url + reverse("home"))
        tab_to(page, button("Sign out"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    sign_in(page, live_server, username)


def follow(page: Page, text: str) -> None:
    """Tab to the link with this text and press Enter."""
    tab_to(page, link(text))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill(page: Page, label: str, value: str) -> None:
    """Tab to the field whose label starts with ``label`` and type ``value``."""
    tab_to(page, lambda f: f["label"].startswith(label))
    page.keyboard.type(value)


def press_button(page: Page, text: str) -> None:
    """Tab to the button and press Enter (it sends its form: wait for the next page)."""
    tab_to(page, button(text))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tab_stops(page: Page, until) -> list[dict]:
    """Every element Tab stops at, in order, up to the one ``until`` matches."""
    stops = []
    tab_to(page, lambda f: stops.append(f) or until(f))
    return stops


def arrow_to(page: Page, label: str) -> None:
    """In a group of radios that has the focus, arrow down to ``label`` and press Space."""
    for _ in range(12):
        if focused(page)["label"] == label:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    now = focused(page)
    assert now["label"] == label and now["checked"], f"{label} is not chosen: {now}"


def choose_radio(page: Page, name: str, label: str) -> None:
    """Tab into a group of radios, arrow down to ``label`` and press Space."""
    tab_to(page, lambda f: f["name"] == name)
    arrow_to(page, label)


def tick(page: Page, label: str) -> None:
    """Tab to a check box and press Space."""
    tab_to(page, lambda f: f["label"].startswith(label))
    page.keyboard.press("Space")
    assert focused(page)["checked"], f"{label} is not ticked"


def choose_option(page: Page, label: str, option: str) -> None:
    """Tab to a drop-down and arrow down through it (closed) until ``option`` is chosen."""
    tab_to(page, lambda f: f["tag"] == "SELECT" and f["label"].startswith(label))
    for _ in range(40):
        if focused(page)["selected"] == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{option} is not among the choices for {label}")


def next_job(page: Page, label: str, *, heading: str | None = None, after: str = "") -> None:
    """On a request page just loaded: the first thing Tab reaches in the main content is the
    viewer's own next job (after the skip link, or after the success banner that has the
    focus), or ``after`` when ``label`` is one of the other offers beside it; Enter follows
    ``label`` to its form."""
    banner = page.locator(".govuk-notification-banner--success")
    if not banner.count():
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Skip to main content", focused(page)
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    now = focused(page)
    first = after or label
    assert now["tag"] == "A" and now["text"] == first and "govuk-button" in now["classes"], (
        f"The first stop in the page is {now}, not the next job {first!r}")
    assert now["visible"], f"No visible focus on {now}"
    if after:
        now = tab_to(page, link(label), limit=4)
        assert "govuk-button" in now["classes"], now
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(heading or label)


def done(page: Page, label: str, *, state: str | None = None) -> None:
    """Send the action's form with its button; back on the request page the success banner
    has the focus, so it is read out and Tab carries on from it (WCAG 4.1.3, 2.4.3)."""
    press_button(page, label)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"{label}: done.")
    expect(banner).to_be_focused()
    if state:
        expect(page.locator("h1 .app-state-tag")).to_have_text(state)


def follow_error(page: Page, message: str) -> dict:
    """The error summary has the focus when the page comes back (GOV.UK Frontend), its title
    says so, and following the message's link by keyboard puts the focus in the field to fix
    (WCAG 3.3.1, 2.4.3). Returns the field now focused."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Error: "))
    tab_to(page, link(message), limit=20)
    page.keyboard.press("Enter")
    # Polled from here: wait_for_function would evaluate a string in the page, which the
    # Content-Security-Policy forbids once it has to poll.
    for _ in range(50):
        if not page.evaluate("document.activeElement.matches('a, body')"):
            break
        page.wait_for_timeout(100)
    now = focused(page)
    assert now["visible"], f"No visible focus on {now}"
    return now
