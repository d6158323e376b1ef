"""Page images and text positions for the redaction screen, and the raster step of the pack.

What the redactor sees is what goes: the page image on the redaction screen and every uploaded
page in the pack are made by the same two functions (`render_pdf_page`, or `open_image` for a
photo) with the same options, and boxes are burnt in by `burn_boxes`. Only the scale differs
(900 px wide on screen, RASTER_DPI in the pack). Coordinates given to and returned from this
module are fractions of the page *as displayed* (after /Rotate, within the crop box), origin
top-left.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw, ImageFont, ImageOps

from requests_app.packs.limits import MAX_PAGE_PIXELS
from requests_app.packs.locks import PDFIUM_LOCK
from requests_app.packs.spec import Box
from requests_app.packs.uploads import sniff_type

# Annotations and form widgets are drawn neither on the redaction screen nor in the pack, so
# the screen never shows content the pack leaves out, and the pack never shows content the
# redactor could not see. No `optimize_mode="print"` either: pdfium would then use optional
# content's *print* visibility, and a layer hidden on screen could print in the pack. With the
# defaults both use the document's default (view) layer configuration.
RENDER_OPTIONS = {"draw_annots": False, "may_draw_forms": False}
# RGBX lets PIL share pdfium's buffer instead of converting BGR pixel by pixel, and JPEG
# encodes from it directly: a third less time per rasterised page.
PIXEL_OPTIONS = {"rev_byteorder": True, "prefer_bgrx": True}
FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageText:
    """The text of one PDF page; boxes[i] is where text[i] is drawn (None for generated chars)."""

    text: str
    boxes: list[Rect | None]


# --- geometry ------------------------------------------------------------------------------
def user_to_display(cropbox: Rect, rotation: int):
    """Return f(x, y) mapping PDF user space (points, origin bottom-left) to display fractions.

    The display is the crop box turned clockwise by /Rotate, which is how viewers and pdfium
    show the page, and so how the redactor saw it.
    """
    cx0, cy0, cx1, cy1 = cropbox
    w, h = cx1 - cx0, cy1 - cy0
    rotation %= 360

    def to_display(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            u, v, dw, dh = y - cy0, cx1 - x, h, w
        elif rotation == 180:
            u, v, dw, dh = cx1 - x, cy1 - y, w, h
        elif rotation == 270:
            u, v, dw, dh = cy1 - y, x - cx0, h, w
        else:
            u, v, dw, dh = x - cx0, y - cy0, w, h
        return u / dw, 1 - v / dh

    return to_display


def display_matrix(cropbox: Rect, rotation: int) -> tuple[float, ...]:
    """The `cm` matrix taking display points (origin bottom-left of the shown page) to user space.

    Used to draw the page stamp upright along the bottom edge of any rotated page.
    """
    x0, y0, x1, y1 = cropbox
    rotation %= 360
    if rotation == 90:
        return (0, 1, -1, 0, x1, y0)
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotation == 270:
        return (0, -1, 1, 0, x0, y1)
    return (1, 0, 0, 1, x0, y0)


# --- page images ---------------------------------------------------------------------------
def page_count(path) -> int:
    if sniff_type(path) != "application/pdf":
        return 1
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()


def open_image(path) -> Image.Image:
    """An uploaded PNG/JPEG, turned upright by its EXIF orientation, as RGB pixels only.

    Nothing but pixels comes out: Pillow copies `info` (JPEG comments, EXIF, XMP, ICC, PNG text
    chunks) through `convert`, and its JPEG encoder writes a comment found there back out.
    """
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "P", "PA"):
            # Flatten transparency onto white, as a browser shows it.
            img = img.convert("RGBA")
            background = Image.new("RGB", img.size, "white")
            background.paste(img, mask=img.getchannel("A"))
            img = background
        else:
            img = img.convert("RGB")
    img.info.clear()
    return img


def render_pdf_page(page: pdfium.PdfPage, scale: float) -> Image.Image:
    """The page as shown (rotation applied, crop box), in RGB or RGBX pixels."""
    bitmap = page.render(scale=scale, **RENDER_OPTIONS, **PIXEL_OPTIONS)
    # to_pil may share the bitmap's buffer; copy only if PIL could not.
    image = bitmap.to_pil()
    image.info.clear()
    return image


def screen_scale(page_width: float, page_height: float, width: int) -> float:
    """The scale of the screen image: `width` pixels wide, but never more pixels than a pack
    page may have (a sliver of a page would otherwise render to a huge strip)."""
    scale = width / page_width
    return min(scale, (MAX_PAGE_PIXELS / (page_width * page_height)) ** 0.5)


def render_page_png(path, page_index: int, *, width: int = 900) -> bytes:
    """A PNG of one page, `width` pixels wide, for the redaction screen."""
    if sniff_type(path) == "application/pdf":
        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                page = doc[page_index]
                scale = screen_scale(*page.get_size(), width)
                img = render_pdf_page(page, scale).convert("RGB")
            finally:
                doc.close()
    else:
        if page_index != 0:
            raise IndexError("An image has only page 0")
        img = open_image(path)
        img = img.resize((width, max(1, round(img.height * width / img.width))))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)


@lru_cache(maxsize=512)
def _text_size(code: str, size: int) -> tuple[int, int, int, int]:
    return ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), code, font=_font(size))


def burn_boxes(img: Image.Image, boxes: tuple[Box, ...] | list[Box]) -> Image.Image:
    """Paint each box solid black over the pixels, with its reason code in white.

    Edges round outwards and grow by a pixel so anti-aliased glyph edges are covered too.
    """
    draw = ImageDraw.Draw(img)
    width, height = img.size
    for box in boxes:
        left = max(0, int(box.x0 * width) - 1)
        top = max(0, int(box.y0 * height) - 1)
        right = min(width - 1, -int(-box.x1 * width) + 1)
        bottom = min(height - 1, -int(-box.y1 * height) + 1)
        draw.rectangle((left, top, right, bottom), fill="black")
        _label(draw, box.reason_code, left, top, right, bottom)
    return img


def _label(draw: ImageDraw.ImageDraw, code: str, left, top, right, bottom) -> None:
    box_w, box_h = right - left, bottom - top
    size = min(int(box_h * 0.7), 28)
    while size >= 7:
        font = _font(size)
        x0, y0, x1, y1 = _text_size(code, size)
        if x1 - x0 <= box_w - 4 and y1 - y0 <= box_h - 2:
            draw.text((left + (box_w - (x1 - x0)) / 2 - x0, top + (box_h - (y1 - y0)) / 2 - y0),
                      code, font=font, fill="white")
            return
        size -= 2
    # Too small for a readable code: the box stays plain black; the index still counts it.


# --- text positions ------------------------------------------------------------------------
def _page_text_from(page: pdfium.PdfPage) -> PageText:
    to_display = user_to_display(tuple(page.get_cropbox()), page.get_rotation())
    textpage = page.get_textpage()
    try:
        chars: list[str] = []
        boxes: list[Rect | None] = []
        for i in range(textpage.count_chars()):
            # One code point per char index, so offsets in `text` are char indices (the
            # get_text_range view may drop or add chars).
            chars.append(chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 0xFFFD))
            if pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
                boxes.append(None)
                continue
            # The loose box spans the font's ascent and descent; with the tight box it covers
            # accents and descenders that either alone may miss.
            la, ba, ra, ta = textpage.get_charbox(i, loose=True)
            lb, bb, rb, tb = textpage.get_charbox(i)
            left, bottom, right, top = min(la, lb), min(ba, bb), max(ra, rb), max(ta, tb)
            if right - left <= 0 or top - bottom <= 0:
                boxes.append(None)
                continue
            corners = [to_display(x, y) for x in (left, right) for y in (bottom, top)]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
        return PageText("".join(chars), boxes)
    finally:
        textpage.close()


def page_text(path, page_index: int) -> PageText:
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(path))
        try:
            return _page_text_from(doc[page_index])
        finally:
            doc.close()


def boxes_for_span(text: PageText, start: int, end: int, *, pad: float = 0.2) -> list[Rect]:
    """Boxes covering text[start:end], one per line, padded by `pad` × line height."""
    lines: list[list[float]] = []
    for rect in text.boxes[start:end]:
        if rect is None:
            continue
        x0, y0, x1, y1 = rect
        if lines:
            cur = lines[-1]
            mid = (y0 + y1) / 2
            # Same line when vertically overlapping and not jumping back to the left margin.
            if cur[1] <= mid <= cur[3] and x0 >= cur[0] - (cur[3] - cur[1]):
                cur[0], cur[1] = min(cur[0], x0), min(cur[1], y0)
                cur[2], cur[3] = max(cur[2], x1), max(cur[3], y1)
                continue
        lines.append([x0, y0, x1, y1])
    result = []
    for x0, y0, x1, y1 in lines:
        p = (y1 - y0) * pad + 0.001
        result.append((max(0.0, x0 - p), max(0.0, y0 - p), min(1.0, x1 + p), min(1.0, y1 + p)))
    return result


def find_in_pdf(path, regex: re.Pattern) -> list[tuple[int, list[Rect]]]:
    """Every match of `regex` in the PDF's text, as (page index, boxes) per page with a match."""
    found = []
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(Path(path)))
        try:
            texts = [_page_text_from(doc[index]) for index in range(len(doc))]
        finally:
            doc.close()
    for index, text in enumerate(texts):
        boxes: list[Rect] = []
        for match in regex.finditer(text.text):
            if match.end() > match.start():
                boxes.extend(boxes_for_span(text, match.start(), match.end()))
        if boxes:
            found.append((index, boxes))
    return found
