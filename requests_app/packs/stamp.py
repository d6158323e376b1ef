"""Stamp every page of the merged pack: "reference · OFFICIAL-SENSITIVE · Page x of y".

Drawn straight into each page's content with base-14 Courier, so the stamp needs no embedded
font and its width is exact (every Courier glyph is 0.6 em). It sits on a white band along the
bottom edge of the page as shown, whatever the page's /Rotate; WeasyPrint pages keep a margin
for it, uploaded pages lose a strip of at most BAND points under it.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Name

from requests_app.packs.pages import display_matrix

FONT_KEY = Name("/ATRStamp")
FONT_SIZE = 7.5
BAND = 14.0


def stamp_font(pdf: pikepdf.Pdf):
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Courier, Encoding=Name.WinAnsiEncoding,
    ))


def _escape(text: str) -> bytes:
    data = text.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _box(page: Dictionary) -> tuple[float, float, float, float]:
    box = page.get("/CropBox") or page.get("/MediaBox")
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def stamp_page(pdf: pikepdf.Pdf, page: Dictionary, text: str, font) -> None:
    box = _box(page)
    rotation = int(page.get("/Rotate", 0)) % 360
    width = box[3] - box[1] if rotation in (90, 270) else box[2] - box[0]
    text_width = len(text) * FONT_SIZE * 0.6
    x = max(2.0, (width - text_width) / 2)
    matrix = " ".join(f"{v:g}" for v in display_matrix(box, rotation))
    stamp = (
        f"Q q {matrix} cm 1 g 0 0 {width:.2f} {BAND} re f 0 g "
        f"BT /ATRStamp {FONT_SIZE} Tf {x:.2f} 4 Td (".encode()
        + _escape(text)
        + b") Tj ET Q\n"
    )
    resources = page.get("/Resources")
    if resources is None:
        resources = page.Resources = Dictionary()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = resources.Font = Dictionary()
    fonts[FONT_KEY] = font
    wrapped = pikepdf.Page(page)
    # q ... Q around the page's own drawing so its graphics state cannot move or hide the stamp.
    wrapped.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    wrapped.contents_add(pikepdf.Stream(pdf, stamp), prepend=False)


def stamp_all(pdf: pikepdf.Pdf, reference: str, progress=None) -> None:
    font = stamp_font(pdf)
    total = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        stamp_page(pdf, page.obj, f"{reference} · OFFICIAL-SENSITIVE · Page {number} of {total}",
                   font)
        if progress:
            progress(number, total)
