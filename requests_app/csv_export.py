"""CSV downloads of lists, searches, reports and the audit log (issues 11 and 12).

Every CSV the app sends goes through `csv_response`, so every cell is neutralised against
formula injection: a spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula, and a requester's name or a case note is typed by someone
outside the council (OWASP "CSV injection"). Such a cell is prefixed with an apostrophe,
which spreadsheets show as text and do not display.

The view that calls it audits the export (what, which filters, how many rows); this module
only writes the file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_cell(value) -> str:
    """The text of one cell, never read by a spreadsheet as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write returns the line, for streaming (Django's docs)."""

    def write(self, value):
        return value


def csv_rows(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so Excel reads UTF-8 names correctly
    yield writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """A streamed CSV download; ``rows`` may be a lazy iterator (``.iterator()``)."""
    name = _SAFE_FILENAME.sub("-", filename).strip("-") or "export"
    if not name.endswith(".csv"):
        name += ".csv"
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
