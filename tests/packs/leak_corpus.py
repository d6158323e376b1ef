"""A corpus of uploads that hide a planted string everywhere a PDF, JPEG or PNG can hide one.

Every file is made here, from PDF syntax (pikepdf) and pixels (Pillow), never copied in as a
binary: a reader can see exactly what each case hides and how. `make(case, folder, secret)`
writes one file; `recover(path, secret)` names every route by which `secret` can still be read
from a file (text extraction by poppler and pdfium, a scan of every object and decoded stream,
the document's metadata, outline, links, attachments and name trees, and the metadata of every
image, embedded or uploaded). The tests show each case's secret *is* recoverable from its
source, then that none is recoverable from a pack.

    uv run python -m tests.packs.leak_corpus /tmp/corpus   # write the files for a human to open
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from pikepdf import Array, Dictionary, Name, String
from PIL import Image, PngImagePlugin

A4 = (595, 842)
RED = b"1 0 0 rg"  # secrets that are drawn at all are drawn in red, so pixels can be checked


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "pdf", "jpeg" or "png"
    what: str  # where the secret hides, in words
    write: Callable[[Path, str], None]
    # Page index where the secret is drawn so the redactor can see it (and so boxes it); None
    # when the redaction screen's page image does not show it at all.
    visible_page: int | None = None

    @property
    def suffix(self) -> str:
        return {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}[self.kind]


# --- building PDFs ---------------------------------------------------------------------------
def _font(pdf: pikepdf.Pdf):
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                        BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))


def _new_pdf(pages: int = 1) -> pikepdf.Pdf:
    """A PDF of `pages` A4 pages, each with an innocent visible line in Helvetica (/F1)."""
    pdf = pikepdf.new()
    font = _font(pdf)
    for number in range(pages):
        page = pdf.add_blank_page(page_size=A4)
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(
            b"0 g BT /F1 14 Tf 72 760 Td (Corpus page %d: nothing to see here) Tj ET" % number)
    return pdf


def _draw(pdf: pikepdf.Pdf, page_index: int, ops: bytes) -> None:
    pdf.pages[page_index].contents_add(pdf.make_stream(ops))


def _text(secret: str, x=72, y=600, size=24) -> bytes:
    return b"BT /F1 %d Tf %d %d Td (%s) Tj ET" % (size, x, y, secret.encode())


def _save(pdf: pikepdf.Pdf, path: Path) -> None:
    pdf.save(path)
    pdf.close()


def _form_xobject(pdf: pikepdf.Pdf, ops: bytes, font) -> pikepdf.Stream:
    form = pdf.make_stream(ops)
    form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 595, 842])
    form.Resources = Dictionary(Font=Dictionary(F1=font))
    return form


def pdf_visible_boxed(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    _draw(pdf, 0, b"q " + RED + b" " + _text(secret) + b" Q")
    _save(pdf, path)


def pdf_hidden_layer(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name="Hidden notes"))
    pdf.pages[0].obj.Resources.Properties = Dictionary(L1=layer)
    # Off in the default configuration: no viewer (and not the redaction screen) shows it.
    pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(
        OFF=Array([layer]), Order=Array([layer])))
    _draw(pdf, 0, b"/OC /L1 BDC q " + RED + b" " + _text(secret) + b" Q EMC")
    _save(pdf, path)


def pdf_shared_xobject(path: Path, secret: str) -> None:
    """Page 1 draws a form XObject showing the secret; page 2 shares page 1's resources (so
    carries the XObject) but does not draw it."""
    pdf = _new_pdf(2)
    font = pdf.pages[0].obj.Resources.Font.F1
    form = _form_xobject(pdf, b"q " + RED + b" " + _text(secret) + b" Q", font)
    shared = pdf.make_indirect(Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(Fx=form)))
    pdf.pages[0].obj.Resources = shared
    pdf.pages[1].obj.Resources = shared
    _draw(pdf, 0, b"q /Fx Do Q")
    _save(pdf, path)


def pdf_unused_xobject(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    form = _form_xobject(pdf, _text(secret), pdf.pages[0].obj.Resources.Font.F1)
    pdf.pages[0].obj.Resources.XObject = Dictionary(Unused=form)
    _save(pdf, path)


def pdf_white_text(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    _draw(pdf, 0, b"q 1 g " + _text(secret) + b" Q")
    _save(pdf, path)


def pdf_tiny_text(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    _draw(pdf, 0, b"q 0 g " + _text(secret, size=1) + b" Q")
    _save(pdf, path)


def pdf_clipped_text(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    _draw(pdf, 0, b"q 0 0 1 1 re W n " + RED + b" " + _text(secret) + b" Q")
    _save(pdf, path)


def pdf_offpage_text(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    _draw(pdf, 0, b"q " + RED + b" " + _text(secret, x=1400, y=1900) + b" Q")
    _save(pdf, path)


def pdf_under_rectangle(path: Path, secret: str) -> None:
    """Looks redacted on screen: the text is there, a black rectangle drawn over it."""
    pdf = _new_pdf()
    _draw(pdf, 0, b"q " + RED + b" " + _text(secret) + b" Q q 0 g 60 590 420 40 re f Q")
    _save(pdf, path)


def pdf_invisible_render_mode(path: Path, secret: str) -> None:
    """Text render mode 3 (neither fill nor stroke), as OCR software writes its text layer."""
    pdf = _new_pdf()
    _draw(pdf, 0, b"q BT 3 Tr /F1 24 Tf 72 600 Td (%s) Tj ET Q" % secret.encode())
    _save(pdf, path)


def pdf_actual_text(path: Path, secret: str) -> None:
    """Visible glyphs say something innocent; the marked content's /ActualText says the secret."""
    pdf = _new_pdf()
    _draw(pdf, 0, b"/Span << /ActualText (%s) >> BDC 0 g BT /F1 24 Tf 72 600 Td "
          b"(Innocent words) Tj ET EMC" % secret.encode())
    _save(pdf, path)


