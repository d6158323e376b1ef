"""CSV downloads cannot carry a formula into a spreadsheet (issue 12 item 3)."""

import csv
import io

import pytest

from requests_app.csv_export import csv_response, safe_cell


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                   "\tcmd", "\rcmd"])
def test_a_cell_that_a_spreadsheet_would_run_is_made_text(typed):
    assert safe_cell(typed) == "'" + typed


def test_ordinary_cells_are_unchanged():
    assert safe_cell("Lily Kendrick") == "Lily Kendrick"
    assert safe_cell(None) == ""
    assert safe_cell(42) == "42"


def test_the_download_is_a_named_csv_with_every_cell_neutralised():
    response = csv_response("requests 2026/11", ["Reference", "Requester"],
                            iter([["NOTTS-1", "=cmd|' /C calc'!A0"]]))
    assert response["Content-Disposition"] == 'attachment; filename="requests-2026-11.csv"'
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [["Reference", "Requester"], ["NOTTS-1", "'=cmd|' /C calc'!A0"]]
