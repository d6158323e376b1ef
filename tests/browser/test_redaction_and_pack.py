"""Business support opens an approved request, redacts a name in a text record and draws a box
over it on an uploaded PDF, generates the pack in the background while the page shows its
progress, downloads it, and the downloaded file holds no redacted text. The pack's pages are
kept as PNG artefacts (artefacts/browser/pack-*.png)."""

import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect
from weasyprint import HTML

from requests_app.models import Pack, User
from requests_app.packs import pages
from requests_app.services import decisions, documents, packs
from tests.browser.helpers import assert_accessible, open_request, switch_user
from tests.services.conftest import fresh, log_and_triage, open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "browser"
NAME = "Janet Pryce"
PLATE = "WX19 KLM"


def approved_request_with_documents():
    """A Brighton & Hove request the worker decided to share and passed to business support,
    with a chronology and a police letter to redact."""
    people = {u.username: u for u in User.objects.filter(username__startswith="bh.")}
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    decisions.record_decision(request, people["bh.sw"], reasons="Relevant to the assessment.")
    packs.ask_for_pack(fresh(request), people["bh.sw"], instructions="Chronology and letter.")
    documents.add_text_record(
        fresh(request), people["bh.sw"], title="Chronology 2026",
        text=f"12 January 2026 – The neighbour, {NAME}, reported shouting.\n"
             "2 February 2026 – Home visit; the children were well.")
    letter = HTML(string=f"<h1>Police letter</h1><p>Informant: {NAME} of Hove.</p>"
                  "<p>Officers attended and gave advice to the family.</p>").write_pdf()
    documents.upload_document(fresh(request), people["bh.sw"], title="Police letter",
                              upload=SimpleUploadedFile("letter.pdf", letter))
    return fresh(request)


def select_in_record(page, text):
    """Select `text` in the record the way a mouse selection would, for redact.js to read."""
    page.evaluate("""(needle) => {
        const record = document.getElementById('record')
        for (const span of record.querySelectorAll('span')) {
            const node = span.firstChild
            const at = node ? node.textContent.indexOf(needle) : -1
            if (at >= 0) {
                const range = document.createRange()
                range.setStart(node, at)
                range.setEnd(node, at + needle.length)
                const selection = window.getSelection()
                selection.removeAllRanges()
                selection.addRange(range)
                return
            }
        }
        throw new Error('not found: ' + needle)
    }""", text)


def draw_box(page, fractions):
    """Drag across the page image over the given fractions of the page (x0, y0, x1, y1)."""
    box = page.locator(".app-page__image").bounding_box()
    x0, y0, x1, y1 = fractions
    page.mouse.move(box["x"] + (x0 - 0.01) * box["width"], box["y"] + (y0 - 0.01) * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + (x1 + 0.01) * box["width"], box["y"] + (y1 + 0.01) * box["height"],
                    steps=8)
    page.mouse.up()


def test_business_support_redacts_generates_watches_progress_and_downloads_a_clean_pack(
    page, live_server, demo, task_worker
):
    request = approved_request_with_documents()
    letter = request.documents.get(title="Police letter")
    [(_, name_boxes)] = pages.find_in_pdf(letter.file.path, re.compile(NAME))

    switch_user(page, live_server, "bh.bs")
    open_request(page, live_server, request.reference)
    assert_accessible(page)

    # A name in the text record: select it, give the reason.
    page.get_by_role("link", name="Chronology 2026", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Redact: Chronology 2026")
    assert_accessible(page)
    select_in_record(page, NAME)
    expect(page.locator("#selection-status")).to_contain_text(NAME)
    page.get_by_label("TP – Third-party information").check()
    page.get_by_role("button", name="Redact", exact=True).click()
    expect(page.locator(".app-redacted")).to_have_count(1)
    expect(page.locator("table")).to_contain_text(NAME)

    # The same name on the uploaded PDF: draw a box over it.
    page.get_by_role("link", name=f"Back to {request.reference}").click()
    page.get_by_role("link", name="Police letter", exact=True).click()
    expect(page.locator(".app-page__image")).to_be_visible()
    assert_accessible(page)
    for fractions in name_boxes:
        draw_box(page, fractions)
    expect(page.locator("#box-status")).not_to_contain_text("No box drawn")
    page.get_by_label("TP – Third-party information").check()
    page.get_by_role("button", name="Redact", exact=True).click()
    expect(page.locator("table")).to_contain_text("page 1")

    # The pack: choose both, generate, watch the progress, download.
    page.get_by_role("link", name=f"Back to {request.reference}").click()
    page.get_by_role("region", name="Your next job").get_by_role(
        "link", name="Prepare the disclosure pack").click()
    page.get_by_label("Chronology 2026").check()
    page.get_by_label("Police letter").check()
    page.get_by_role("button", name="Save the choice").click()
    page.get_by_role("button", name="Generate the pack").click()
    expect(page.locator("progress")).to_be_visible()
    expect(page.locator("#pack-progress")).to_contain_text("Waiting to be generated")
    assert_accessible(page)
    task_worker()  # the background worker picks the run up; the page updates itself
    expect(page.locator("#pack-status")).to_contain_text(
        "Ready to check", timeout=60_000)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Download .*-pack-v1\.pdf")).click()
    pdf_path = ARTEFACTS / f"{request.reference}-pack-v1.pdf"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    download.value.save_as(pdf_path)

    # Nothing redacted can be read back, by either extractor; the rest is still there.
    by_poppler = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True,
                                text=True, check=True).stdout
    by_pdfium = "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(pdf_path))
    for text in (by_poppler, by_pdfium):
        assert NAME not in text and "Janet" not in text
        assert "reported shouting" in text and "OFFICIAL-SENSITIVE" in text
    pack = Pack.objects.get(request=request)
    assert pack.status == Pack.Status.READY and pack.sha256

    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf_path), str(ARTEFACTS / "pack")],
                   check=True)
    assert list(ARTEFACTS.glob("pack-*.png"))

    # Suggestions neither accepted nor rejected are confirmed before finalising.
    pending = sum(n for _, n in packs.pending_suggestions(pack))
    if pending:
        expect(page.locator("#pending-suggestions")).to_be_visible()
        page.get_by_label(re.compile(rf"I have reviewed the {pending} suggestions? not yet "
                                     "accepted or rejected and finalise anyway")).check()
    page.get_by_role("button", name="I have checked it: finalise version 1").click()
    expect(page.locator("#pack-status")).to_contain_text("Finalised")
