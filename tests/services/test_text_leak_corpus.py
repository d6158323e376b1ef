"""The text-record leak corpus (tests/packs/text_corpus.py) through the services the screens use:
each planted name is first shown to be readable in its source and in a pack built without
redactions, then redacted (every instance, or by selection offsets) — and no route recovers it
from the pack: not the text, not the title, author or organisation printed in the index, the
record's heading or the cover."""

import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from requests_app.models import Redaction
from requests_app.packs.build import build_pack
from requests_app.services import decisions, documents, pack_contents, packs, redaction
from tests.packs.text_corpus import build_corpus, flat, in_source, recovered
from tests.services.conftest import fresh, log_and_triage, open_case

pytestmark = pytest.mark.usefixtures("demo")
ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "packs"
CORPUS = build_corpus()
NAMES = [p.canonical for case in CORPUS for p in case.planted]


@pytest.fixture
def request_with_corpus(people):
    """A Brighton & Hove request with business support preparing the pack, and one text
    record per corpus case, its author and organisation recorded as written."""
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    decisions.record_decision(request, people["bh.sw"], reasons="Relevant and necessary.")
    request = packs.ask_for_pack(fresh(request), people["bh.sw"], instructions="All of it.")
    records = [
        documents.add_text_record(
            fresh(request), people["bh.sw"], title=case.title, text=case.text,
            is_third_party=True, author_name=case.author, author_organisation=case.organisation,
            author_consent="granted", consent_evidence="Email of 3 May")
        for case in CORPUS
    ]
    return fresh(request), records


def pack_of(request, user, records, path: Path) -> Path:
    pack = packs.choose_documents(request, user, documents=records)
    build_pack(pack_contents.build_spec(pack), path)
    return path


def test_the_corpus_covers_every_spelling_and_context():
    keys = " ".join(case.key for case in CORPUS)
    for kind in ("decomposed", "soft hyphen", "zero-width space", "Cyrillic", "emoji",
                 "combining marks", "right to left"):
        assert kind in keys
    assert len(set(NAMES)) == len(NAMES) == 2 * len(CORPUS)


def test_every_planted_name_is_in_its_source_and_readable_in_an_unredacted_pack(
        people, request_with_corpus, tmp_path):
    # Without this, the leak tests below could pass because the readers cannot read emoji,
    # right-to-left text or a variant spelling at all.
    request, records = request_with_corpus
    for case, record in zip(CORPUS, records, strict=True):
        assert in_source(case) == {case.person.canonical: ["text", "title", "author"],
                                   case.place.canonical: ["text", "organisation"]}
        assert record.text == case.text and record.author_name == case.author.strip()
    path = pack_of(request, people["bh.bs"], records, tmp_path / "unredacted.pdf")
    found = recovered(path, NAMES)
    assert set(found) == set(NAMES)
    assert all({"pdftotext", "pdfium"} <= set(routes) for routes in found.values())


def test_every_instance_leaves_no_planted_name_anywhere_in_the_pack(
        people, request_with_corpus, tmp_path):
    request, records = request_with_corpus
    bs = people["bh.bs"]
    for case, record in zip(CORPUS, records, strict=True):
        for planted in case.planted:
            preview = redaction.find_every_instance([record], term=planted.canonical)
            # Both spellings in the text: the variant and the one typed as the term.
            assert preview.count == 2, (case.key, planted.canonical)
            redaction.redact_every_instance(request, bs, documents=[record],
                                            term=planted.canonical, reason="TP")
    path = pack_of(request, bs, records, tmp_path / "every-instance.pdf")
    # Pages kept for a person to look at (artefacts/ is not committed).
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "4", str(path),
                    str(ARTEFACTS / "text-corpus")], check=True)

    assert recovered(path, NAMES) == {}
    text = flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout)
    assert "letter from [tp]" in text and "referred by [tp] after a call." in text


def test_selected_offsets_leave_no_planted_name_anywhere_in_the_pack(
        people, request_with_corpus, tmp_path):
    request, records = request_with_corpus
    bs = people["bh.bs"]
    for case, record in zip(CORPUS, records, strict=True):
        for planted in case.planted:
            for written in {planted.written, planted.canonical}:
                # Each place the words stand, as a selection there would post it.
                start = case.text.find(written)
                while start != -1:
                    made = redaction.redact_text(record, bs, start=start,
                                                 end=start + len(written), expected=written,
                                                 reason="TP")
                    assert made.text == written
                    start = case.text.find(written, start + 1)
    path = pack_of(request, bs, records, tmp_path / "selected.pdf")

    assert recovered(path, NAMES) == {}


def test_an_uploaded_files_name_is_never_stored_or_printed(people, request_with_corpus,
                                                           tmp_path):
    request, _ = request_with_corpus
    name = "Zo\u0308e Ashcombeqzz"
    letter = HTML(string="<p>A letter about the family.</p>").write_pdf()
    document = documents.upload_document(request, people["bh.sw"], title="Letter",
                                         upload=SimpleUploadedFile(f"{name}.pdf", letter))

    stored = [document.title, document.file.name, document.author_name,
              document.author_organisation]
    assert not any(flat("Ashcombeqzz") in flat(value) for value in stored)
    path = pack_of(fresh(request), people["bh.bs"], [document], tmp_path / "upload.pdf")
    assert recovered(path, [name]) == {}
    assert not Redaction.objects.filter(document=document).exists()
