"""Helpers for browser tests: sign in as a user, check a page with axe-core."""

from django.urls import reverse
from playwright.sync_api import Page, expect

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what public-sector services must meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def sign_in(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the real sign-in form and wait until we have left it."""
    login_url = live_server.url + reverse("login")
    page.goto(login_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(login_url)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now and fail with a readable list of violations.

    axe is injected into every page by the `page` fixture (as an init script, so the
    Content-Security-Policy stays in force while we test).
    """
    violations = page.evaluate(
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
    if violations:
        lines = [f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"\n- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"]:
                lines.append(f"    at {node['target']}")
                for summary_line in (node["summary"] or "").splitlines():
                    lines.append(f"      {summary_line}")
        raise AssertionError("\n".join(lines))
