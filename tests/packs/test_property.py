"""For random records and random PDFs, no word chosen for redaction can be read from the pack,
however it is written (look-alike letters, decomposed accents, invisible characters) and
whatever surrounds it (emoji, right-to-left text, combining marks)."""

import itertools
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from requests_app.packs.build import build_pack
from requests_app.packs.spec import ImageItem, PackSpec, PdfItem, TextItem, TextSpan
from requests_app.redaction.folding import fold
from tests.packs.factories import (
    all_object_bytes,
    boxes_for,
    make_cover,
    make_words_pdf,
    pdfium_texts,
    poppler_texts,
)
from tests.packs.leak_corpus import CASES, make, recover, secret_for
from tests.packs.test_leaks import count_red

PLAIN = st.sampled_from(
    ["lorem", "ipsum", "dolor", "amet", "sed", "magna", "tempor", "labore", "minim", "veniam"]
)
# Secret words are unique per example (a counter), so finding one in the pack is a leak and
# never an innocent repeat of the same word elsewhere.
_counter = itertools.count()


# Around the words: emoji (astral, with a ZWJ and a skin tone), right-to-left words and
# letters with combining marks, so offsets and rendering are tested beyond plain ASCII.
EXOTIC = st.sampled_from(["\U0001F469\u200d\U0001F467", "\U0001F44D\U0001F3FD",
                          "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
                          "cafe\u0301", "nai\u0308ve"])


@st.composite
def written(draw, token):
    """`token` as it might be written: plain, or with a look-alike letter, a decomposed
    accent, or an invisible character inside it. Spans cover what is written."""
    how = draw(st.sampled_from(["plain", "soft hyphen", "zero-width", "cyrillic", "accent"]))
    if how == "soft hyphen":
        return token[:2] + "\u00ad" + token[2:]
    if how == "zero-width":
        return token[:3] + draw(st.sampled_from(["\u200b", "\u200d", "\u2060"])) + token[3:]
    if how == "cyrillic":
        return token.replace("e", "\u0435", 1)  # Cyrillic е
    if how == "accent":
        return token.replace("e", "e\u0308", 1)  # decomposed ë
    return token


@st.composite
def record(draw):
    words = draw(st.lists(st.one_of(PLAIN, PLAIN, EXOTIC), min_size=1, max_size=30))
    secrets = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    text, spans, hidden = "", [], []
    for word, secret in zip(words, secrets, strict=True):
        if secret:
            token = f"Qsec{next(_counter)}x"
            as_written = draw(written(token))
            spans.append(TextSpan(len(text), len(text) + len(as_written), "TP"))
            hidden.append(token)
            text += as_written
        else:
            text += word
        text += draw(st.sampled_from([" ", " ", "\n", ", "]))
    return TextItem("Record", text, tuple(spans)), hidden


@st.composite
def pdf_pages(draw):
    pages = draw(st.lists(st.lists(PLAIN, min_size=1, max_size=20), min_size=1, max_size=3))
    secrets = []
    for words in pages:
        for _ in range(draw(st.integers(0, 2))):
            token = f"SEC{next(_counter)}X"  # upper case: drawn in red
            words.insert(draw(st.integers(0, len(words))), token)
            secrets.append(token)
    return pages, secrets


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(record(), max_size=3), pdf=pdf_pages())
def test_no_redacted_word_is_extractable_from_a_random_pack(records, pdf):
    pages, pdf_secrets = pdf
    with tempfile.TemporaryDirectory() as tmp:
        source = make_words_pdf(Path(tmp) / "source.pdf", pages)
        boxes = boxes_for(source, pdf_secrets)
        items = [item for item, _ in records] + [PdfItem("Upload", str(source), boxes)]
        hidden = [token for _, tokens in records for token in tokens] + pdf_secrets
        build_pack(PackSpec(make_cover(), tuple(items)), Path(tmp) / "pack.pdf")

        pack = Path(tmp) / "pack.pdf"
        texts = "\n".join(pdfium_texts(pack) + poppler_texts(pack))
        raw = all_object_bytes(pack)
        # Folded as the redaction search folds, so "Qse\u0308c1x" read back counts as found.
        readable = fold(texts + raw.decode("utf-8", "replace"))
        for token in hidden:
            assert token not in texts
            assert token.encode() not in raw
            assert fold(token) not in readable
        # Secret words are drawn in red: no red may remain visible anywhere in the pack.
        doc = pdfium.PdfDocument(str(pack))
        try:
            assert all(count_red(page.render(scale=1).to_pil()) == 0 for page in doc)
        finally:
            doc.close()
        # Every uploaded page is still there, as a picture.
        assert len(texts.split("OFFICIAL-SENSITIVE")) - 1 >= len(pages) + 2


def _letters(n: int) -> str:
    # Corpus secrets are letters only, so no extractor splits them at a digit.
    out = ""
    while True:
        n, rest = divmod(n, 26)
        out += chr(ord("A") + rest)
        if not n:
            return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(st.sampled_from(CASES), min_size=1, max_size=4, unique_by=lambda c: c.name),
       order=st.randoms(use_true_random=False))
def test_no_string_hidden_anywhere_in_random_uploads_survives_the_pack(cases, order):
    """Random mixes of the leak corpus, with fresh secrets, in a random order: the visible ones
    boxed as the redaction screen would box them, the hidden ones left alone (the screen does
    not show them); none may be recovered from the pack by any route."""
    cases = list(cases)
    order.shuffle(cases)
    with tempfile.TemporaryDirectory() as tmp:
        items, secrets = [], []
        for case in cases:
            secret = secret_for(case, _letters(next(_counter)))
            path = make(case, Path(tmp), secret)
            if case.kind == "pdf":
                boxes = boxes_for(path, [secret]) if case.visible_page is not None else {}
                assert (case.visible_page in boxes) == (case.visible_page is not None)
                items.append(PdfItem(case.name, str(path), boxes))
            else:
                items.append(ImageItem(case.name, str(path)))
            secrets.append((case.name, secret))
        pack = Path(tmp) / "pack.pdf"
        build_pack(PackSpec(make_cover(), tuple(items)), pack)
        for name, secret in secrets:
            assert recover(pack, secret) == [], name
        # Secrets drawn at all are drawn in red: hidden ones stay hidden, boxed ones covered.
        doc = pdfium.PdfDocument(str(pack))
        try:
            assert all(count_red(page.render(scale=0.5).to_pil()) == 0 for page in doc)
        finally:
            doc.close()
