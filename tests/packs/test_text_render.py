"""Redacted spans are cut from the text before any HTML; what remains is text, not markup."""

import pytest

from requests_app.packs.build import build_pack
from requests_app.packs.render import NoFetching, segments
from requests_app.packs.spec import PackSpec, TextItem, TextSpan
from tests.packs.factories import all_object_bytes, make_cover, pdfium_texts, poppler_texts


def test_spans_become_reason_codes_and_overlaps_merge():
    text = "abcdefghij"
    parts = segments(text, [TextSpan(6, 8, "B"), TextSpan(2, 4, "A"), TextSpan(3, 5, "C")])
    assert parts == [("text", "ab"), ("redaction", "A, C"), ("text", "f"),
                     ("redaction", "B"), ("text", "ij")]


@pytest.mark.parametrize("span", [TextSpan(-1, 2, "A"), TextSpan(3, 3, "A"),
                                  TextSpan(5, 11, "A")])
def test_a_span_outside_the_text_is_an_error_not_a_silent_clamp(span):
    with pytest.raises(ValueError):
        segments("0123456789", [span])


def test_markup_in_a_record_is_shown_as_text_and_fetches_nothing(tmp_path):
    text = 'Said <b>no</b> & <img src="file:///etc/passwd"> then\n  indented line'
    spec = PackSpec(make_cover(), (TextItem("Note", text),))
    build_pack(spec, tmp_path / "pack.pdf")
    page = pdfium_texts(tmp_path / "pack.pdf")[2]
    assert '<b>no</b> & <img src="file:///etc/passwd">' in page
    assert "then\n indented line" in poppler_texts(tmp_path / "pack.pdf")[2]  # break kept
    assert b"root:x:0" not in all_object_bytes(tmp_path / "pack.pdf")


def test_the_url_fetcher_refuses_everything_but_inline_data():
    fetcher = NoFetching()
    for url in ("file:///etc/passwd", "http://169.254.169.254/", "https://example.com/x.css"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
