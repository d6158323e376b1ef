"""Selecting words in a text record full of emoji, combining marks and right-to-left text
redacts exactly those words: the browser counts UTF-16 units, the server code points, and the
page converts between them. Checked on the Redaction rows and in the built pack's text. A
screenshot of the redaction screen is kept (artefacts/browser/redact-unicode.png)."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from requests_app.models import Pack, User
from requests_app.redaction.folding import fold
from requests_app.services import decisions, documents, packs
from tests.browser.helpers import assert_accessible, open_request, switch_user
from tests.browser.test_redaction_and_pack import select_in_record
from tests.services.conftest import fresh, log_and_triage, open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "browser"

NAME = "JOHN SECRETNAME-28"
HEBREW_NAME = "\u05d9\u05d5\u05e1\u05d9 \u05db\u05d4\u05df"  # Yossi Cohen, right to left
# Three emoji (one a ZWJ family of five code points, one with a skin tone) before anything:
# each astral character is two UTF-16 units but one code point.
RECORD = (
    "\U0001F469\u200d\U0001F467\u200d\U0001F466\U0001F389\U0001F44D\U0001F3FD Visit on 3 May.\n"
    f"Neighbour {NAME} visited today; the caf\u00e9 owner Zoe\u0308 Ray saw him.\n"
    f"\u05d4\u05e9\u05db\u05df {HEBREW_NAME} \u05d4\u05d2\u05d9\u05e2 \u05d1\u05e2\u05e8\u05d1. "
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645.\n"
    "The children were well \U0001F600."
)


def approved_request_with_record():
    people = {u.username: u for u in User.objects.filter(username__startswith="bh.")}
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    decisions.record_decision(request, people["bh.sw"], reasons="Relevant to the assessment.")
    packs.ask_for_pack(fresh(request), people["bh.sw"], instructions="The visit note.")
    documents.add_text_record(fresh(request), people["bh.sw"], title="Visit note",
                              text=RECORD)
    return fresh(request), people["bh.bs"]


def redact_selection(page, words, shown=None):
    select_in_record(page, words)
    expect(page.locator("#selection-status")).to_contain_text(shown or words)
    page.get_by_label("TP – Third-party information").check()
    page.get_by_role("button", name="Redact", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Redacted (TP)")


def test_selecting_names_among_emoji_accents_and_rtl_text_redacts_exactly_those_words(
    page, live_server, demo
):
    request, bs = approved_request_with_record()
    record = request.documents.get(title="Visit note")
    switch_user(page, live_server, "bh.bs")
    open_request(page, live_server, request.reference)
    page.get_by_role("link", name="Visit note", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Redact: Visit note")

    redact_selection(page, NAME)
    redact_selection(page, HEBREW_NAME)
    # Selecting "Zoe" without the combining diaeresis after it takes the whole letter "ë".
    redact_selection(page, "Zoe", shown="Zoe\u0308")

    made = {r.text: (r.start, r.end) for r in record.redactions.all()}
    for words in (NAME, HEBREW_NAME, "Zoe\u0308"):
        start = RECORD.index(words)
        assert made.pop(words) == (start, start + len(words))
    assert not made
    expect(page.locator(".app-redacted")).to_have_count(3)
    assert_accessible(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "redact-unicode.png"), full_page=True)

    # The pack keeps every word around the redactions and none of the redacted ones.
    pack = packs.choose_documents(fresh(request), bs, documents=[record])
    pack = packs.generate(pack, bs)
    packs.run_generation(pack.pk, str(pack.run_id))
    pack = Pack.objects.get(pk=pack.pk)
    assert pack.status == Pack.Status.READY
    text = subprocess.run(["pdftotext", pack.file.path, "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(fold(text).split())
    assert "neighbour [tp] visited today; the cafe owner [tp] ray saw him." in flat
    for gone in (NAME, "SECRETNAME", HEBREW_NAME, "\u05d9\u05d5\u05e1\u05d9", "Zoe\u0308"):
        assert fold(gone) not in flat
    assert fold("\u05d4\u05e9\u05db\u05df") in flat and "visit on 3 may." in flat
