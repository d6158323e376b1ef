"""Check an uploaded file before it is stored: what it really is, and whether we can use it.

The type comes from the file's first bytes only; a name or a browser's content type is a claim
by whoever made the file. Each refusal carries one plain-English sentence for the page.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from PIL import Image

from requests_app.packs.limits import MAX_PAGE_PIXELS, page_size_problem
from requests_app.packs.locks import PDFIUM_LOCK

MAX_PAGES = 500
MAX_PIXELS = 40_000_000  # larger images are refused as possible decompression bombs

MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class UploadRefused(Exception):
    """The upload cannot be used; str(exc) is the sentence to show."""


@dataclass(frozen=True)
class UploadInfo:
    content_type: str
    page_count: int
    sha256: str
    size: int


def sniff_type(path_or_head) -> str | None:
    """The content type named by the magic bytes at the start, or None."""
    if isinstance(path_or_head, bytes):
        head = path_or_head
    else:
        with open(path_or_head, "rb") as f:
            head = f.read(16)
    # Some PDF writers put junk before %PDF-; readers allow it within the first 1 KB, but a
    # file we cannot name by its first bytes is refused rather than guessed at.
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def inspect_upload(fileobj_or_path, *, max_pages: int = MAX_PAGES,
                   max_bytes: int | None = None,
                   max_page_pixels: int = MAX_PAGE_PIXELS) -> UploadInfo:
    """Return what the upload is, or raise UploadRefused saying why it cannot be used."""
    limits = (max_pages, max_bytes, max_page_pixels)
    if isinstance(fileobj_or_path, (str, os.PathLike)):
        return _inspect_path(Path(fileobj_or_path), *limits)
    # A file object (e.g. Django's UploadedFile): spool it to disk so pikepdf and pdfium can
    # read it without holding it all in memory.
    with tempfile.NamedTemporaryFile(suffix=".upload") as tmp:
        if hasattr(fileobj_or_path, "seek"):
            fileobj_or_path.seek(0)
        shutil.copyfileobj(fileobj_or_path, tmp, 1 << 20)
        tmp.flush()
        return _inspect_path(Path(tmp.name), *limits)


def _inspect_path(path: Path, max_pages: int, max_bytes: int | None,
                  max_page_pixels: int) -> UploadInfo:
    size = path.stat().st_size
    if size == 0:
        raise UploadRefused("The selected file is empty.")
    if max_bytes is not None and size > max_bytes:
        raise UploadRefused(f"The selected file must be smaller than {max_bytes // 1_000_000} MB.")
    content_type = sniff_type(path)
    if content_type is None:
        raise UploadRefused("The selected file must be a PDF, PNG or JPEG.")
    is_pdf = content_type == "application/pdf"
    pages = _check_pdf(path, max_pages, max_page_pixels) if is_pdf else _check_image(path)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return UploadInfo(content_type, pages, digest.hexdigest(), size)


def _check_pdf(path: Path, max_pages: int, max_page_pixels: int) -> int:
    try:
        with pikepdf.open(path) as pdf:
            # An owner password alone lets anyone read the file, but it marks the author's wish
            # to restrict it, and we rewrite its pages; ask for a clean copy instead.
            if pdf.is_encrypted:
                raise UploadRefused(_PASSWORD)
            count = len(pdf.pages)
    except pikepdf.PasswordError:
        raise UploadRefused(_PASSWORD) from None
    except UploadRefused:
        raise
    except Exception:
        raise UploadRefused(_CORRUPT_PDF) from None
    if count == 0:
        raise UploadRefused("The selected PDF has no pages.")
    # pdfium renders the redaction screen and the pack; it must be able to read it too.
    try:
        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                if len(doc) != count:
                    raise UploadRefused(_CORRUPT_PDF)
                doc[0].get_size()
                if count <= max_pages:
                    _check_page_sizes(doc, max_page_pixels)
            finally:
                doc.close()
    except UploadRefused:
        raise
    except Exception:
        raise UploadRefused(_CORRUPT_PDF) from None
    if count > max_pages:
        raise UploadRefused(
            f"The selected PDF has {count} pages; it must have {max_pages} pages or fewer. "
            "Split it into smaller files and upload them separately."
        )
    return count


def _check_page_sizes(doc: pdfium.PdfDocument, max_page_pixels: int) -> None:
    """Every page is rasterised for the pack: refuse pages too big to rasterise safely."""
    for index in range(len(doc)):
        # The size pdfium renders (crop box, turned by /Rotate), read without parsing the
        # page's content.
        width, height = doc.get_page_size(index)
        problem = page_size_problem(width, height, max_pixels=max_page_pixels)
        if problem:
            raise UploadRefused(
                f"Page {index + 1} of the selected PDF {problem}. Save or scan it at a "
                "smaller page size and upload it again."
            )


def _check_image(path: Path) -> int:
    try:
        with Image.open(path) as img:
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise UploadRefused(
                    "The selected image is too large; it must be under 40 megapixels."
                )
            img.verify()
        # verify() does not decode pixels; a truncated image only fails when loaded...
        with Image.open(path) as img:
            img.load()
        # ...unless LOAD_TRUNCATED_IMAGES is on, which importing WeasyPrint turns on for the
        # whole process. A JPEG cut short has no end-of-image marker after its last scan.
        if sniff_type(path) == "image/jpeg":
            data = path.read_bytes()
            if data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda"):
                raise UploadRefused(_DAMAGED_IMAGE)
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        raise UploadRefused("The selected image is too large; it must be under 40 megapixels.") \
            from None
    except Exception:
        raise UploadRefused(_DAMAGED_IMAGE) from None
    return 1


_PASSWORD = "The selected PDF is password-protected. Remove the password and upload it again."
_CORRUPT_PDF = "The selected PDF is damaged and cannot be opened."
_DAMAGED_IMAGE = "The selected image is damaged and cannot be opened."

__all__ = ["MAX_PAGES", "UploadInfo", "UploadRefused", "inspect_upload", "sniff_type"]
