"""The redaction screen through the test client: selecting text or drawing a box with a reason,
undo, suggestions, every instance with a preview, and who may see or do any of it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from requests_app.models import Pack, Redaction, RejectedSuggestion, RequestState, User
from requests_app.packs import pages
from requests_app.services import decisions, documents, packs, redaction
from tests.services.conftest import (  # noqa: F401 (fixtures shared with the service tests)
    _demo_rows,
    closed_electronic,
    demo,
    fresh,
    log_and_triage,
    open_case,
)
from tests.test_pages import outline

pytestmark = pytest.mark.usefixtures("demo")

SECRET = "Janet Pryce"
RECORD = (f"Referral from {SECRET} on 3 May.\n\nHome visit: {SECRET} was present.\n"
          "Mother's phone 07700 900123.")


# ---- the request, its documents and its people ----------------------------------------------


def person(username: str) -> User:
    """A demo member of staff: person("bh.sw") is Saskia Dunn, Brighton & Hove's worker."""
    return User.objects.get(username=username)


@pytest.fixture
def obj():
    """A Brighton & Hove open case with its allocated worker, Saskia (bh.sw), who may redact."""
    request = log_and_triage(person("bh.scimt"), open_case("brighton_hove"), agency_type="health")
    assert request.state == RequestState.WITH_WORKER
    return decisions.record_decision(request, person("bh.sw"), reasons="Relevant and necessary.")


@pytest.fixture
def worker(client):
    client.force_login(person("bh.sw"))
    return person("bh.sw")


@pytest.fixture
def record(obj):
    return documents.add_text_record(obj, person("bh.sw"), title="Chronology", text=RECORD)


def pdf_upload() -> SimpleUploadedFile:
    data = HTML(string="<p>First page about the family.</p>"
                       "<p style='break-before: page'>Second page mentions Zanzibarine once.</p>"
                ).write_pdf()
    return SimpleUploadedFile("report.pdf", data, content_type="application/pdf")


@pytest.fixture
def pdf(obj):
    return documents.upload_document(obj, person("bh.sw"), title="School report",
                                     upload=pdf_upload())


def url(name, document, **kwargs):
    return reverse(name, kwargs={"reference": document.request.reference, "pk": document.pk,
                                 **kwargs})


def page_of(response) -> str:
    return response.content.decode()


def redact(client, document, **data):
    return client.post(url("redact", document), data)


# ---- the page ------------------------------------------------------------------------------


def test_a_text_record_is_shown_as_spans_covering_the_text_with_redactions_marked(
        client, worker, record):
    redaction.redact_text(record, worker, start=14, end=14 + len(SECRET), reason="TP")

    response = client.get(url("document_detail", record))

    html = page_of(response)
    assert response.status_code == 200
    assert outline(response).h1_count == 1
    assert "Redact: Chronology" in outline(response).title
    spans = re.findall(r'<span data-start="(\d+)"( class="app-redacted" data-code="(\w+)")?>',
                       html)
    assert [int(s[0]) for s in spans][:3] == [0, 14, 14 + len(SECRET)]
    assert spans[1][2] == "TP"
    assert "app/redact.js" in html and 'name="start"' in html
    assert "Type the text to redact instead" in html


def test_a_pdf_page_shows_its_image_page_navigation_and_the_boxes_on_it(client, worker, pdf):
    redaction.redact_box(pdf, worker, page=1, box=(0.1, 0.1, 0.4, 0.2), reason="PD")

    response = client.get(url("document_detail", pdf) + "?page=2")

    html = page_of(response)
    assert response.status_code == 200
    assert url("document_page_image", pdf, page=2) in html
    assert "govuk-pagination" in html and 'aria-current="page"' in html
    assert 'data-code="PD"' in html and 'data-x0="0.10000"' in html
    assert "Enter the box by coordinates" in html
    assert client.get(url("document_detail", pdf) + "?page=3").status_code == 404