def pdf_annotations(path: Path, secret: str) -> None:
    """A sticky note, a free-text annotation with an appearance stream, a link and a filled
    form field; the redaction screen draws none of them."""
    pdf = _new_pdf()
    page = pdf.pages[0]
    font = page.obj.Resources.Font.F1
    appearance = _form_xobject(pdf, RED + b" " + _text(secret, x=2, y=4, size=10), font)
    appearance.BBox = Array([0, 0, 300, 20])
    widget = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T="name", V=secret,
        Rect=Array([72, 400, 372, 420]), AP=Dictionary(N=appearance), P=page.obj))
    page.obj.Annots = pdf.make_indirect(Array([
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Text, Contents=secret,
                                     Rect=Array([300, 300, 320, 320]))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.FreeText, Contents=secret,
                                     DA="/Helv 10 Tf 0 g", Rect=Array([72, 500, 372, 520]),
                                     AP=Dictionary(N=appearance))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link,
                                     Rect=Array([72, 200, 200, 220]),
                                     A=Dictionary(S=Name.URI,
                                                  URI=f"https://example.test/{secret}"))),
        widget,
    ]))
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]), NeedAppearances=False)
    _save(pdf, path)


def pdf_attachment(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    pdf.attachments[f"{secret}.txt"] = pikepdf.AttachedFileSpec(
        pdf, f"notes: {secret}".encode(), description=secret, mime_type="text/plain")
    _save(pdf, path)


def pdf_javascript(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=f"app.alert('{secret}');"))
    pdf.Root.OpenAction = script
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), script])))
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.JavaScript,
                                                  JS=pdf.make_stream(secret.encode())))
    _save(pdf, path)


def pdf_xmp_metadata(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:description"] = secret
    pdf.pages[0].obj.Metadata = pdf.make_stream(f"<x:xmpmeta>{secret}</x:xmpmeta>".encode())
    _save(pdf, path)


def pdf_info_metadata(path: Path, secret: str) -> None:
    pdf = _new_pdf()
    pdf.docinfo["/Title"] = "Report"
    pdf.docinfo["/Subject"] = secret
    pdf.docinfo["/Keywords"] = String(secret)
    pdf.docinfo["/Author"] = f"{secret}é"  # forces a UTF-16 string
    _save(pdf, path)


def pdf_outline(path: Path, secret: str) -> None:
    pdf = _new_pdf(2)
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(secret, 1))
    _save(pdf, path)


def pdf_embedded_image_metadata(path: Path, secret: str) -> None:
    """A photo inside the PDF whose JPEG carries a comment, EXIF and GPS; the image's own
    /Metadata stream too."""
    pdf = _new_pdf()
    jpeg = _jpeg_bytes(secret, comment=True, exif=True)
    image = pdf.make_stream(jpeg)
    image.Type, image.Subtype, image.Width, image.Height = Name.XObject, Name.Image, 120, 80
    image.ColorSpace, image.BitsPerComponent, image.Filter = Name.DeviceRGB, 8, Name.DCTDecode
    image.Metadata = pdf.make_stream(secret.encode())
    pdf.pages[0].obj.Resources.XObject = Dictionary(Photo=image)
    _draw(pdf, 0, b"q 120 0 0 80 72 500 cm /Photo Do Q")
    _save(pdf, path)


