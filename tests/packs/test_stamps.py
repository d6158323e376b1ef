"""Every page is stamped, numbered and indexed; the result is exactly the file written."""

import hashlib
import os

import pytest

from requests_app.packs.build import build_pack
from requests_app.packs.pages import page_text
from requests_app.packs.spec import PackSpec, PdfItem, TextItem
from tests.packs.factories import make_cover, make_words_pdf, pdfium_texts, poppler_texts


def test_every_page_carries_the_reference_marking_and_page_x_of_y(sample_pack):
    _, result, path, _ = sample_pack
    for texts in (pdfium_texts(path), poppler_texts(path)):
        assert len(texts) == result.page_count
        for number, text in enumerate(texts, start=1):
            assert "ATR-2026-0042" in text
            assert "OFFICIAL-SENSITIVE" in text
            assert f"Page {number} of {result.page_count}" in text


def test_page_count_and_item_pages_follow_cover_index_and_items(sample_pack):
    _, result, path, _ = sample_pack
    # cover + index, a one-page case note, the 3-page PDF, the photo
    assert result.page_count == 2 + 1 + 3 + 1
    assert result.item_pages == ((3, 3), (4, 6), (7, 7))
    index = pdfium_texts(path)[1]
    assert "Case note 3 March" in index and "4–6" in index


def test_result_hash_and_size_are_those_of_the_file(sample_pack):
    _, result, path, _ = sample_pack
    data = path.read_bytes()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size == len(data)


def test_progress_counts_up_to_its_total(sample_pack):
    *_, calls = sample_pack
    done = [c[0] for c in calls]
    assert done == sorted(done)
    assert calls[-1][0] == calls[-1][1]


def test_a_long_index_moves_every_item_and_the_numbers_still_match(tmp_path):
    items = tuple(TextItem(f"Record number {n}", f"Body of record {n}.") for n in range(90))
    result = build_pack(PackSpec(make_cover(), items), tmp_path / "pack.pdf")
    texts = pdfium_texts(tmp_path / "pack.pdf")
    cover_pages = result.item_pages[0][0] - 1
    assert cover_pages > 2  # the index ran over a page, so offsets had to be recomputed
    for n, (first, last) in enumerate(result.item_pages):
        assert first == last == cover_pages + n + 1
        assert f"Record number {n}\r\n" in texts[first - 1]


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_stamp_sits_along_the_bottom_of_a_rotated_uploaded_page(tmp_path, rotate):
    source = make_words_pdf(tmp_path / "rotated.pdf", [["Upright", "words"]], rotate=rotate)
    spec = PackSpec(make_cover(), (PdfItem("Rotated", str(source)),))
    build_pack(spec, tmp_path / "pack.pdf")
    text = page_text(tmp_path / "pack.pdf", 2)
    start = text.text.index("OFFICIAL-SENSITIVE")
    boxes = [b for b in text.boxes[start:start + 18] if b]
    assert all(b[1] > 0.97 for b in boxes)  # within the bottom 3% of the page as shown
    across = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    down = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    assert across > 5 * down  # one upright line, left to right


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name != "source.pdf")


def test_a_failure_part_way_leaves_no_file_and_no_temporary_files(tmp_path):
    source = make_words_pdf(tmp_path / "source.pdf", [["a", "b"]] * 5)
    spec = PackSpec(make_cover(), (PdfItem("Five pages", str(source), {}),))

    def stop(done, total, label):
        if done >= 3:
            raise KeyboardInterrupt("worker killed")

    with pytest.raises(KeyboardInterrupt):
        build_pack(spec, tmp_path / "pack.pdf", progress=stop)
    assert _leftovers(tmp_path) == []


def test_a_corrupt_item_leaves_an_earlier_pack_untouched(tmp_path):
    (tmp_path / "pack.pdf").write_bytes(b"previous version")
    (tmp_path / "source.pdf").write_bytes(b"%PDF-1.7\nnot really a pdf")
    spec = PackSpec(make_cover(), (PdfItem("Broken", str(tmp_path / "source.pdf")),))
    with pytest.raises(Exception):  # noqa: B017 - any failure will do; the file is the point
        build_pack(spec, tmp_path / "pack.pdf")
    assert (tmp_path / "pack.pdf").read_bytes() == b"previous version"
    assert _leftovers(tmp_path) == ["pack.pdf"]


def test_a_box_for_a_page_the_pdf_does_not_have_is_refused(tmp_path):
    from requests_app.packs.spec import Box

    source = make_words_pdf(tmp_path / "source.pdf", [["only", "page"]])
    spec = PackSpec(make_cover(), (PdfItem("One page", str(source),
                                           {3: (Box(0.1, 0.1, 0.2, 0.2, "TP"),)}),))
    with pytest.raises(ValueError, match="boxes for pages"):
        build_pack(spec, tmp_path / "pack.pdf")
    assert not os.path.exists(tmp_path / "pack.pdf")