def test_the_page_image_is_an_unredacted_png_never_cached(client, worker, pdf):
    response = client.get(url("document_page_image", pdf, page=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\x89PNG")
    assert client.get(url("document_page_image", pdf, page=9)).status_code == 404


# ---- redacting text ------------------------------------------------------------------------


def test_a_selection_with_a_reason_is_redacted_and_the_page_shown_again(client, worker, record):
    response = redact(client, record, start=14, end=14 + len(SECRET), selected_text=SECRET,
                      reason="TP", note="Referrer")

    assert response.status_code == 302
    assert response["Location"] == url("document_detail", record)
    made = Redaction.objects.get(document=record)
    assert (made.text, made.reason, made.note, made.created_by) == (SECRET, "TP", "Referrer",
                                                                    worker)


def test_without_javascript_typed_words_and_an_occurrence_redact_that_occurrence(
        client, worker, record):
    response = redact(client, record, text_to_redact=SECRET, occurrence="2", reason="TP")

    assert response.status_code == 302
    made = Redaction.objects.get(document=record)
    assert made.start == RECORD.index(SECRET, 20) and made.text == SECRET


@pytest.mark.parametrize(("data", "message"), [
    ({"start": "14", "end": "25", "selected_text": SECRET}, "Select why this is being redacted"),
    ({"reason": "TP"}, "Select the text to redact in the record, or type it"),
    ({"start": "5", "end": "5000", "selected_text": "x", "reason": "TP"},
     "The selection runs past the end of the record (102 characters)"),
    ({"start": "9", "end": "3", "selected_text": "x", "reason": "TP"},
     "Select the text to redact, then choose"),
    ({"start": "14", "end": "25", "reason": "TP"},
     "The page was out of date, so nothing was redacted: select the words"),
    ({"start": "17", "end": "28", "selected_text": SECRET, "reason": "TP"},
     "The words selected (‘Janet Pryce’) are not the words at that place in the record "
     "(‘et Pryce on’), so nothing was redacted"),
    ({"text_to_redact": "Nobody Here", "reason": "TP"}, "Those words are not in the record"),
    ({"text_to_redact": SECRET, "occurrence": "3", "reason": "TP"},
     "Those words appear 2 times in the record: enter a number from 1 to 2"),
])
def test_a_bad_redaction_is_refused_with_the_reason_and_nothing_is_made(
        client, worker, record, data, message):
    response = redact(client, record, note="kept note", **data)

    assert response.status_code == 422
    assert message in page_of(response)
    assert "govuk-error-summary" in page_of(response)
    assert 'value="kept note"' in page_of(response)  # what was entered is kept
    assert outline(response).title.startswith("Error: ")
    assert not Redaction.objects.filter(document=record).exists()


# ---- boxes on PDFs -------------------------------------------------------------------------


def test_a_box_drawn_on_a_pdf_page_is_redacted_with_the_text_under_it(client, worker, pdf):
    [(index, boxes)] = pages.find_in_pdf(pdf.file.path, re.compile("Zanzibarine"))
    x0, y0, x1, y1 = boxes[0]

    response = redact(client, pdf, page=index + 1, x0=x0, y0=y0, x1=x1, y1=y1, reason="TP")

    assert response.status_code == 302
    assert response["Location"] == url("document_detail", pdf) + "?page=2"
    made = Redaction.objects.get(document=pdf)
    assert made.page == 1 and "Zanzibarine" in made.text


def test_a_box_can_be_typed_in_percent_instead(client, worker, pdf):
    response = redact(client, pdf, page=1, from_left="10", from_top="20", box_width="50",
                      box_height="5", reason="NR")

    assert response.status_code == 302
    made = Redaction.objects.get(document=pdf)
    assert (made.page, made.x0, made.y0) == (0, 0.1, 0.2)
    assert made.x1 == pytest.approx(0.6) and made.y1 == pytest.approx(0.25)


def test_a_box_needs_a_box_and_a_reason(client, worker, pdf):
    response = redact(client, pdf, page=1, note="kept")

    assert response.status_code == 422
    assert "Draw a box over what should be redacted" in page_of(response)
    assert "Select why this is being redacted" in page_of(response)
    assert not Redaction.objects.exists()


# ---- undo and the log ----------------------------------------------------------------------


def test_undo_takes_a_redaction_off_but_the_log_keeps_it(client, worker, record):
    made = redaction.redact_text(record, worker, start=0, end=8, reason="NR")

    response = client.post(url("redaction_undo", record, rid=made.pk))

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.undone_by == worker and not made.active
    html = page_of(client.get(url("document_detail", record)))
    assert "Undone" in html and "by Saskia Dunn" in html
    assert "app-redacted" not in html
    assert url("redaction_undo", record, rid=made.pk) not in html  # nothing left to undo


def test_a_redaction_of_another_document_cannot_be_undone_from_this_one(
        client, worker, record, pdf):
    made = redaction.redact_text(record, worker, start=0, end=8, reason="NR")

    response = client.post(url("redaction_undo", pdf, rid=made.pk))

    assert response.status_code == 404
    made.refresh_from_db()
    assert made.active


# ---- suggestions ---------------------------------------------------------------------------


def test_suggestions_are_shown_and_can_be_accepted_or_rejected(client, worker, obj):
    document = documents.add_text_record(
        obj, worker, title="Notes", text="NHS number 943 476 5919, phone 07700 900123.")
    found = {s.match.text: s.key for s in redaction.suggestions(document)}

    html = page_of(client.get(url("document_detail", document)))
    assert "943 476 5919" in html and "07700 900123" in html

    accepted = client.post(url("suggestion_accept", document), {"key": found["943 476 5919"]})
    rejected = client.post(url("suggestion_reject", document), {"key": found["07700 900123"]})

    assert accepted.status_code == rejected.status_code == 302
    assert document.redactions.get().text == "943 476 5919"
    assert document.redactions.get().source == Redaction.Source.SUGGESTION
    assert RejectedSuggestion.objects.filter(document=document).count() == 1
    html = page_of(client.get(url("document_detail", document)))
    assert f'value="{found["07700 900123"]}"' not in html


def test_a_suggestion_that_is_gone_is_refused_with_a_message(client, worker, record):
    response = client.post(url("suggestion_accept", record), {"key": "nhs_number::0:3"})

    assert response.status_code == 422
    assert "That suggestion is no longer there" in page_of(response)
    assert not Redaction.objects.exists()


# ---- every instance ------------------------------------------------------------------------


def test_every_instance_is_previewed_then_redacted_on_confirm(client, worker, obj, record):
    other = documents.add_text_record(obj, worker, title="Visit", text=f"Saw {SECRET.upper()}.")
    every = reverse("redact_every_instance", kwargs={"reference": obj.reference})
    inputs = {"term": SECRET, "pattern": "", "documents": [record.pk, other.pk], "reason": "TP"}

    preview = client.post(every, inputs)

    html = page_of(preview)
    assert preview.status_code == 200
    assert "3 matches found" in html and "Redact all 3" in html
    assert html.count('<mark class="app-match">') == 3
    assert not Redaction.objects.exists()  # nothing until confirmed

    confirmed = client.post(every, {**inputs, "confirm": "1"})

    assert confirmed.status_code == 302
    assert Redaction.objects.filter(source="every_instance").count() == 3
    assert {r.document_id for r in Redaction.objects.all()} == {record.pk, other.pk}


def test_every_instance_of_a_pattern_and_no_match_says_so(client, worker, obj, record):
    every = reverse("redact_every_instance", kwargs={"reference": obj.reference})

    found = client.post(every, {"pattern": "##### ######", "documents": [record.pk],
                                "reason": "PD"})
    missing = client.post(every, {"term": "Zebedee", "documents": [record.pk], "reason": "PD"})

    assert "1 match found" in page_of(found) and "07700 900123" in page_of(found)
    assert missing.status_code == 200
    assert "No unredacted matches for ‘Zebedee’" in page_of(missing)
    assert "Redact all" not in page_of(missing)


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": "TP"}, "Enter a name, address or other words to look for, or a pattern"),
    ({"term": "Jan", "pattern": "J*", "reason": "TP"}, "Enter words or a pattern, not both"),
    ({"term": SECRET}, "Select why these are being redacted"),
    ({"pattern": "@@@", "reason": "TP"}, "would match ordinary words"),
])
def test_every_instance_needs_one_thing_to_look_for_and_a_reason(
        client, worker, obj, record, data, message):
    every = reverse("redact_every_instance", kwargs={"reference": obj.reference})

    response = client.post(every, {"documents": [record.pk], **data})

    assert response.status_code == 422
    assert message in page_of(response)


