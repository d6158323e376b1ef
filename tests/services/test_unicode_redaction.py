"""A third party's name redacted "every instance" appears nowhere in the pack: not in the text,
and not where the pack prints about documents — the index, each record's heading, the cover's
list of what was withheld. Uploaded PDFs are searched the same Unicode-aware way."""

import re

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from requests_app.models import Pack
from requests_app.packs.build import build_pack
from requests_app.redaction.folding import fold
from requests_app.services import decisions, documents, pack_contents, packs, redaction
from tests.packs.factories import all_object_bytes, pdfium_texts, poppler_texts
from tests.services.conftest import fresh, log_and_triage, open_case

pytestmark = pytest.mark.usefixtures("demo")
AUTHOR = "Zoë Hartley"


@pytest.fixture
def with_bs(people):
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    decisions.record_decision(request, people["bh.sw"], reasons="Relevant and necessary.")
    return packs.ask_for_pack(fresh(request), people["bh.sw"], instructions="The reports.")


def pdf_upload(html: str, name="report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, HTML(string=html).write_pdf())


def readable(path) -> str:
    """Everything a recipient can read from the file, folded as the redaction search folds."""
    raw = all_object_bytes(path)
    with pikepdf.open(path) as pdf:
        meta = str(dict(pdf.docinfo)) + str(pdf.open_metadata())
    text = "\n".join(pdfium_texts(path) + poppler_texts(path)
                     + [raw.decode("utf-8", "replace"), raw.decode("utf-16-be", "replace"),
                        raw[1:].decode("utf-16-be", "replace"), meta])
    return " ".join(fold(text).split())


def test_an_authors_name_redacted_everywhere_is_nowhere_in_the_pack(people, with_bs, tmp_path):
    sw, bs = people["bh.sw"], people["bh.bs"]
    report = documents.add_text_record(
        with_bs, sw, title=f"Health visitor report by {AUTHOR}",
        text="Zoe\u0308 Hartley visited on 3 May. ZOË HART\u00adLEY and Zо\u200bë Hartley "
             "(the health visitor) found the home warm.",
        is_third_party=True, author_name="Zoe\u0308 Hartley", author_organisation="Sunnyside",
        author_consent="granted", consent_evidence="Email of 3 May")
    withheld = documents.add_text_record(
        fresh(with_bs), sw, title="Notes by ZOË HARTLEY", text=f"{AUTHOR} wrote these notes.",
        is_third_party=True, author_name=AUTHOR, author_organisation="Sunnyside")
    letter = documents.upload_document(
        fresh(with_bs), sw, title="Letter copied to Zoë\u00a0Hartley",
        upload=pdf_upload("<p>A letter about the family's housing.</p>"))

    made = redaction.redact_every_instance(fresh(with_bs), bs, documents=[report, withheld],
                                           term="Zoe Hartley", reason="TP")
    assert made == 4  # decomposed; soft hyphen; zero-width space and Cyrillic о; the notes
    pack = packs.choose_documents(fresh(with_bs), bs, documents=[report, letter])
    spec = pack_contents.build_spec(pack)
    build_pack(spec, tmp_path / "pack.pdf")

    everything = readable(tmp_path / "pack.pdf")
    assert "hartley" not in everything
    # What stands in its place, where it stood.
    assert "index" in everything and "health visitor report by [tp]" in everything
    assert "letter copied to [tp]" in everything and "author [tp] organisation sunnyside" in (
        everything)
    assert "notes by [tp]" in everything and "third-party material ([tp], sunnyside)" in (
        everything)
    assert [r.code for r in spec.cover.reasons] == ["TP"]


def test_the_printed_fields_name_nothing_redacted_but_keep_everything_else(people, with_bs):
    sw, bs = people["bh.sw"], people["bh.bs"]
    record = documents.add_text_record(with_bs, sw, title="Chronology 12 Oak Road",
                                       text="Visits to 12 Oak Road by Janet Pryce.")
    start = record.text.index("Janet Pryce")
    redaction.redact_text(record, bs, start=start, end=start + 11, expected="Janet Pryce",
                          reason="TP")
    record2 = documents.add_text_record(fresh(with_bs), sw, title="Note",
                                        text="Seen at 12 Oak Road.", author_name="janet pryce")
    redaction.redact_text(record2, bs, start=8, end=19, expected="12 Oak Road", reason="PL")

    pack = packs.choose_documents(fresh(with_bs), bs, documents=[record, record2])
    items = pack_contents.build_spec(pack).items

    assert [(i.title, i.author) for i in items] == [("Chronology [PL]", ""), ("Note", "[TP]")]


def test_a_new_redaction_on_any_of_the_requests_documents_makes_a_ready_pack_stale(
        people, with_bs):
    sw, bs = people["bh.sw"], people["bh.bs"]
    chosen = documents.add_text_record(with_bs, sw, title="Letter from Ann Lee", text="Hello.")
    other = documents.add_text_record(fresh(with_bs), sw, title="Other", text="Ann Lee rang.")
    pack = packs.generate(packs.choose_documents(fresh(with_bs), bs, documents=[chosen]), bs)
    packs.run_generation(pack.pk, str(pack.run_id))
    assert not packs.is_stale(Pack.objects.get(pk=pack.pk))

    redaction.redact_text(other, bs, start=0, end=7, expected="Ann Lee", reason="TP")

    # The chosen record's title now prints as "Letter from [TP]": the pack must be made again.
    assert packs.is_stale(Pack.objects.get(pk=pack.pk))


def test_every_instance_finds_look_alike_spellings_on_an_uploaded_pdf(people, with_bs):
    sw = people["bh.sw"]
    letter = documents.upload_document(with_bs, sw, title="Letter", upload=pdf_upload(
        "<p>Copied to J\u0430ne Smith.</p><p>Also JANE SMITH and Jane Smith’s son.</p>"
        "<p>Not Janet Smithers.</p>"))

    preview = redaction.find_every_instance([letter], term="jane smith")

    found = preview.matches[letter.pk]
    assert [fold(m.text) for m in found] == ["jane smith"] * 3
    assert all(m.page == 0 and m.boxes for m in found)
    assert re.search("J.ne Smith", found[0].text)