# --- building images -------------------------------------------------------------------------
def _photo() -> Image.Image:
    image = Image.new("RGB", (120, 80), (230, 235, 240))
    image.paste((40, 90, 160), (20, 20, 100, 60))
    return image


def _exif(secret: str) -> bytes:
    exif = Image.Exif()
    exif[0x010E] = secret  # ImageDescription
    exif[0x013B] = secret  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 57.0, 1.5)  # latitude
    gps[3], gps[4] = "W", (1.0, 9.0, 3.2)  # longitude
    gps[0x12] = secret  # GPSMapDatum
    return exif.tobytes()


def _xmp_segment(secret: str) -> bytes:
    body = (b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
            + secret.encode() + b"</x:xmpmeta>")
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


def _jpeg_bytes(secret: str, *, comment=False, exif=False, icc=False, xmp=False,
                trailing=False) -> bytes:
    kwargs = {}
    if comment:
        kwargs["comment"] = f"Taken by {secret}".encode()
    if exif:
        kwargs["exif"] = _exif(secret)
    if icc:
        # Pillow stores the profile it is given; a profile's description is free text.
        kwargs["icc_profile"] = b"\x00" * 128 + f"desc {secret}".encode()
    buffer = io.BytesIO()
    _photo().save(buffer, format="JPEG", quality=90, **kwargs)
    data = buffer.getvalue()
    if xmp:
        data = data[:2] + _xmp_segment(secret) + data[2:]
    if trailing:
        data += f"appended after the end marker: {secret}".encode()
    return data


def _writer(**flags) -> Callable[[Path, str], None]:
    def write(path: Path, secret: str) -> None:
        path.write_bytes(_jpeg_bytes(secret, **flags))
    return write


def png_text_chunks(path: Path, secret: str) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", f"tEXt {secret}")
    info.add_text("Author", f"zTXt {secret}", zip=True)
    info.add_itxt("Description", f"iTXt {secret}", lang="en", tkey="Description")
    image = _photo()
    exif = Image.Exif()
    exif[0x010E] = secret
    image.save(path, format="PNG", pnginfo=info, exif=exif.tobytes())


CASES: tuple[Case, ...] = (
    Case("visible_boxed", "pdf", "visible text, boxed by the redactor", pdf_visible_boxed, 0),
    Case("hidden_layer", "pdf", "optional-content layer off by default", pdf_hidden_layer),
    Case("shared_xobject", "pdf", "form XObject drawn on page 1, boxed there, shared with page 2",
         pdf_shared_xobject, 0),
    Case("unused_xobject", "pdf", "form XObject in the resources, never drawn",
         pdf_unused_xobject),
    Case("white_text", "pdf", "white text on the white page", pdf_white_text),
    Case("tiny_text", "pdf", "1 pt text", pdf_tiny_text),
    Case("clipped_text", "pdf", "text outside its clipping path", pdf_clipped_text),
    Case("offpage_text", "pdf", "text placed off the page", pdf_offpage_text),
    Case("under_rectangle", "pdf", "text under a filled black rectangle", pdf_under_rectangle),
    Case("invisible_text", "pdf", "text render mode 3 (an OCR layer)",
         pdf_invisible_render_mode),
    Case("actual_text", "pdf", "/ActualText of marked content", pdf_actual_text),
    Case("annotations", "pdf", "note, free text, link and form field", pdf_annotations),
    Case("attachment", "pdf", "an embedded file", pdf_attachment),
    Case("javascript", "pdf", "JavaScript in OpenAction, names and page actions",
         pdf_javascript),
    Case("xmp_metadata", "pdf", "document and page XMP", pdf_xmp_metadata),
    Case("info_metadata", "pdf", "the Info dictionary", pdf_info_metadata),
    Case("outline", "pdf", "a bookmark title", pdf_outline),
    Case("pdf_image_metadata", "pdf", "comment, EXIF/GPS and /Metadata of an embedded JPEG",
         pdf_embedded_image_metadata),
    Case("jpeg_comment", "jpeg", "a JPEG COM segment", _writer(comment=True)),
    Case("jpeg_exif_gps", "jpeg", "EXIF description, artist and GPS", _writer(exif=True)),
    Case("jpeg_xmp", "jpeg", "an XMP APP1 segment", _writer(xmp=True)),
    Case("jpeg_icc", "jpeg", "text in an ICC profile", _writer(icc=True)),
    Case("jpeg_trailing", "jpeg", "bytes after the end-of-image marker", _writer(trailing=True)),
    Case("png_text", "png", "tEXt, zTXt, iTXt and eXIf chunks", png_text_chunks),
)
BY_NAME = {case.name: case for case in CASES}


