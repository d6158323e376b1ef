"""Build one disclosure pack PDF from a PackSpec.

Order of work: text records are rendered (WeasyPrint) and uploaded pages copied or rasterised
into a fresh pikepdf document, item by item; then the cover and index, which need the items'
page numbers, are rendered and put in front; every page is stamped; the file is written next
to its destination, read back and checked by `verify_clean`, hashed, and only then renamed into
place. Any failure removes the temporary file, so `out_path` is either a whole checked pack or
untouched.

Uploaded PDF pages with no boxes are copied as drawn (text stays selectable); a page with any
box becomes a picture of itself with the boxes burnt into the pixels, so nothing under a box
survives in any form.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from pikepdf import Dictionary, Name

from requests_app.packs import render
from requests_app.packs.pages import burn_boxes, open_image, render_pdf_page
from requests_app.packs.sanitise import Scrubber, copy_page, verify_clean
from requests_app.packs.spec import ImageItem, PackResult, PackSpec, PdfItem, TextItem
from requests_app.packs.stamp import stamp_all

Progress = Callable[[int, int, str], None]

RASTER_DPI = 150
JPEG_QUALITY = 80
A4 = (595.28, 841.89)
IMAGE_MARGIN = 36.0  # points around an uploaded photo, clear of the stamp band
PRODUCER = "Access to Records"


class _Tracker:
    def __init__(self, total: int, progress: Progress | None):
        self.done, self.total, self.progress = 0, total, progress

    def step(self, label: str, n: int = 1) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total, label)


def build_pack(spec: PackSpec, out_path, progress: Progress | None = None) -> PackResult:
    out_path = Path(out_path)
    tmp = out_path.with_name(f".{out_path.name}.{secrets.token_hex(6)}.part")
    try:
        result = _build(spec, tmp, progress)
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def _build(spec: PackSpec, tmp: Path, progress: Progress | None) -> PackResult:
    items = spec.items
    units = len(items) + sum(_pdf_pages(i) - 1 for i in items if isinstance(i, PdfItem)) + 3
    tracker = _Tracker(units, progress)
    out = pikepdf.new()
    keep_open: list[pikepdf.Pdf] = []  # copied pages read their streams from these at save time
    try:
        rendered = _render_text_items(items, spec.cover.reference, keep_open, tracker)
        item_counts: list[int] = []
        for index, item in enumerate(items):
            before = len(out.pages)
            if isinstance(item, TextItem):
                source, first, count = rendered[index]
                scrubber = Scrubber()
                for page_index in range(first, first + count):
                    copy_page(out, source, source.pages[page_index].obj, scrubber)
            elif isinstance(item, PdfItem):
                _add_pdf(out, item, keep_open, tracker)
            elif isinstance(item, ImageItem):
                _add_image(out, item)
                tracker.step(item.title)
            else:
                raise TypeError(f"Unknown pack item {type(item).__name__}")
            item_counts.append(len(out.pages) - before)

        cover_pdf, item_pages = _render_cover(spec, item_counts)
        tracker.step("Cover and index")
        cover = pikepdf.open(io.BytesIO(cover_pdf))
        keep_open.append(cover)
        scrubber = Scrubber()
        for offset, page in enumerate(cover.pages):
            copy_page(out, cover, page.obj, scrubber, position=offset)

        stamp_all(out, spec.cover.reference)
        tracker.step("Page stamps")
        out.docinfo = out.make_indirect(Dictionary(
            Title=f"{spec.cover.reference} disclosure pack v{spec.cover.version}",
            Producer=PRODUCER,
        ))
        page_count = len(out.pages)
        with open(tmp, "wb") as f:
            out.save(
                f,
                compress_streams=True,
                # Pass compressed streams through as they are: decoding and recompressing every
                # font and image would double the write time for no gain.
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                deterministic_id=True,
            )
            f.flush()
            os.fsync(f.fileno())
    finally:
        out.close()
        for pdf in keep_open:
            pdf.close()

    with pikepdf.open(tmp) as written:
        verify_clean(written)
        if len(written.pages) != page_count:
            raise RuntimeError("The written pack has a different number of pages")
    digest = hashlib.sha256()
    with open(tmp, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    tracker.step("Checked and saved")
    return PackResult(digest.hexdigest(), page_count, tmp.stat().st_size, item_pages)


def _pdf_pages(item: PdfItem) -> int:
    with pikepdf.open(item.path) as pdf:
        return len(pdf.pages)


def _render_text_items(items, reference, keep_open, tracker) -> dict[int, tuple]:
    """Render every text item; returns item index -> (source pdf, first page, page count)."""
    text_indexes = [i for i, item in enumerate(items) if isinstance(item, TextItem)]
    text_items = [items[i] for i in text_indexes]
    rendered: dict[int, tuple] = {}
    for batch in render.batches(text_items):
        result = render.render_items([text_items[i] for i in batch], reference)
        source = pikepdf.open(io.BytesIO(result.pdf))
        keep_open.append(source)
        for position, (first, count) in zip(batch, result.ranges, strict=True):
            rendered[text_indexes[position]] = (source, first, count)
        tracker.step(text_items[batch[-1]].title, len(batch))
    return rendered


def _render_cover(spec: PackSpec, item_counts: list[int]):
    """Render the cover and index until the page numbers it prints match its own length."""
    cover_pages = 2
    for _ in range(5):
        item_pages = []
        page = cover_pages + 1
        for count in item_counts:
            item_pages.append((page, page + count - 1))
            page += count
        rows = [
            {"title": item.title, "author": item.author, "organisation": item.organisation,
             "first": first, "last": last, "redactions": item.redaction_count}
            for item, (first, last) in zip(spec.items, item_pages, strict=True)
        ]
        pdf, actual = render.render_cover(spec.cover, rows)
        if actual == cover_pages:
            return pdf, tuple(item_pages)
        cover_pages = actual
    raise RuntimeError("The index page numbers did not settle")


def _add_pdf(out: pikepdf.Pdf, item: PdfItem, keep_open: list, tracker: _Tracker) -> None:
    source = pikepdf.open(item.path)
    keep_open.append(source)
    count = len(source.pages)
    unknown = [i for i in item.boxes if not 0 <= i < count]
    if unknown:
        # A box for a page that does not exist means the spec and the file disagree.
        raise ValueError(f"{item.title}: boxes for pages {unknown} of a {count}-page PDF")
    doc = pdfium.PdfDocument(item.path)
    scrubber = Scrubber()
    try:
        for index in range(count):
            boxes = item.boxes.get(index)
            if boxes:
                page = doc[index]
                width, height = page.get_size()  # as displayed, after /Rotate
                image = render_pdf_page(page, RASTER_DPI / 72)
                page.close()
                _add_raster_page(out, burn_boxes(image, boxes), width, height)
            else:
                copy_page(out, source, source.pages[index].obj, scrubber)
            tracker.step(f"{item.title}, page {index + 1}")
    finally:
        doc.close()


def _add_image(out: pikepdf.Pdf, item: ImageItem) -> None:
    image = burn_boxes(open_image(item.path), item.boxes)
    page_w, page_h = A4 if image.height >= image.width else (A4[1], A4[0])
    scale = min((page_w - 2 * IMAGE_MARGIN) / image.width,
                (page_h - 2 * IMAGE_MARGIN) / image.height)
    # Keep at most RASTER_DPI worth of pixels: more only makes the pack bigger.
    if scale < 72 / RASTER_DPI:
        factor = scale * RASTER_DPI / 72
        image = image.resize((max(1, round(image.width * factor)),
                              max(1, round(image.height * factor))))
        scale = 72 / RASTER_DPI
    draw_w, draw_h = image.width * scale, image.height * scale
    _add_raster_page(out, image, page_w, page_h,
                     placement=((page_w - draw_w) / 2, (page_h - draw_h) / 2, draw_w, draw_h))


def _add_raster_page(out, image, width, height, placement=None) -> None:
    """Append a page of `width`×`height` points holding only `image` (re-encoded as JPEG)."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
    xobject = pikepdf.Stream(out, buffer.getvalue())
    xobject.Type, xobject.Subtype = Name.XObject, Name.Image
    xobject.Width, xobject.Height = image.width, image.height
    xobject.ColorSpace, xobject.BitsPerComponent = Name.DeviceRGB, 8
    xobject.Filter = Name.DCTDecode
    x, y, w, h = placement or (0, 0, width, height)
    contents = pikepdf.Stream(out, f"q {w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /Im0 Do Q".encode())
    page = Dictionary(
        Type=Name.Page,
        MediaBox=[0, 0, round(width, 3), round(height, 3)],
        Resources=Dictionary(XObject=Dictionary(Im0=xobject)),
        Contents=contents,
    )
    out.pages.append(pikepdf.Page(page))
