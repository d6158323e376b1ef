"""Build one disclosure pack PDF from a PackSpec.

Order of work: every uploaded page and photo is rasterised on a worker thread into a spill PDF
while text records, then the cover and index (which need every item's page count), are
rendered (WeasyPrint) on this one; the text pages are put between the raster pages and the cover
in front; every page is stamped; the file is written next to its destination, read back
and checked by `verify_clean`, hashed, and only then renamed into place. Any failure removes
the temporary files, so `out_path` is either a whole checked pack or untouched.

Every uploaded page goes out as a picture of itself as the redaction screen showed it, boxes
burnt into the pixels: nothing of the original file is copied, so nothing hidden in it (layers,
white or clipped text, shared XObjects, annotations, metadata) survives in any form. Only our
own WeasyPrint pages are copied, through the scrubbing `copy_page`.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
from pikepdf import Dictionary

from requests_app.packs import render
from requests_app.packs.limits import MAX_TEXT_PAGES, estimate_text_pages
from requests_app.packs.pages import page_count as pdf_page_count
from requests_app.packs.raster import JPEG_QUALITY, RASTER_DPI, Rasteriser, RasterJob, alt_text
from requests_app.packs.sanitise import Scrubber, copy_page, verify_clean
from requests_app.packs.spec import ImageItem, PackResult, PackSpec, PdfItem, TextItem
from requests_app.packs.stamp import stamp_all

Progress = Callable[[int, int, str], None]
PRODUCER = "Access to Records"
__all__ = ["JPEG_QUALITY", "RASTER_DPI", "Progress", "build_pack"]


class _Tracker:
    """Progress in units of work: one per text record, uploaded page or photo, plus 3 steps.

    Always called on the caller's thread (never the rasteriser's), so a callback may use the
    caller's database connection.
    """

    def __init__(self, total: int, progress: Progress | None, rasteriser: Rasteriser):
        self.total, self.progress, self.rasteriser = total, progress, rasteriser
        self.done = 0

    def step(self, label: str, n: int = 1) -> None:
        self.done += n
        self.report(label)

    def report(self, label: str) -> None:
        if self.progress:
            self.progress(min(self.total, self.done + self.rasteriser.done), self.total, label)


# The rasteriser thread runs mostly in C (pdfium, libjpeg) without the GIL, but takes it back
# a dozen or more times a page; while WeasyPrint runs Python on this thread each of those waits
# for the switch interval (5 ms by default), which starved the rasteriser to a third of its
# speed. 0.5 ms lets it back in quickly, for a few per cent more switching on this thread.
SWITCH_INTERVAL = 0.0005


def build_pack(spec: PackSpec, out_path, progress: Progress | None = None) -> PackResult:
    out_path = Path(out_path)
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, SWITCH_INTERVAL))
    try:
        # Everything temporary lives next to the destination (the service puts that in the
        # run's own work folder), so the final rename is atomic and a killed run leaves only
        # a folder that the next run's sweep removes.
        with tempfile.TemporaryDirectory(dir=out_path.parent,
                                         prefix=f".{out_path.name}.") as work:
            tmp = Path(work) / "pack.pdf"
            result = _build(spec, tmp, Path(work), progress)
            os.replace(tmp, out_path)
    finally:
        sys.setswitchinterval(previous)
    return result


def _raster_jobs(items, page_counts: dict[int, int]) -> list[RasterJob]:
    jobs = []
    for index, item in enumerate(items):
        if isinstance(item, PdfItem):
            for page in range(page_counts[index]):
                jobs.append(RasterJob((index, page), str(item.path),
                                      tuple(item.boxes.get(page, ())),
                                      alt=alt_text(item.title, page + 1), title=item.title))
        elif isinstance(item, ImageItem):
            jobs.append(RasterJob((index, 0), str(item.path), tuple(item.boxes), is_image=True,
                                  alt=alt_text(item.title, 1), title=item.title))
    return jobs


def _build(spec: PackSpec, tmp: Path, work: Path, progress: Progress | None) -> PackResult:
    items = spec.items
    page_counts: dict[int, int] = {}
    for index, item in enumerate(items):
        if isinstance(item, PdfItem):
            page_counts[index] = pdf_page_count(item.path)
            _check_boxes(item, page_counts[index])
        elif isinstance(item, TextItem):
            # Refused at saving since the limit exists; this catches records saved before it.
            if estimate_text_pages(item.text) > MAX_TEXT_PAGES:
                raise ValueError(f"'{item.title}' would make more than {MAX_TEXT_PAGES} pages: "
                                 "split it into more than one record")
        elif not isinstance(item, ImageItem):
            raise TypeError(f"Unknown pack item {type(item).__name__}")
    keep_open: list[pikepdf.Pdf] = []  # copied pages read their streams from these at save time
    out = None
    rasteriser = Rasteriser(_raster_jobs(items, page_counts), work / "raster.pdf")
    try:
        units = 3 + sum(page_counts.get(i, 1) for i in range(len(items)))
        tracker = _Tracker(units, progress, rasteriser)
        rasteriser.start()
        rendered = _render_text_items(items, spec.cover.reference, keep_open, tracker)
        # Every item's page count is known now (uploads page for page, a photo one page), so
        # the cover and index are laid out while the rasteriser is still at work.
        item_counts = [rendered[index][2] if isinstance(item, TextItem)
                       else page_counts.get(index, 1) for index, item in enumerate(items)]
        cover_pdf, item_pages = _render_cover(spec, item_counts)
        tracker.step("Cover and index")
        # The pack is built inside the rasteriser's spill file, whose pages are already in pack
        # order: pikepdf copies a foreign stream's data into memory at once, and the raster
        # pages are most of a pack's bytes, so they must stay where they are and be read from
        # disk only when the pack is written.
        out = _wait_for(rasteriser, tracker)

        position = 0  # where the next page goes; raster pages are already in place
        for index, item in enumerate(items):
            if isinstance(item, TextItem):
                source, first, count = rendered[index]
                scrubber = Scrubber()
                for page_index in range(first, first + count):
                    copy_page(out, source, source.pages[page_index].obj, scrubber, position)
                    position += 1
            else:
                position += item_counts[index]  # all already in place, as pictures
        if position != len(out.pages):
            raise RuntimeError("Pack pages out of step with the rasterised pages")

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
        rasteriser.stop.set()
        if rasteriser.is_alive():
            rasteriser.join()
        if out is not None:
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


def _check_boxes(item: PdfItem, count: int) -> None:
    unknown = [i for i in item.boxes if not 0 <= i < count]
    if unknown:
        # A box for a page that does not exist means the spec and the file disagree.
        raise ValueError(f"{item.title}: boxes for pages {unknown} of a {count}-page PDF")


def _wait_for(rasteriser: Rasteriser, tracker: _Tracker) -> pikepdf.Pdf:
    while rasteriser.is_alive():
        rasteriser.join(timeout=0.5)
        tracker.report("Redacting uploaded pages")
    if rasteriser.error is not None:
        raise rasteriser.error
    # Stream access: with mmap, every raster page read while writing would count as ours.
    return pikepdf.open(rasteriser.spill_path, access_mode=pikepdf.AccessMode.stream)


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
