"""What one pack may cost: the page sizes, pixels and text lengths the engine accepts.

Every uploaded page is rasterised at RASTER_DPI, so a page's size in points fixes the memory its
bitmap needs (4 bytes a pixel). Refusing oversized pages at upload, and text records that would
run to hundreds of pages when they are saved, keeps one pack run within a known ceiling (the
benchmark measures it with a page at the limit). The same checks run again when a pack is built,
for anything stored before the limits existed.
"""

from __future__ import annotations

import math

RASTER_DPI = 150
# A0 is 841 × 1189 mm; in points, either way round. Anything bigger is a plan or a poster, or a
# file crafted to exhaust memory, and is not something a redactor can check page by page.
A0_POINTS = (2384.0, 3370.0)
# Pixels of one page bitmap at RASTER_DPI: A0 is 34.9 million (140 MB as BGRX); a little room
# above that, no more.
MAX_PAGE_PIXELS = 36_000_000
# A text record is laid out by WeasyPrint in one go; more pages than this is a document to
# split, not a record (a 20,000-line paste made 419 pages).
MAX_TEXT_PAGES = 150
# The text layout of packs/pack.css: A4, 10 pt DejaVu Sans, 1.45 line height, 174 mm measure.
# Deliberately generous (more characters and lines per page than the layout usually fits) so
# the estimate never refuses a record that would fit.
_CHARS_PER_LINE = 95
_LINES_PER_PAGE = 50


def page_pixels(width_pt: float, height_pt: float, dpi: int = RASTER_DPI) -> int:
    scale = dpi / 72
    return math.ceil(width_pt * scale) * math.ceil(height_pt * scale)


def page_size_problem(width_pt: float, height_pt: float, *, max_pixels: int = MAX_PAGE_PIXELS,
                      ) -> str | None:
    """Why a page of this displayed size cannot go in a pack, or None if it can."""
    if not (width_pt > 0 and height_pt > 0):
        return "has no size"
    short, long = sorted((width_pt, height_pt))
    if short > A0_POINTS[0] + 0.5 or long > A0_POINTS[1] + 0.5:
        return (f"is {_mm(width_pt)} × {_mm(height_pt)} mm; pages must be A0 "
                "(841 × 1189 mm) or smaller")
    if page_pixels(width_pt, height_pt) > max_pixels:
        return (f"would be {page_pixels(width_pt, height_pt) / 1e6:.0f} million pixels in the "
                f"pack; the limit is {max_pixels / 1e6:.0f} million")
    return None


def _mm(points: float) -> int:
    return round(points * 25.4 / 72)


def estimate_text_pages(text: str) -> int:
    """Roughly how many A4 pages a text record makes in the pack; errs low, never high."""
    lines = 0
    for line in text.split("\n"):
        lines += max(1, math.ceil(len(line) / _CHARS_PER_LINE))
    return max(1, math.ceil(lines / _LINES_PER_PAGE))
