"""Playwright fixtures for the browser tests in this folder.

The browser is Debian's chromium (/usr/bin/chromium, `apt-get install chromium`); Playwright's
own browser downloads are never used. The app runs in pytest-django's `live_server`, so a
test that touches the database asks for `transactional_db` (the server thread must see the
rows the test creates). Sign-in and axe helpers are in tests/browser/helpers.py.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an asyncio event loop on the main thread; without this Django
# refuses ORM calls made by the test itself (creating users, checking rows) on that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "artefacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`.")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page for each test.

    axe-core goes in as an init script, which Chromium runs outside the page's
    Content-Security-Policy, so the CSP stays on and any violation of it fails the test.
    """
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE_JS))
    context.set_default_timeout(10_000)
    page = context.new_page()
    csp_violations = []
    page.on(
        "console",
        lambda msg: csp_violations.append(msg.text)
        if msg.type == "error" and "Content Security Policy" in msg.text
        else None,
    )
    yield page
    context.close()
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a full-page screenshot of any browser test that fails (artefacts/browser/)."""
    report = yield
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None and not page.is_closed():
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])
            path = SCREENSHOTS / f"{name}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
                report.sections.append(("browser", f"Screenshot: {path}"))
            except Exception as error:  # a screenshot must never hide the real failure
                report.sections.append(("browser", f"Could not take a screenshot: {error}"))
    return report


@pytest.fixture
def demo(transactional_db):
    """The four councils' demo data (fixtures/demo.py), as a reviewer would click through it."""
    from django.core.management import call_command

    call_command("load_demo", "--quiet")


@pytest.fixture
def task_worker(transactional_db):
    """Start django-tasks-db's own worker in a thread, as `manage.py db_worker` runs it; a
    test calls the returned function when it wants background work to begin."""
    import threading

    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], excluded_queue_names=[], interval=0.2,
                    batch=False, backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id="browser-test")
    threads = []

    def run():
        try:
            worker.run()
        finally:
            connections.close_all()

    def start():
        thread = threading.Thread(target=run, daemon=True, name="db_worker")
        thread.start()
        threads.append(thread)

    yield start
    worker.running = False
    for thread in threads:
        thread.join(timeout=30)