def test_every_instance_link_from_a_document_preselects_it(client, worker, obj, record, pdf):
    every = reverse("redact_every_instance", kwargs={"reference": obj.reference})

    response = client.get(f"{every}?document={record.pk}")

    html = page_of(response)
    assert outline(response).h1_count == 1
    assert re.search(rf'value="{record.pk}"[^>]*checked', html)
    assert not re.search(rf'value="{pdf.pk}"[^>]*checked', html)


# ---- who may see and do it -----------------------------------------------------------------


def every_url(document):
    every = reverse("redact_every_instance", kwargs={"reference": document.request.reference})
    return {
        "get": [url("document_detail", document), url("document_page_image", document, page=1),
                every],
        "post": [url("redact", document), url("redaction_undo", document, rid=1),
                 url("suggestion_accept", document), url("suggestion_reject", document), every],
    }


def test_an_outsider_from_another_council_gets_404_everywhere(client, pdf):
    client.force_login(person("notts.scimt"))

    urls = every_url(pdf)

    for address in urls["get"]:
        assert client.get(address).status_code == 404, address
    for address in urls["post"]:
        assert client.post(address, {"key": "x", "reason": "TP"}).status_code == 404, address


def test_a_document_of_another_request_is_not_found_under_this_one(client, worker, pdf):
    elsewhere = log_and_triage(person("bh.scimt"), open_case("brighton_hove"),
                               agency_type="health")
    address = reverse("document_detail", kwargs={"reference": elsewhere.reference, "pk": pdf.pk})

    assert client.get(address).status_code == 404


