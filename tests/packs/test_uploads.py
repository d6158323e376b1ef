"""What an upload really is comes from its bytes; each refusal says why in one sentence."""

import io

import pikepdf
import pytest
from PIL import Image

from requests_app.packs.uploads import UploadRefused, inspect_upload
from tests.packs.factories import make_jpeg, make_words_pdf


def refusal(path_or_file, **kwargs) -> str:
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(path_or_file, **kwargs)
    return str(caught.value)


def test_good_pdf_png_and_jpeg_are_accepted(tmp_path):
    pdf = inspect_upload(make_words_pdf(tmp_path / "a.pdf", [["one"], ["two"]]))
    assert (pdf.content_type, pdf.page_count) == ("application/pdf", 2)
    Image.new("RGB", (20, 10), "white").save(tmp_path / "b.png")
    assert inspect_upload(tmp_path / "b.png").content_type == "image/png"
    jpeg = inspect_upload(make_jpeg(tmp_path / "c.jpg"))
    assert (jpeg.content_type, jpeg.page_count) == ("image/jpeg", 1)
    assert len(jpeg.sha256) == 64 and jpeg.size == (tmp_path / "c.jpg").stat().st_size


def test_a_pdf_named_png_is_still_a_pdf(tmp_path):
    path = make_words_pdf(tmp_path / "photo.png", [["words"]])
    assert inspect_upload(path).content_type == "application/pdf"


def test_a_file_object_is_read_from_the_start(tmp_path):
    data = make_words_pdf(tmp_path / "a.pdf", [["words"]]).read_bytes()
    upload = io.BytesIO(data)
    upload.read(10)
    assert inspect_upload(upload).page_count == 1


def test_empty_file_is_refused(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert refusal(tmp_path / "empty.pdf") == "The selected file is empty."


def test_unknown_type_is_refused_whatever_its_name(tmp_path):
    (tmp_path / "letter.pdf").write_bytes(b"PK\x03\x04 a word document really")
    assert refusal(tmp_path / "letter.pdf") == "The selected file must be a PDF, PNG or JPEG."


@pytest.mark.parametrize("user_password", ["", "secret"])
def test_password_protected_pdf_is_refused_even_with_only_an_owner_password(
        tmp_path, user_password):
    path = make_words_pdf(tmp_path / "plain.pdf", [["words"]])
    with pikepdf.open(path) as pdf:
        pdf.save(tmp_path / "locked.pdf",
                 encryption=pikepdf.Encryption(owner="owner", user=user_password))
    assert "Remove the password and upload it again" in refusal(tmp_path / "locked.pdf")


def test_corrupt_pdf_is_refused(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    assert refusal(tmp_path / "broken.pdf") == "The selected PDF is damaged and cannot be opened."


def test_pdf_with_no_pages_is_refused(tmp_path):
    pikepdf.new().save(tmp_path / "none.pdf")
    assert refusal(tmp_path / "none.pdf") == "The selected PDF has no pages."


def test_pdf_with_too_many_pages_is_refused(tmp_path):
    path = make_words_pdf(tmp_path / "long.pdf", [["p"]] * 3)
    assert "it must have 2 pages or fewer" in refusal(path, max_pages=2)


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = make_words_pdf(tmp_path / "a.pdf", [["words"]])
    assert "must be smaller than" in refusal(path, max_bytes=100)


def test_truncated_image_is_refused(tmp_path):
    data = make_jpeg(tmp_path / "full.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    assert refusal(tmp_path / "cut.jpg") == "The selected image is damaged and cannot be opened."


def test_image_over_40_megapixels_is_refused(tmp_path):
    Image.new("1", (8000, 6000)).save(tmp_path / "huge.png")  # 48 MP, a few KB on disk
    assert "under 40 megapixels" in refusal(tmp_path / "huge.png")


def _blank_pdf(path, *sizes):
    pdf = pikepdf.new()
    for size in sizes:
        pdf.add_blank_page(page_size=size)
    pdf.save(path)
    return path


def test_a_page_over_a0_is_refused_by_the_size_it_is_shown_at(tmp_path):
    path = _blank_pdf(tmp_path / "poster.pdf", (595, 842), (595, 842), (14_400, 14_400))
    message = refusal(path)
    assert message.startswith("Page 3 of the selected PDF is 5080 × 5080 mm")
    # A huge media box cropped to A4 is shown, and rasterised, as A4.
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[2].obj.CropBox = [0, 0, 595, 842]
        pdf.save(path)
    assert inspect_upload(path).page_count == 3


def test_a_page_over_the_pixel_budget_is_refused(tmp_path):
    path = _blank_pdf(tmp_path / "a4.pdf", (595, 842))
    assert "million pixels in the pack; the limit is 1 million" in refusal(
        path, max_page_pixels=1_000_000)
    assert inspect_upload(path).page_count == 1  # A4 is well within the real budget


def test_a_page_stored_before_the_limits_fails_the_pack_with_a_message(tmp_path):
    from requests_app.packs.build import build_pack
    from requests_app.packs.raster import PageTooLarge
    from requests_app.packs.spec import PackSpec, PdfItem
    from tests.packs.factories import make_cover

    path = _blank_pdf(tmp_path / "poster.pdf", (595, 842), (4000, 600))
    spec = PackSpec(make_cover(), (PdfItem("Poster", str(path)),))
    (tmp_path / "out").mkdir()
    with pytest.raises(PageTooLarge, match="Page 2 of 'Poster' is 1411 × 212 mm"):
        build_pack(spec, tmp_path / "out" / "pack.pdf")
    assert list((tmp_path / "out").iterdir()) == []
