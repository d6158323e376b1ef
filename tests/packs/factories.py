"""Source files for pack tests, with secrets hidden everywhere a PDF can hide them."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import zlib
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from pikepdf import Array, Dictionary, Name
from PIL import Image
from weasyprint import HTML

from requests_app.packs.pages import find_in_pdf
from requests_app.packs.spec import (
    Approval,
    Box,
    Cover,
    ImageItem,
    PackSpec,
    PdfItem,
    ReasonCode,
    TextItem,
    TextSpan,
    Withheld,
)

# Hidden in the source's metadata and interactive parts: none may reach any pack.
HIDDEN = {
    "title": "LEAKTITLEQX",
    "author": "LEAKAUTHORQX",
    "xmp": "LEAKXMPQX",
    "outline": "LEAKOUTLINEQX",
    "uri": "LEAKURIQX",
    "note": "LEAKNOTEQX",
    "attachment": "LEAKATTACHQX",
    "field": "LEAKFIELDQX",
    "exif": "LEAKEXIFQX",
    "page_metadata": "LEAKPAGEXMPQX",
    "raw_on_redacted_page": "RAWSECRETQX",
}
# Visible text on the source's pages.
PUBLIC_WORDS = ["Harbourview", "Lanterns", "Quillfeather"]  # page 0, never redacted
SECRET_WORD = "Zanzibarine"  # page 1, redacted with a box (red, to test box coverage)


def make_cover(**overrides) -> Cover:
    fields = dict(
        reference="ATR-2026-0042",
        requester="DC Jane Smith",
        requester_organisation="Nottinghamshire Police",
        subjects=("Child A",),
        lawful_basis="DPA 2018 Sch 2 para 2 (crime and taxation)",
        approvals=(Approval("Disclosure approved", "Carol Hennessy (CSM)", "3 March 2026"),),
        withheld=(Withheld("Health visitor notes", "Third-party health information"),),
        reasons=(ReasonCode("TP", "Third-party personal data"),
                 ReasonCode("S29", "Prejudice to crime prevention")),
        prepared_by="Sam Okafor",
        prepared_on="4 March 2026",
        version=1,
    )
    fields.update(overrides)
    return Cover(**fields)


def render_html_pdf(html: str, path: Path) -> Path:
    HTML(string=html).write_pdf(path)
    return path


def make_source_pdf(path: Path) -> Path:
    """A 3-page PDF: page 0 public, page 1 with SECRET_WORD in red, page 2 public again.

    Then, with pikepdf: metadata, XMP, an outline, a link and a /Dest pointing at page 1, a
    sticky note, an attachment, a filled form field, a JPEG with EXIF, page-level XMP, and raw
    Helvetica text on page 1 that shows up in decompressed stream bytes if page 1 leaks.
    """
    html = f"""<style>@page {{ size: A4; margin: 2cm }} p {{ font-size: 14pt }}</style>
    <p>{" ".join(PUBLIC_WORDS)} opening paragraph.</p>
    <p style="break-before: page">Second page mentions
       <span style="color: #ff0000">{SECRET_WORD}</span> once, and Meadowsweet stays.</p>
    <p style="break-before: page">Third page Driftwood closing.</p>"""
    render_html_pdf(html, path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:creator"] = [HIDDEN["xmp"]]
        pdf.docinfo["/Title"] = HIDDEN["title"]
        pdf.docinfo["/Author"] = HIDDEN["author"]
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(HIDDEN["outline"], 1))
        page0, page1 = pdf.pages[0], pdf.pages[1]
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[50, 50, 200, 70],
                          A=Dictionary(S=Name.URI, URI=f"https://example.test/{HIDDEN['uri']}"))
        goto = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[50, 80, 200, 100],
                          Dest=Array([page1.obj, Name.Fit]))
        note = Dictionary(Type=Name.Annot, Subtype=Name.Text, Rect=[300, 300, 320, 320],
                          Contents=HIDDEN["note"], P=page1.obj)
        drawn = f"BT /Helv 10 Tf 2 4 Td ({HIDDEN['field']}) Tj ET"
        appearance = pikepdf.Stream(pdf, drawn.encode())
        appearance.Type, appearance.Subtype = Name.XObject, Name.Form
        appearance.BBox = [0, 0, 150, 20]
        appearance.Resources = Dictionary(Font=Dictionary(Helv=_helvetica(pdf)))
        widget = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T="name", V=HIDDEN["field"],
            Rect=[50, 120, 200, 140], AP=Dictionary(N=appearance), P=page0.obj))
        page0.obj.Annots = pdf.make_indirect(Array([
            pdf.make_indirect(link), pdf.make_indirect(goto), pdf.make_indirect(note), widget]))
        pdf.Root.AcroForm = Dictionary(Fields=Array([widget]), NeedAppearances=True)
        pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=f"app.alert('{HIDDEN['note']}')")
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(
            pdf, HIDDEN["attachment"].encode(), mime_type="text/plain")
        page0.obj.Metadata = pikepdf.Stream(pdf, HIDDEN["page_metadata"].encode())
        page0.obj.PieceInfo = Dictionary(App=Dictionary(Private=HIDDEN["page_metadata"]))
        _add_exif_jpeg(pdf, page0)
        # Raw, unencoded text on the page that will be redacted: if its content stream is
        # carried into the pack by any route, a byte scan finds it.
        page1.contents_add(pikepdf.Stream(
            pdf, f"BT /F9 1 Tf 10 10 Td ({HIDDEN['raw_on_redacted_page']}) Tj ET".encode()))
        if "/Font" not in page1.obj.Resources:
            page1.obj.Resources.Font = Dictionary()
        page1.obj.Resources.Font.F9 = _helvetica(pdf)
        pdf.save(path)
    return path


def _helvetica(pdf):
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                        BaseFont=Name.Helvetica))


def _add_exif_jpeg(pdf, page) -> None:
    img = Image.new("RGB", (40, 20), (200, 220, 240))
    exif = Image.Exif()
    exif[0x010E] = HIDDEN["exif"]  # ImageDescription
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", exif=exif.tobytes())
    xobject = pikepdf.Stream(pdf, buffer.getvalue())
    xobject.Type, xobject.Subtype, xobject.Width, xobject.Height = (
        Name.XObject, Name.Image, 40, 20)
    xobject.ColorSpace, xobject.BitsPerComponent, xobject.Filter = (
        Name.DeviceRGB, 8, Name.DCTDecode)
    if "/XObject" not in page.obj.Resources:
        page.obj.Resources.XObject = Dictionary()
    page.obj.Resources.XObject.ExifPhoto = xobject
    page.contents_add(pikepdf.Stream(pdf, b"q 40 0 0 20 400 700 cm /ExifPhoto Do Q"))


def make_words_pdf(path: Path, pages: list[list[str]], rotate: int = 0) -> Path:
    """A quick PDF of words in base-14 Helvetica, one page per list, red for UPPERCASE words."""
    pdf = pikepdf.new()
    font = _helvetica(pdf)
    for words in pages:
        lines, line, y = [], [], 800
        ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"]
        for word in words:
            colour = b"1 0 0 rg" if word.isupper() else b"0 g"
            ops.append(colour + b" (" + word.encode() + b" ) Tj")
            line.append(word)
            if len(line) == 8:
                ops.append(b"T*")
                lines.append(line)
                line = []
                y -= 14
        ops.append(b"ET")
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pikepdf.Stream(pdf, b"\n".join(ops))
        if rotate:
            page.obj.Rotate = rotate
    pdf.save(path)
    return path


def boxes_for(path: Path, words: list[str], code: str = "TP") -> dict[int, tuple[Box, ...]]:
    """Redaction boxes for every instance of `words`, as the redaction screen would save them."""
    if not words:
        return {}
    pattern = re.compile("|".join(re.escape(w) for w in words))
    return {page: tuple(Box(*rect, code) for rect in rects)
            for page, rects in find_in_pdf(path, pattern)}


def make_jpeg(path: Path, size=(300, 200), exif_text: str | None = None) -> Path:
    img = Image.new("RGB", size, (250, 250, 250))
    for x in range(100, 200):  # a red bar that a box will cover
        for y in range(80, 120):
            img.putpixel((x, y), (255, 0, 0))
    kwargs = {}
    if exif_text:
        exif = Image.Exif()
        exif[0x010E] = exif_text
        kwargs["exif"] = exif.tobytes()
    img.save(path, format="JPEG", quality=95, **kwargs)
    return path


def sample_spec(tmp: Path) -> PackSpec:
    source = make_source_pdf(tmp / "source.pdf")
    photo = make_jpeg(tmp / "photo.jpg", exif_text=HIDDEN["exif"])
    text = ("Visit on 3 March.\nMother said the neighbour Mr Secretname visited twice.\n"
            "Child A was well.")
    start = text.index("Mr Secretname")
    return PackSpec(
        cover=make_cover(),
        items=(
            TextItem("Case note 3 March", text,
                     (TextSpan(start, start + len("Mr Secretname"), "TP"),),
                     author="Alex Worker", organisation="Mansfield CSC", note="Typed up"),
            PdfItem("Referral form", str(source), boxes_for(source, [SECRET_WORD], "S29"),
                    author="School", organisation="Oak Academy"),
            ImageItem("Photo of letter", str(photo), (Box(100 / 300, 80 / 200, 0.66, 0.6, "TP"),)),
        ),
    )


# --- reading a pack back ---------------------------------------------------------------------
def pdfium_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_bounded() for i in range(len(doc))]
    finally:
        doc.close()


def poppler_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def all_object_bytes(path: Path) -> bytes:
    """Every object's dictionary and (decoded where possible) stream data, plus the raw file."""
    chunks = [Path(path).read_bytes()]
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            try:
                chunks.append(obj.unparse(resolved=True))
            except Exception:
                chunks.append(repr(obj).encode())
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except Exception:
                    raw = obj.read_raw_bytes()
                    chunks.append(raw)
                    with contextlib.suppress(zlib.error):
                        chunks.append(zlib.decompress(raw))
    return b"\n".join(chunks)
