"""Nothing redacted or hidden in a source can be read back from the pack, by any route."""

import io

import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageStat

from requests_app.packs.pages import render_page_png
from tests.packs.factories import (
    HIDDEN,
    SECRET_WORD,
    all_object_bytes,
    pdfium_texts,
    poppler_texts,
)

REDACTED = [SECRET_WORD, "Mr Secretname", "Secretname", *HIDDEN.values()]


def count_red(image: Image.Image) -> int:
    r, g, b = image.convert("RGB").split()
    mask = ImageChops.multiply(
        ImageChops.multiply(r.point(lambda v: 255 if v > 170 else 0),
                            g.point(lambda v: 255 if v < 90 else 0)),
        b.point(lambda v: 255 if v < 90 else 0))
    return mask.histogram()[255]


def _red_pixels(path, page_index, scale=100 / 72):
    doc = pdfium.PdfDocument(str(path))
    try:
        return count_red(doc[page_index].render(scale=scale).to_pil())
    finally:
        doc.close()


def test_the_source_really_hides_everything_the_pack_must_drop(sample_pack):
    # Without this the leak tests below could pass by looking in the wrong place.
    spec, *_ = sample_pack
    source = spec.items[1].path
    raw = all_object_bytes(source)
    assert all(value.encode() in raw for value in HIDDEN.values())
    assert SECRET_WORD in pdfium_texts(source)[1]
    assert SECRET_WORD in poppler_texts(source)[1]
    assert _red_pixels(source, 1) > 50


def test_no_redacted_or_hidden_string_is_extractable_as_text(sample_pack):
    *_, path, _ = sample_pack
    for text in pdfium_texts(path) + poppler_texts(path):
        for secret in REDACTED:
            assert secret not in text


def test_no_redacted_or_hidden_string_is_in_any_object_or_stream(sample_pack):
    *_, path, _ = sample_pack
    raw = all_object_bytes(path)
    for secret in REDACTED:
        assert secret.encode() not in raw
        assert secret.encode("utf-16-be") not in raw


def test_every_uploaded_page_goes_out_as_the_picture_the_redactor_saw(sample_pack):
    # Unboxed pages too: a copied page would carry whatever the screen did not show.
    spec, result, path, _ = sample_pack
    first, last = result.item_pages[1]
    texts = pdfium_texts(path)
    with pikepdf.open(path) as pack:
        for number in range(first, last + 1):
            assert texts[number - 1].strip().startswith("ATR-2026-0042")  # the stamp, no more
            page = pack.pages[number - 1]
            # One picture and the stamp's font: nothing else of the source.
            assert set(page.Resources.XObject.keys()) == {"/Im0"}
            assert set(page.Resources.Font.keys()) == {"/ATRStamp"}
            image = page.Resources.XObject.Im0
            pixels = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
            screen = Image.open(io.BytesIO(render_page_png(
                spec.items[1].path, number - first, width=pixels.width))).convert("RGB")
            difference = ImageChops.difference(pixels, screen.resize(pixels.size))
            if number - first == 1:  # the boxed page: black where the screen has the word
                assert _red_pixels(path, number - 1) == 0
            else:
                # The same renderer at the same settings: only JPEG noise between them.
                assert ImageStat.Stat(difference).mean[0] < 2.0


def test_a_page_with_a_box_keeps_no_text_at_all(sample_pack):
    _, result, path, _ = sample_pack
    redacted_page = result.item_pages[1][0]  # source page 1, 0-based index in the pack
    text = pdfium_texts(path)[redacted_page]
    assert "Meadowsweet" not in text and "Second page" not in text
    assert "OFFICIAL-SENSITIVE" in text  # only the stamp


def test_boxes_cover_every_pixel_of_the_redacted_word(sample_pack):
    _, result, path, _ = sample_pack
    assert _red_pixels(path, result.item_pages[1][0]) == 0


def test_the_box_on_a_photo_covers_what_it_marks(sample_pack):
    spec, result, path, _ = sample_pack
    assert count_red(Image.open(spec.items[2].path)) > 1000
    assert _red_pixels(path, result.item_pages[2][0] - 1) == 0


def test_text_record_span_is_replaced_by_its_reason_code(sample_pack):
    _, result, path, _ = sample_pack
    page = result.item_pages[0][0] - 1
    for texts in (pdfium_texts(path), poppler_texts(path)):
        assert "Mother said the neighbour" in texts[page]
        assert "[TP]" in texts[page]
        assert "visited twice." in texts[page]
        assert "Secretname" not in texts[page]


def test_pack_metadata_is_neutral_and_nothing_interactive_survives(sample_pack):
    *_, path, _ = sample_pack
    with pikepdf.open(path) as pdf:
        assert dict(pdf.docinfo) == {
            "/Title": "ATR-2026-0042 disclosure pack v1",
            "/Producer": "Access to Records",
        }
        assert set(pdf.Root.keys()) == {"/Type", "/Pages"}
        assert len(pdf.attachments) == 0
        assert pdf.open_outline().root == []
        for page in pdf.pages:
            assert "/Annots" not in page.obj
            assert "/Metadata" not in page.obj
            assert "/PieceInfo" not in page.obj
        for obj in pdf.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                assert "/Metadata" not in obj
                assert obj.get("/Type") not in (pikepdf.Name.Annot, pikepdf.Name.Filespec)


def test_each_picture_of_a_page_says_what_it_is_in_its_alternative_text(sample_pack):
    from requests_app.packs.raster import alt_text

    spec, result, path, _ = sample_pack
    expected = [alt_text("Referral form", n) for n in (1, 2, 3)] + [alt_text("Photo of letter", 1)]
    found = []
    with pikepdf.open(path) as pack:
        for number in range(result.item_pages[1][0], result.item_pages[2][1] + 1):
            for operands, operator in pikepdf.parse_content_stream(pack.pages[number - 1]):
                if operator == pikepdf.Operator("BDC") and operands[0] == "/Figure":
                    found.append(str(operands[1].Alt))
    assert found == expected
    assert "as received; the original's text is not included" in expected[0]
