"""Text records, the cover and the index, rendered to PDF by WeasyPrint from Django templates.

Redacted spans are cut out of the text here, in Python, before any HTML exists: the PDF is
made from what is left plus a black box showing the reason code, so there is nothing under the
box to lift and its width says nothing about the length of what was removed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from requests_app.packs.spec import Cover, TextItem, TextSpan


class NoFetching(URLFetcher):
    """Refuse every URL but inline data: a record's text must never make the server fetch."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"Pack rendering does not fetch {url[:40]!r}")


def segments(text: str, spans: Iterable[TextSpan]) -> list[tuple[str, str]]:
    """Split `text` into ("text", words) and ("redaction", codes) parts, spans removed.

    Overlapping or touching spans merge into one box listing each reason code once.
    A span outside the text is an error: silently clamping it could disclose what the redactor
    meant to remove.
    """
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    merged: list[list] = []  # [start, end, [codes]]
    for span in ordered:
        if not (0 <= span.start < span.end <= len(text)):
            raise ValueError(f"Span {span.start}-{span.end} is outside a text of {len(text)}")
        if merged and span.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
            if span.reason_code not in merged[-1][2]:
                merged[-1][2].append(span.reason_code)
        else:
            merged.append([span.start, span.end, [span.reason_code]])
    parts: list[tuple[str, str]] = []
    position = 0
    for start, end, codes in merged:
        if start > position:
            parts.append(("text", text[position:start]))
        parts.append(("redaction", ", ".join(codes)))
        position = end
    if position < len(text):
        parts.append(("text", text[position:]))
    return parts


@dataclass(frozen=True)
class RenderedBatch:
    pdf: bytes
    ranges: list[tuple[int, int]]  # per item: (first page index, page count) in `pdf`


_FETCHER = None


def _html(html: str):
    global _FETCHER
    if _FETCHER is None:
        # Building a URLFetcher sets up an SSL context (~25 ms); one per process is enough.
        _FETCHER = NoFetching()
    return HTML(string=html, base_url=None, url_fetcher=_FETCHER)


def batches(items: list[TextItem], budget: int = 50_000) -> Iterator[list[int]]:
    """Group text items (by index) so each WeasyPrint run lays out ~`budget` characters.

    One run per item pays WeasyPrint's start-up cost every time; one run for everything holds
    every page's layout in memory at once. Batches keep both small.
    """
    batch: list[int] = []
    size = 0
    for index, item in enumerate(items):
        if batch and size + len(item.text) > budget:
            yield batch
            batch, size = [], 0
        batch.append(index)
        size += len(item.text) + 500
    if batch:
        yield batch


def items_html(items: list[TextItem], reference: str) -> str:
    context = {
        "reference": reference,
        "items": [
            {
                "title": item.title,
                "author": item.author,
                "organisation": item.organisation,
                "note": item.note,
                "segments": segments(item.text, item.spans),
            }
            for item in items
        ],
    }
    return render_to_string("packs/items.html", context)


def render_items(items: list[TextItem], reference: str) -> RenderedBatch:
    """Render text items into one PDF, each starting on a new page."""
    document = _html(items_html(items, reference)).render()
    starts = []
    for number in range(len(items)):
        anchor = f"item-{number}"
        starts.append(next(i for i, page in enumerate(document.pages) if anchor in page.anchors))
    ends = starts[1:] + [len(document.pages)]
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return RenderedBatch(buffer.getvalue(), [(s, e - s) for s, e in zip(starts, ends, strict=True)])


def render_cover(cover: Cover, index_rows: list[dict]) -> tuple[bytes, int]:
    """The cover sheet and index; returns the PDF and its page count."""
    html = render_to_string("packs/cover.html", {"cover": cover, "index": index_rows})
    document = _html(html).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