def secret_for(case: Case, nonce: str = "") -> str:
    """A string found nowhere else: letters only, so every extractor keeps it in one piece."""
    letters = re.sub(r"[^A-Z]", "", case.name.upper())
    return f"QZ{letters}{nonce}XQ"


def make(case: Case, folder: Path, secret: str | None = None) -> Path:
    path = Path(folder) / f"{case.name}{case.suffix}"
    case.write(path, secret or secret_for(case))
    return path


# --- recovering ------------------------------------------------------------------------------
def _variants(secret: str) -> list[bytes]:
    return [secret.encode(), secret.encode("utf-16-be"), secret.encode("utf-16-le")]


def _pdf_texts(path: Path) -> dict[str, str]:
    poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                             text=True, check=True).stdout
    doc = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in doc:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
    finally:
        doc.close()
    return {"pdftotext": poppler, "pdfium text": "\n".join(texts)}


def _object_bytes(pdf: pikepdf.Pdf) -> bytes:
    chunks = []
    for obj in pdf.objects:
        with contextlib.suppress(Exception):
            chunks.append(obj.unparse(resolved=True))
        if isinstance(obj, pikepdf.Stream):
            try:
                chunks.append(obj.read_bytes())
            except Exception:
                raw = obj.read_raw_bytes()
                chunks.append(raw)
                with contextlib.suppress(zlib.error):
                    chunks.append(zlib.decompress(raw))
    return b"\n".join(chunks)


def _strings(pdf: pikepdf.Pdf) -> str:
    """Every string object, decoded (so UTF-16 and hex strings are read as text)."""
    found, seen = [], set()
    stack = [obj for obj in pdf.objects if isinstance(obj, (Dictionary, Array, pikepdf.Stream))]
    stack.append(pdf.trailer)
    while stack:
        obj = stack.pop()
        if isinstance(obj, String):
            found.append(str(obj))
            continue
        if not isinstance(obj, (Dictionary, Array, pikepdf.Stream)):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        stack.extend(obj.values() if not isinstance(obj, Array) else list(obj))
    return "\n".join(found)


def _document_parts(pdf: pikepdf.Pdf) -> str:
    parts = [repr(dict(pdf.docinfo)) if "/Info" in pdf.trailer else ""]
    with contextlib.suppress(Exception):
        parts.append(str(pdf.open_metadata()))
    with contextlib.suppress(Exception):
        parts.extend(item.title for item in pdf.open_outline().root)
    for name, spec in pdf.attachments.items():
        parts.append(name)
        with contextlib.suppress(Exception):
            parts.append(spec.get_file().read_bytes().decode("latin-1"))
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            parts.append(repr(annot))
    if "/Names" in pdf.Root:
        parts.append(repr(pdf.Root.Names))
    return "\n".join(parts)


def _image_metadata(image: Image.Image) -> str:
    parts = [repr(image.info), repr(getattr(image, "applist", ""))]
    with contextlib.suppress(Exception):
        exif = image.getexif()
        parts.append(repr(dict(exif)))
        for ifd in (0x8825, 0x8769):
            parts.append(repr(dict(exif.get_ifd(ifd))))
    return "\n".join(parts)


def _embedded_images(pdf: pikepdf.Pdf) -> str:
    parts = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image:
            if obj.get("/Filter") == Name.DCTDecode:
                parts.append(_image_metadata(Image.open(io.BytesIO(obj.read_raw_bytes()))))
            else:
                with contextlib.suppress(Exception):
                    parts.append(_image_metadata(pikepdf.PdfImage(obj).as_pil_image()))
    return "\n".join(parts)


def recover(path: Path, secret: str) -> list[str]:
    """Every route by which `secret` can be read from the file at `path` (empty: none)."""
    path = Path(path)
    found = []
    raw = path.read_bytes()
    if any(v in raw for v in _variants(secret)):
        found.append("file bytes")
    if raw.startswith(b"%PDF"):
        for name, text in _pdf_texts(path).items():
            if secret in text:
                found.append(name)
        with pikepdf.open(path) as pdf:
            if any(v in _object_bytes(pdf) for v in _variants(secret)):
                found.append("objects and decoded streams")
            if secret in _strings(pdf):
                found.append("string objects")
            if secret in _document_parts(pdf):
                found.append("metadata, outline, links, attachments or names")
            if secret in _embedded_images(pdf):
                found.append("embedded image metadata")
    else:
        with Image.open(path) as image:
            if secret in _image_metadata(image):
                found.append("image metadata")
    return found


def main(argv: list[str]) -> None:
    folder = Path(argv[0] if argv else "leak-corpus")
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        path = make(case, folder)
        print(f"{path}  {secret_for(case)}  {case.what}")


if __name__ == "__main__":
    main(sys.argv[1:])
