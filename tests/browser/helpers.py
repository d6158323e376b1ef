"""Helpers for browser tests: sign in as a user, check a page with axe-core."""

import re
import time

from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what public-sector services must meet.
# best-practice brings in "region" (everything inside a landmark) and the like: issue 13
# asks for no violation of any kind.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def sign_in(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the real sign-in form and wait until we have left it."""
    login_url = live_server.url + reverse("login")
    page.goto(login_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(login_url)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


NARROW = 320  # CSS pixels: WCAG 1.4.10 reflow (a 1280 px screen at 400 % zoom)


def assert_accessible(page: Page) -> None:
    """Check the page as it is now at its own width and at 320 CSS pixels: no axe-core
    violation of any kind at either, and no sideways scrolling of the page at 320 (WCAG
    1.4.10). Fails with a readable list of what is wrong.

    axe is injected into every page by the `page` fixture (as an init script, so the
    Content-Security-Policy stays in force while we test).
    """
    _assert_no_violations(page)
    size = page.viewport_size
    page.set_viewport_size({"width": NARROW, "height": size["height"]})
    try:
        wide = settled_width(page, NARROW)
        assert wide <= NARROW, (
            f"{page.url} is {wide} px wide in a {NARROW} px window: it must reflow (WCAG 1.4.10)")
        _assert_no_violations(page)
    finally:
        page.set_viewport_size(size)


def settled_width(page: Page, width: int, *, seconds: float = 2.0) -> int:
    """The page's width once it has had a moment to lay itself out again after a resize (a
    chart's canvas): polled from here, because Playwright's wait_for_function evaluates a
    string in the page, which the Content-Security-Policy forbids (no 'unsafe-eval')."""
    deadline = time.monotonic() + seconds
    while True:
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide <= width or time.monotonic() > deadline:
            return wide
        page.wait_for_timeout(100)


# What Chromium says when axe runs while a click's navigation replaces the document.
_NAVIGATING = ("Execution context was destroyed", "reading 'documentElement'")


def _assert_no_violations(page: Page) -> None:
    for attempt in range(3):
        # A click returns before the page it leads to has loaded: axe must wait for it,
        # or it starts on a document that is going away.
        page.wait_for_load_state("load")
        try:
            violations = _axe_violations(page)
            break
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in str(error) for sign in _NAVIGATING):
                raise
    _report(page, violations)


def _axe_violations(page: Page) -> list[dict]:
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(' '),
                    summary: n.failureSummary,
                })),
            }));
        }""",
        WCAG_TAGS,
    )


def _report(page: Page, violations: list[dict]) -> None:
    if violations:
        lines = [f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"\n- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"]:
                lines.append(f"    at {node['target']}")
                for summary_line in (node["summary"] or "").splitlines():
                    lines.append(f"      {summary_line}")
        raise AssertionError("\n".join(lines))


def switch_user(page: Page, live_server, username: str) -> None:
    """Sign out whoever is signed in, then sign in as a demo user (the same browser context)."""
    from fixtures.demo import DEMO_PASSWORD

    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    sign_in(page, live_server, username, DEMO_PASSWORD)


def open_request(page: Page, live_server, reference: str) -> None:
    page.goto(live_server.url + reverse("request_detail", args=[reference]))
    expect(page.locator("h1")).to_contain_text(reference)


def take_action(page: Page, label: str, *, heading: str | None = None) -> None:
    """Follow an enabled action on the request page to its form, and check the form page."""
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.locator("h1")).to_have_text(heading or label)
    assert_accessible(page)


def submit(page: Page, label: str, *, state: str | None = None) -> None:
    """Submit an action form; back on the request page, check the new state and the page."""
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{label}: done.")
    if state:
        expect(page.locator("h1 .app-state-tag")).to_have_text(state)
    assert_accessible(page)


def submit_empty_and_see_errors(page: Page, label: str, *messages: str) -> None:
    """Submit the form untouched: the GOV.UK error summary lists what is missing."""
    page.get_by_role("button", name=label, exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    for message in messages:
        expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)


def add_child(page: Page, search: str, subject: str) -> None:
    """Type in the child search and add ``subject`` from the results that appear as you type
    (htmx); adding posts the whole form, which comes back with everything kept."""
    page.get_by_label(re.compile("Find the child or young person|Add another child")).fill(
        search)
    add = page.get_by_role("button", name=re.compile(f"^Add {re.escape(subject)}"))
    expect(add).to_be_visible()
    add.click()
    expect(page.locator("#children-added")).to_contain_text(subject)


def log_request(
    page: Page,
    live_server,
    *,
    search: str | None,
    subject: str | None,
    request_type: str,
    asked: str,
    requester: str | None = None,
    new_requester: dict[str, str] | None = None,
    channel: str = "Email",
    consent: str = "No consent",
    consent_evidence: str = "",
    lawful_basis: str = "",
    public_interest: str = "",
    necessity: str = "",
    parents: str = "",
) -> str:
    """Log a new request through the form as the first point of contact; return its reference.

    With ``subject`` None the page is already open with the children added. The search for
    the child and the form (before it is filled in) are checked with axe.
    """
    if subject is not None:
        page.goto(live_server.url + reverse("log_request"))
        expect(page.locator("h1")).to_have_text("Log a new request")
        add_child(page, search, subject)
    assert_accessible(page)
    if requester:
        page.get_by_label("Find someone who has asked before").fill(requester.split(",")[0])
        page.get_by_role("button", name=f"Choose {requester}").click()
        expect(page.locator("#requester-chosen")).to_contain_text(
            requester.split(",")[0])
    for label, value in (new_requester or {}).items():
        if label in ("Type of agency", "Type of requester"):
            kind = page.get_by_label("Type of requester").select_option(label=value)[0]
            # The council's questions for this kind of requester come back in place (htmx).
            expect(page.locator("#intake-questions")).to_have_attribute(
                "data-agency-type", kind)
        else:
            page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("group", name="How did the request arrive?").get_by_label(
        channel, exact=True).check()
    chosen = page.get_by_label("Type of request", exact=True).select_option(label=request_type)
    # The questions the council asks for this type replace the others in place (ADR 0023).
    expect(page.locator("#intake-questions")).to_have_attribute("data-request-type", chosen[0])
    page.get_by_label("What information is asked for").fill(asked)
    # Only the questions this council's policy asks are on the form (NOTTS-0.4 in Notts).
    for question in ("Is the requester working with the child",
                     "Is the request for specific information"):
        group = page.get_by_role("group", name=re.compile(question))
        if group.count():
            group.get_by_label("Yes").check()
    page.get_by_role("group", name="Consent").get_by_label(consent).check()
    if consent_evidence:
        page.get_by_label("Evidence of consent").fill(consent_evidence)
    if lawful_basis:
        page.get_by_label("Lawful basis").fill(lawful_basis)
    if public_interest:
        page.get_by_label("Public interest justification").fill(public_interest)
    if necessity:
        page.get_by_label("Why this is necessary and proportionate").fill(necessity)
    if parents:
        page.get_by_label(parents).check()
    page.get_by_label("I have checked the requester's identity").check()
    page.get_by_role("button", name="Save and check the routing").click()
    expect(page.locator("h1")).to_have_text("Check the routing")
    return page.url.rstrip("/").split("/")[-2]
