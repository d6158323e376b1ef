"""Crawl a running Access to Records as each demo user and check every page with axe-core.

    uv run python scripts/axe_crawl.py http://127.0.0.1:8000 notts.sw,devon.ig [pages-per-user]

For each user: signs in with the demo password, follows every link inside the app (one page
per path and set of query parameters, downloads and sign-out skipped), and on each page runs
axe-core (WCAG 2.0-2.2 A and AA, plus best-practice) at 1280 and at 320 CSS pixels and checks
the page does not scroll sideways at 320 (WCAG 1.4.10). Prints each problem and a total; exits
1 if there is any. Run against the demo (scripts/demo); it only reads.
"""

from __future__ import annotations

import re
import sys
import time
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-access-2026"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SKIP = re.compile(r"/accounts/logout|\.csv|\.pdf|/csv|/download|/admin/|/static/|/file/|"
                  r"/letters/\d+/|/oidc/|/reauth|/media/|\.png")
EXTRA = ["/search/?q=Kendrick", "/notifications/", "/reports/", "/audit/", "/requests/new/",
         "/no-such-page/"]
AXE = """async (tags) => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                       resultTypes: ['violations']});
    return r.violations.map(v => `${v.id} [${v.impact}] ` +
        v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def shape(url: str) -> str:
    """A page's path and the names of its query parameters: one visit per shape."""
    parts = urlparse(url)
    return parts.path + "?" + "&".join(sorted(k for k, _ in parse_qsl(parts.query)))


def sign_in(page, base: str, user: str) -> None:
    for _ in range(60):  # the server may still be starting
        try:
            page.goto(base + "/accounts/login/")
            break
        except Exception:  # noqa: BLE001 - connection refused until it listens
            time.sleep(2)
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def check(page, user: str, url: str) -> list[str]:
    problems = []
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 320:
            # What lays itself out after a resize (a chart) gets a moment. Polled from here:
            # wait_for_function evaluates a string in the page, which the CSP forbids.
            for _ in range(15):
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide <= 320:
                    break
                page.wait_for_timeout(100)
            if wide > 320:
                problems.append(f"{user} {url}: {wide} px wide at 320 (WCAG 1.4.10)")
        problems += [f"{user} {url} @{width}: {v}" for v in page.evaluate(AXE, TAGS)]
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def crawl(browser, base: str, user: str, limit: int, axe: str) -> tuple[int, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(axe)
    page = context.new_page()
    sign_in(page, base, user)
    seen, queue, pages, problems = set(), deque([base + "/", *(base + e for e in EXTRA)]), 0, []
    while queue and pages < limit:
        url = queue.popleft()
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        response = page.goto(url, wait_until="load")
        if response is None or "html" not in response.headers.get("content-type", ""):
            continue
        pages += 1
        if response.status >= 500:
            problems.append(f"{user} {url}: HTTP {response.status}")
        problems += check(page, user, url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith(base) and "#" not in href and not SKIP.search(href):
                queue.append(href)
    context.close()
    return pages, problems


def main() -> int:
    base, users = sys.argv[1].rstrip("/"), sys.argv[2].split(",")
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    axe = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
    total, problems = 0, []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             headless=True, args=BROWSER_ARGS)
        for user in users:
            pages, found = crawl(browser, base, user, limit, axe)
            total += pages
            problems += found
            print(f"{user}: {pages} pages", flush=True)
        browser.close()
    print(f"{total} pages checked at 1280 and 320 px; {len(problems)} problems")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
