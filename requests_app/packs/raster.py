"""Rasterise every uploaded page on a worker thread, straight into a spill PDF on disk.

Every page of an uploaded PDF, boxed or not, and every photo reaches the pack only as pixels
(see packs/pages.py): nothing of the original's content streams, fonts, layers, XObjects,
annotations or metadata is copied, so nothing the redaction screen did not show can go out.

Two reasons for the thread: pdfium (through ctypes) and Pillow's JPEG encoder release the GIL,
so pages are rasterised while WeasyPrint lays out the text records on the calling thread; and
writing each JPEG to disk as soon as it is made keeps a 500-page pack's pictures out of memory
(pikepdf reads them back lazily when the pack is saved).

The spill file is a plain PDF written by hand: one image, one content stream and one page per
raster page. It only ever holds pixels we painted, so it needs no sanitising.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageFile

from requests_app.packs.limits import RASTER_DPI, page_size_problem
from requests_app.packs.locks import PDFIUM_LOCK
from requests_app.packs.pages import burn_boxes, open_image, render_pdf_page
from requests_app.packs.spec import Box

JPEG_QUALITY = 80
# Pillow's encoders hand their output back in MAXBLOCK chunks (64 KB by default), taking the GIL
# back for each: one page's JPEG (~450 KB) in a single chunk is one wait for the GIL instead of
# eight while WeasyPrint holds it on the other thread. Only the size of a scratch buffer.
ImageFile.MAXBLOCK = max(ImageFile.MAXBLOCK, 4 << 20)
A4 = (595.28, 841.89)
IMAGE_MARGIN = 36.0  # points around an uploaded photo, clear of the stamp band


@dataclass(frozen=True)
class RasterJob:
    key: tuple[int, int]  # (item index, page index)
    path: str
    boxes: tuple[Box, ...]
    is_image: bool = False
    alt: str = ""  # the page's alternative text (see `alt_text`)
    title: str = ""  # the document's title as the pack prints it, for error messages


class PageTooLarge(ValueError):
    """An uploaded page (stored before the upload limits) is too big to rasterise safely."""


def alt_text(title: str, page: int) -> str:
    return (f"Image of page {page} of {title} as received; the original's text is not "
            "included.")


def _pdf_string(text: str) -> bytes:
    # UTF-16BE with a byte order mark, hex-encoded: any title, nothing to escape.
    return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().upper().encode() + b">"


class SpillWriter:
    """Write raster pages to a PDF file one at a time; `close()` writes the page tree."""

    def __init__(self, path: Path):
        self.file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.next_number = 3  # 1 is the catalog, 2 the page tree

    def _object(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.file.tell()
        self.file.write(b"%d 0 obj\n" % number + body)
        if stream is not None:
            self.file.write(b"\nstream\n" + stream + b"\nendstream")
        self.file.write(b"\nendobj\n")

    def add_page(self, jpeg: bytes, pixels: tuple[int, int], size: tuple[float, float],
                 placement: tuple[float, float, float, float] | None = None,
                 alt: str = "") -> int:
        image, contents, page = self.next_number, self.next_number + 1, self.next_number + 2
        self.next_number += 3
        self._object(image, b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                     b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
                     b"/Length %d >>" % (pixels[0], pixels[1], len(jpeg)), jpeg)
        x, y, w, h = placement or (0, 0, size[0], size[1])
        drawing = f"q {w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /Im0 Do Q".encode()
        if alt:
            # A figure with alternative text, so a screen reader says what the page is rather
            # than nothing (the pack has no structure tree: see ADR 0010).
            drawing = b"/Figure << /Alt " + _pdf_string(alt) + b" >> BDC " + drawing + b" EMC"
        self._object(contents, b"<< /Length %d >>" % len(drawing), drawing)
        self._object(page, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]:.3f} "
                     f"{size[1]:.3f}] /Resources << /XObject << /Im0 {image} 0 R >> >> "
                     f"/Contents {contents} 0 R >>".encode())
        self.pages.append(page)
        return len(self.pages) - 1

    def close(self) -> None:
        kids = b" ".join(b"%d 0 R" % n for n in self.pages)
        self._object(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        self._object(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.pages)))
        xref = self.file.tell()
        self.file.write(b"xref\n0 %d\n0000000000 65535 f \n" % self.next_number)
        for number in range(1, self.next_number):
            self.file.write(b"%010d 00000 n \n" % self.offsets[number])
        self.file.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                        % (self.next_number, xref))
        self.file.close()


def _jpeg(image) -> bytes:
    if image.mode not in ("RGB", "RGBX"):
        image = image.convert("RGB")
    # Pixels only: Pillow's encoder would write a comment left in `info` back into the file.
    image.info.clear()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def _image_page(job: RasterJob):
    """An uploaded photo on an A4 page (turned to its shape), boxes burnt in, at most 150 dpi."""
    image = burn_boxes(open_image(job.path), job.boxes)
    page_w, page_h = A4 if image.height >= image.width else (A4[1], A4[0])
    scale = min((page_w - 2 * IMAGE_MARGIN) / image.width,
                (page_h - 2 * IMAGE_MARGIN) / image.height)
    if scale < 72 / RASTER_DPI:
        factor = scale * RASTER_DPI / 72
        image = image.resize((max(1, round(image.width * factor)),
                              max(1, round(image.height * factor))))
        scale = 72 / RASTER_DPI
    draw_w, draw_h = image.width * scale, image.height * scale
    placement = ((page_w - draw_w) / 2, (page_h - draw_h) / 2, draw_w, draw_h)
    return image, (page_w, page_h), placement


class Rasteriser(threading.Thread):
    """Runs `jobs` in order into `spill`; `done` counts finished pages, `error` holds a failure."""

    def __init__(self, jobs: Iterable[RasterJob], spill_path: Path):
        super().__init__(name="pack-rasteriser", daemon=True)
        self.jobs = list(jobs)
        self.spill_path = spill_path
        self.index: dict[tuple[int, int], int] = {}
        self.done = 0
        self.error: BaseException | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        writer = SpillWriter(self.spill_path)
        documents: dict[str, pdfium.PdfDocument] = {}
        try:
            for job in self.jobs:
                if self.stop.is_set():
                    return
                if job.is_image:
                    image, size, placement = _image_page(job)
                else:
                    with PDFIUM_LOCK:
                        if job.path not in documents:
                            for doc in documents.values():
                                doc.close()
                            documents = {job.path: pdfium.PdfDocument(job.path)}
                        # As displayed (crop box, after /Rotate), read before the page is
                        # parsed, so an oversized page is refused before it costs anything.
                        size = documents[job.path].get_page_size(job.key[1])
                        problem = page_size_problem(*size)
                        if problem:
                            raise PageTooLarge(f"Page {job.key[1] + 1} of '{job.title}' "
                                               f"{problem}.")
                        page = documents[job.path][job.key[1]]
                        image = render_pdf_page(page, RASTER_DPI / 72)
                        page.close()
                    placement = None
                    burn_boxes(image, job.boxes)
                self.index[job.key] = writer.add_page(_jpeg(image), image.size, size, placement,
                                                      job.alt)
                del image  # one page's pixels at a time
                self.done += 1
            writer.close()
        except BaseException as exc:  # handed to the calling thread, which re-raises it
            self.error = exc
        finally:
            writer.file.close()
            with PDFIUM_LOCK:
                for doc in documents.values():
                    doc.close()
