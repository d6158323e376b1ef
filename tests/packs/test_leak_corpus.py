"""The leak corpus itself: each case really hides its string where it says (so the pack tests
that find nothing could have found something), and the redaction screen shows exactly the
strings it should — the visible ones, to be boxed, and none of the hidden ones."""

import io

import pytest
from PIL import Image

from requests_app.packs.pages import find_in_pdf, render_page_png
from tests.packs.leak_corpus import CASES, make, recover, secret_for
from tests.packs.test_leaks import count_red

PDF_CASES = [case for case in CASES if case.kind == "pdf"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_planted_string_is_recoverable_from_the_source(tmp_path, case):
    path = make(case, tmp_path)
    assert recover(path, secret_for(case)), f"{case.name}: {case.what} hides nothing"


@pytest.mark.parametrize("case", PDF_CASES, ids=lambda case: case.name)
def test_the_redaction_screen_shows_the_string_only_where_the_case_says(tmp_path, case):
    import re

    path = make(case, tmp_path)
    pages = {page for page, _ in find_in_pdf(path, re.compile(secret_for(case)))}
    red = [count_red(Image.open(io.BytesIO(render_page_png(path, index))))
           for index in range(2 if case.name in ("shared_xobject", "outline") else 1)]
    if case.visible_page is not None:
        # Drawn in red where the redactor sees it, and found there to be boxed.
        assert case.visible_page in pages
        assert red[case.visible_page] > 100
    else:
        # Whatever the text layer says, the page image shows no trace of it.
        assert all(count == 0 for count in red), red


def test_the_corpus_script_writes_every_case(tmp_path, capsys):
    from tests.packs.leak_corpus import main

    main([str(tmp_path)])
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{case.name}{case.suffix}" for case in CASES)
    assert all(secret_for(case) in capsys.readouterr().out for case in CASES[:1])
