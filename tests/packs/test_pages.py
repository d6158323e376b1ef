"""Page images for the redaction screen and text positions on PDFs, rotated pages included."""

import io
import re

import pikepdf
import pytest
from PIL import Image

from requests_app.packs.pages import (
    boxes_for_span,
    find_in_pdf,
    page_count,
    page_text,
    render_page_png,
)
from tests.packs.factories import make_jpeg, make_words_pdf
from tests.packs.test_leaks import count_red


def _red_outside(png: bytes, boxes) -> tuple[int, int]:
    """Red pixels on the page image outside / inside the given fraction boxes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    inside = image.copy()
    outside = image.copy()
    w, h = image.size
    white = Image.new("RGB", image.size, "white")
    mask = Image.new("L", image.size, 0)
    for x0, y0, x1, y1 in boxes:
        mask.paste(255, (int(x0 * w), int(y0 * h), int(x1 * w) + 1, int(y1 * h) + 1))
    outside.paste(white, mask=mask)
    inside.paste(white, mask=mask.point(lambda v: 255 - v))
    return count_red(outside), count_red(inside)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_found_boxes_cover_the_word_on_the_page_image_at_any_rotation(tmp_path, rotate):
    words = ["plain", "words", "then", "SECRET", "and", "more", "plain", "words"]
    path = make_words_pdf(tmp_path / "r.pdf", [words], rotate=rotate)
    [(page, boxes)] = find_in_pdf(path, re.compile("SECRET"))
    assert page == 0
    outside, inside = _red_outside(render_page_png(path, 0, width=600), boxes)
    assert inside > 20 and outside == 0


def test_boxes_follow_an_offset_crop_box(tmp_path):
    path = make_words_pdf(tmp_path / "c.pdf", [["plain", "SECRET", "words"]])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.CropBox = [30, 300, 400, 830]
        pdf.save(path)
    [(_, boxes)] = find_in_pdf(path, re.compile("SECRET"))
    outside, inside = _red_outside(render_page_png(path, 0, width=500), boxes)
    assert inside > 20 and outside == 0


def test_a_span_over_two_lines_gives_one_box_per_line(tmp_path):
    words = [f"w{n}" for n in range(7)] + ["FIRST", "SECOND"]  # 8 words to a line
    path = make_words_pdf(tmp_path / "l.pdf", [words])
    text = page_text(path, 0)
    start = text.text.index("FIRST")
    boxes = boxes_for_span(text, start, text.text.index("SECOND") + len("SECOND"))
    assert len(boxes) == 2
    assert boxes[0][3] <= boxes[1][1] + 0.01  # the second line is below the first


def test_page_text_offsets_match_character_boxes(tmp_path):
    path = make_words_pdf(tmp_path / "t.pdf", [["alpha", "beta"]])
    text = page_text(path, 0)
    assert "alpha beta" in text.text
    assert len(text.boxes) == len(text.text)
    a, b = text.boxes[text.text.index("a")], text.boxes[text.text.index("b")]
    assert a[0] < b[0] and 0 < a[0] < 1 and 0 < a[1] < 0.1  # near the top-left


def test_image_uploads_render_as_their_own_single_page(tmp_path):
    path = make_jpeg(tmp_path / "p.jpg", size=(300, 200))
    png = render_page_png(path, 0, width=900)
    assert png.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(png)).size == (900, 600)
    assert page_count(path) == 1


def test_pdf_pages_render_at_the_asked_width(tmp_path):
    path = make_words_pdf(tmp_path / "a.pdf", [["one"], ["two"]])
    assert page_count(path) == 2
    assert Image.open(io.BytesIO(render_page_png(path, 1, width=450))).width == 450


def test_an_uploaded_image_gives_pixels_and_nothing_else(tmp_path):
    from PIL import PngImagePlugin

    from requests_app.packs.pages import open_image

    jpeg = tmp_path / "photo.jpg"
    Image.new("RGB", (30, 20), "blue").save(jpeg, comment=b"Taken by Q", icc_profile=b"x" * 64)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Q")
    png = tmp_path / "scan.png"
    Image.new("RGBA", (30, 20), (0, 0, 255, 128)).save(png, pnginfo=info)
    for path in (jpeg, png):
        image = open_image(path)
        assert image.mode == "RGB" and image.info == {}
        out = io.BytesIO()
        image.save(out, format="JPEG")
        assert b"Taken by" not in out.getvalue()


def test_a_sliver_of_a_page_is_shown_within_the_pixel_budget(tmp_path):
    from requests_app.packs.limits import MAX_PAGE_PIXELS
    from requests_app.packs.pages import screen_scale

    assert screen_scale(595, 842, 900) == 900 / 595
    scale = screen_scale(1, 3370, 900)
    assert (1 * scale) * (3370 * scale) <= MAX_PAGE_PIXELS