def test_an_onlooker_sees_the_page_read_only_and_gets_403_on_every_post(client):
    """Carol approved sharing and the team manager allocated Sophie: Carol can still look."""
    request = log_and_triage(person("notts.scimt"), closed_electronic("nottinghamshire"))
    request = decisions.approve(request, person("notts.csm"), reasons="Specific, with consent.")
    request = decisions.allocate(request, person("notts.tm"), worker=person("notts.sw"))
    document = documents.add_text_record(request, person("notts.sw"), title="Chronology",
                                         text=RECORD)
    client.force_login(person("notts.csm"))

    response = client.get(url("document_detail", document))

    assert response.status_code == 200
    assert "The request is not with you or your team at this step." in page_of(response)
    assert url("redact", document) not in page_of(response)
    assert "suggestion_accept" not in page_of(response)
    for address in every_url(document)["post"]:
        assert client.post(address, {"key": "x", "reason": "TP"}).status_code == 403, address


def test_a_document_in_a_finalised_pack_is_read_only_and_a_post_says_why(
        client, obj, record):
    with_bs = packs.ask_for_pack(fresh(obj), person("bh.sw"), instructions="The chronology.")
    bs = person("bh.bs")
    made = redaction.redact_text(record, bs, start=0, end=8, reason="NR")
    pack = packs.choose_documents(with_bs, bs, documents=[record])
    pack = packs.generate(pack, bs)
    packs.run_generation(pack.pk, str(pack.run_id))
    pack = Pack.objects.get(pk=pack.pk)
    # The record's other suggestions were reviewed and left (finalising asks first).
    packs.finalise(pack, bs, reviewed_pending=sum(n for _, n in packs.pending_suggestions(pack)))
    client.force_login(bs)

    page = client.get(url("document_detail", record))
    post = redact(client, record, start=10, end=20, selected_text=RECORD[10:20], reason="TP")
    undo = client.post(url("redaction_undo", record, rid=made.pk))

    assert "Pack version 1 is finalised" in page_of(page)
    assert url("redact", record) not in page_of(page)
    assert url("redaction_undo", record, rid=made.pk) not in page_of(page)
    for response in (post, undo):
        assert response.status_code == 422
        assert "Pack version 1 is finalised" in page_of(response)
    assert record.redactions.count() == 1 and record.redactions.get().active




# ---- offsets are code points of the stored text ----------------------------------------------

EMOJI_RECORD = ("\U0001F469\u200d\U0001F467\U0001F44D\U0001F3FD\U0001F1EC\U0001F1E7 Seen "
                "JOHN-SECRET-28 today.\r\nZoe\u0308 said \u05e9\u05dc\u05d5\u05dd to Zo\u00e9.")


@pytest.fixture
def emoji_record(obj):
    return documents.add_text_record(obj, person("bh.sw"), title="Emoji", text=EMOJI_RECORD)


def test_offsets_after_emoji_are_code_points_and_redact_exactly_the_selected_words(
        client, worker, emoji_record):
    text = emoji_record.text
    start = text.index("JOHN-SECRET-28")

    response = redact(client, emoji_record, start=start, end=start + 14,
                      selected_text="JOHN-SECRET-28", reason="TP")

    assert response.status_code == 302
    assert Redaction.objects.get(document=emoji_record).text == "JOHN-SECRET-28"


def test_offsets_counted_in_utf16_units_are_refused_not_redacted(client, worker, emoji_record):
    # What the old script posted: the start shifted by one per surrogate pair before it.
    text = emoji_record.text
    start = text.index("JOHN-SECRET-28")
    late = start + sum(1 for c in text[:start] if ord(c) > 0xFFFF)

    response = redact(client, emoji_record, start=late, end=late + 14,
                      selected_text="JOHN-SECRET-28", reason="TP")

    assert response.status_code == 422
    html = page_of(response)
    assert "are not the words at that place in the record" in html
    assert not Redaction.objects.filter(document=emoji_record).exists()
    # The refused offsets are not offered again as the selection.
    assert 'name="start" value=""' in html or re.search(r'name="start"(?! value)', html)
    assert "Nothing selected yet" in html


def test_a_selection_across_a_line_break_matches_whatever_line_ending_the_browser_sent(
        client, worker, emoji_record):
    text = emoji_record.text  # saved with \n
    start, end = text.index("today."), text.index(" said")

    response = redact(client, emoji_record, start=start, end=end,
                      selected_text="today.\r\nZoe\u0308", reason="TP")

    assert response.status_code == 302
    assert Redaction.objects.get(document=emoji_record).text == "today.\nZoe\u0308"


def test_a_selection_that_cuts_an_accent_from_its_letter_is_widened_to_the_whole_letter(
        client, worker, emoji_record):
    start = emoji_record.text.index("Zoe\u0308")

    response = redact(client, emoji_record, start=start, end=start + 3, selected_text="Zoe",
                      reason="TP")

    assert response.status_code == 302
    assert Redaction.objects.get(document=emoji_record).text == "Zoe\u0308"
